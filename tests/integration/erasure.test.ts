// Erasure (docs/reference.md, data lifecycle) removes exactly one visitor, completely: the identity and
// every verification-log entry recorded for its uuid — found by the entry's own uuid column, exactly and
// case-sensitively — also when the uuid was only ever refused, and entries still buffered in memory
// (this instance's, and another instance's that flush after the erasure). Nothing of another uuid or of
// another community is touched. After it, no table holds the uuid or the e-mail that came with it.
import { beforeEach, describe, expect, it } from "vitest";
import { importCommunityConfig } from "@/lib/dal/community-config";
import { eraseIdentity } from "@/lib/dal/erasure";
import { invalidateRuntimeConfig } from "@/lib/dal/runtime-config";
import { flushRouteTelemetry, recordRefusal, stopRouteTelemetry } from "@/lib/dal/route-telemetry";
import { run, type Io } from "@/lib/cli/main";
import { db } from "@/lib/db";
import { resetDb, seedActor } from "../helpers/db";
import { nowS, signHs256 } from "../helpers/tokens";
import { postIdentity } from "../helpers/identities";

const SECRET = "0123456789abcdef01234567";
const OTHER_SECRET = "fedcba9876543210fedcba98";
/** Uuids that a LIKE would confuse: `_` and `%` are its wildcards, and it folds case. */
const NEIGHBOURS = ["abc_1", "ABC_1", "abcx1", "%", "_"] as const;

const community = (slug: string) => ({
  version: 1 as const,
  community: {
    name: slug,
    slug,
    signed_identities: "accept" as const,
    rate_limit_per_minute: 0,
    jwt_keys: [{ kid: "main", algorithm: "HS256" as const, secret: SECRET }],
  },
});

const identify = postIdentity;

/** A distinct e-mail per uuid, also once lower-cased (the search key folds case): the uuid's characters in hex. */
const email = (uuid: string) => `v${Buffer.from(uuid).toString("hex")}@example.com`;

/** For one uuid: a verified identity, then four refusals of four kinds, each naming the uuid its own way. */
async function visitor(slug: string, uuid: string) {
  const claims = { uuid, email: email(uuid), exp: nowS() + 7200 };
  const ok = await identify(slug, { signed_identity: await signHs256(SECRET, claims, { kid: "main" }) });
  expect(ok.status).toBe(200);
  const refusals = [
    // bad_signature: the uuid only in the token's claims
    { signed_identity: await signHs256(OTHER_SECRET, claims, { kid: "main" }) },
    // exp_too_soon
    { signed_identity: await signHs256(SECRET, { ...claims, exp: nowS() + 60 }, { kid: "main" }) },
    // unknown_kid
    { signed_identity: await signHs256(SECRET, claims, { kid: "gone" }) },
    // verified_identity_locked: unsigned data for the verified uuid
    { identity: { uuid, email: email(uuid) } },
  ];
  const codes = [];
  for (const body of refusals) codes.push((await identify(slug, body)).body.error?.code);
  expect(codes).toEqual(["bad_signature", "exp_too_soon", "unknown_kid", "verified_identity_locked"]);
}

/** Every row of every table, as text: what "no table holds it" is checked against. */
async function everyRow(): Promise<string> {
  const postgres = /^postgres/.test(process.env.DATABASE_URL ?? "");
  const tables = postgres
    ? await db().$queryRawUnsafe<{ name: string }[]>(
        `SELECT tablename::text AS name FROM pg_tables WHERE schemaname = current_schema()`,
      )
    : await db().$queryRawUnsafe<{ name: string }[]>(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`,
      );
  expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(["identity", "verification_log", "audit_log"]));
  const dumps: string[] = [];
  for (const { name } of tables) {
    const rows = await db().$queryRawUnsafe<unknown[]>(`SELECT * FROM "${name}"`);
    dumps.push(JSON.stringify(rows, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v)));
  }
  return dumps.join("\n");
}

const entries = (slug: string) =>
  db()
    .verificationLog.findMany({ where: { community: { slug } }, select: { uuid: true, code: true } })
    .then((rows) => rows.map((r) => `${r.uuid} ${r.code}`).sort());
const stored = (slug: string) =>
  db()
    .identity.findMany({ where: { community: { slug } }, select: { uuid: true } })
    .then((rows) => rows.map((r) => r.uuid).sort());

beforeEach(async () => {
  await resetDb();
  invalidateRuntimeConfig();
  await stopRouteTelemetry(); // flushes only when told: the test decides what is still buffered
  await importCommunityConfig(null, community("shop-a"));
  await importCommunityConfig(null, community("shop-b"));
});

describe("erasure", () => {
  it("removes one uuid exactly: its identity and every log entry, never a neighbour's or another community's", async () => {
    const admin = await seedActor("admin");
    for (const uuid of NEIGHBOURS) await visitor("shop-a", uuid);
    await visitor("shop-b", "abc_1");
    await flushRouteTelemetry();
    const before = { a: await entries("shop-a"), b: await entries("shop-b") };
    expect(before.a).toHaveLength(4 * NEIGHBOURS.length);
    expect(before.a.filter((e) => e.startsWith("abc_1 "))).toHaveLength(4);

    expect(await eraseIdentity(admin, "shop-a", "abc_1")).toEqual({ identities: 1, logEntries: 4 });
    expect(await stored("shop-a")).toEqual(["%", "ABC_1", "_", "abcx1"].sort());
    expect(await entries("shop-a")).toEqual(before.a.filter((e) => !e.startsWith("abc_1 ")));
    expect(await entries("shop-b")).toEqual(before.b);
    expect(await stored("shop-b")).toEqual(["abc_1"]);

    // The pattern characters are uuids like any other.
    expect(await eraseIdentity(admin, "shop-a", "%")).toEqual({ identities: 1, logEntries: 4 });
    expect(await eraseIdentity(admin, "shop-a", "_")).toEqual({ identities: 1, logEntries: 4 });
    expect(await stored("shop-a")).toEqual(["ABC_1", "abcx1"]);
    expect((await entries("shop-a")).map((e) => e.split(" ")[0])).toEqual([
      ...Array(4).fill("ABC_1"),
      ...Array(4).fill("abcx1"),
    ]);

    // No table holds the erased uuid or its e-mail in shop-a; the audit keeps a digest and counts only.
    await eraseIdentity(admin, "shop-b", "abc_1");
    const all = await everyRow();
    expect(all).not.toContain('"abc_1"');
    expect(all).not.toContain("abc_1 "); // (not in a log detail either)
    expect(all).not.toContain(email("abc_1"));
    expect(all).toContain(email("ABC_1"));
    const audits = await db().auditLog.findMany({ where: { action: "identity.erase" }, orderBy: { createdAt: "asc" } });
    expect(audits).toHaveLength(4);
    expect(JSON.parse(audits[0]!.details)).toEqual({ identities_deleted: 1, log_entries_deleted: 4 });
    expect(audits[0]!.targetLabel).toMatch(/^uuid sha256:[0-9a-f]{16}$/);
  });

  it("erases a uuid that was only ever refused (counts, not 404), in the CLI too", async () => {
    const admin = await seedActor("admin");
    const claims = { uuid: "ghost", exp: nowS() + 7200 };
    expect(
      (await identify("shop-a", { signed_identity: await signHs256(OTHER_SECRET, claims, { kid: "main" }) })).status,
    ).toBe(401);
    expect(
      (await identify("shop-a", { signed_identity: await signHs256(SECRET, claims, { kid: "nope" }) })).status,
    ).toBe(401);
    await flushRouteTelemetry();
    expect(await entries("shop-a")).toEqual(["ghost bad_signature", "ghost unknown_kid"]);
    expect(await eraseIdentity(admin, "shop-a", "ghost")).toEqual({ identities: 0, logEntries: 2 });
    expect(await entries("shop-a")).toEqual([]);

    await identify("shop-a", { signed_identity: await signHs256(OTHER_SECRET, claims, { kid: "main" }) });
    await flushRouteTelemetry();
    const out: string[] = [];
    const io: Io = { stdout: (s) => out.push(s), stderr: (s) => out.push(s), readStdin: async () => "" };
    expect(await run(["identity", "erase", "shop-a", "ghost"], io)).toBe(0);
    expect(out).toEqual(["No identity was stored for this uuid; erased 1 verification-log entry recorded for it."]);
    // An unknown community is an error; so is a uuid no visitor can have.
    expect(await run(["identity", "erase", "no-such-shop", "ghost"], io)).toBe(1);
    await expect(eraseIdentity(admin, "shop-a", "")).rejects.toThrow(/uuid must not be empty/);
    await expect(eraseIdentity(admin, "shop-a", "x".repeat(129))).rejects.toThrow(/uuid must have at most 128/);
    await expect(eraseIdentity(await seedActor("viewer"), "shop-a", "ghost")).rejects.toMatchObject({
      code: "forbidden",
    });
  });

  it("drops entries still buffered in memory: this instance's at once, another instance's when it flushes", async () => {
    const admin = await seedActor("admin");
    const claims = { uuid: "buffered", exp: nowS() + 7200 };
    const badToken = await signHs256(OTHER_SECRET, claims, { kid: "main" });
    expect((await identify("shop-a", { signed_identity: badToken })).status).toBe(401);
    expect(
      (
        await identify("shop-a", {
          signed_identity: await signHs256(OTHER_SECRET, { ...claims, uuid: "kept" }, { kid: "main" }),
        })
      ).status,
    ).toBe(401);
    // Not flushed yet: the erasure takes it out of the buffer.
    expect(await eraseIdentity(admin, "shop-a", "buffered")).toEqual({ identities: 0, logEntries: 0 });
    await flushRouteTelemetry();
    expect(await entries("shop-a")).toEqual(["kept bad_signature"]);

    // Another instance recorded a refusal before the erasure and flushes after it (here: the same buffer,
    // fed after the erasure with the earlier instant): not written. One recorded after the erasure is.
    const erasedAt = (await db().auditLog.findFirstOrThrow({ where: { action: "identity.erase" } })).createdAt;
    const communityId = (await db().community.findUniqueOrThrow({ where: { slug: "shop-a" } })).id;
    const refusal = { communityId, code: "bad_signature", detail: "x", kid: "main", origin: null, excerpt: {} };
    recordRefusal({ ...refusal, uuid: "buffered", at: new Date(erasedAt.getTime() - 500) });
    recordRefusal({ ...refusal, uuid: "buffered", at: new Date(erasedAt.getTime() + 500) });
    recordRefusal({ ...refusal, uuid: "other", at: new Date(erasedAt.getTime() - 500) });
    await flushRouteTelemetry();
    expect(await entries("shop-a")).toEqual(["buffered bad_signature", "kept bad_signature", "other bad_signature"]);
    const written = await db().verificationLog.findFirstOrThrow({ where: { uuid: "buffered" } });
    expect(written.createdAt.getTime()).toBe(erasedAt.getTime() + 500);
  });
});
