// Returning visitors cost no write (docs/reference.md, what gets stored), on SQLite and PostgreSQL: an
// identity whose resulting state equals the stored one changes nothing (PostgreSQL: the row's xmin stays;
// SQLite: no other connection sees a commit); a burst of one uuid is one row change; last_seen_at is
// refreshed from a buffer at most every 10 minutes and retention goes by it; the lock, erasure and two
// instances behave as before.
import type { ChildProcess } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { handleIdentityPost } from "@/lib/api/identity-route";
import { metricsResponse } from "@/lib/api/metrics-route";
import { importCommunityConfig } from "@/lib/dal/community-config";
import { eraseIdentity } from "@/lib/dal/erasure";
import { flushLastSeen, LAST_SEEN_REFRESH_MS } from "@/lib/dal/last-seen";
import { pruneIdentities } from "@/lib/dal/retention";
import { invalidateRuntimeConfig } from "@/lib/dal/runtime-config";
import { db, rawDb } from "@/lib/db";
import { resetDb } from "../helpers/db";
import { postIdentity } from "../helpers/identities";
import { startIdentityServer } from "../helpers/identity-server";
import { nowS, signHs256 } from "../helpers/tokens";

const SLUG = "returning";
const SECRET = "0123456789abcdef01234567";
const postgres = /^postgres/.test(process.env.DATABASE_URL ?? "");
const procs: ChildProcess[] = [];

beforeEach(async () => {
  await resetDb();
  invalidateRuntimeConfig();
  await importCommunityConfig(null, {
    version: 1,
    community: {
      name: "Returning",
      slug: SLUG,
      signed_identities: "accept",
      rate_limit_per_minute: 0,
      identity_retention_days: 30,
      jwt_keys: [{ kid: "k1", algorithm: "HS256", secret: SECRET }],
    },
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const p of procs.splice(0)) p.kill("SIGKILL");
});

const row = (uuid: string) => db().identity.findFirstOrThrow({ where: { uuid } });
/** PostgreSQL: the row version's transaction id (unchanged = no new tuple). SQLite: null. */
const xmin = async (uuid: string) =>
  postgres
    ? ((
        await db().$queryRawUnsafe<{ x: string }[]>(`SELECT xmin::text AS x FROM "identity" WHERE "uuid" = $1`, uuid)
      )[0]?.x ?? null)
    : null;
/** SQLite: changes committed by other connections since the last call on this one. */
const dataVersion = async () =>
  postgres
    ? 0
    : Number((await db().$queryRawUnsafe<{ data_version: bigint }[]>("PRAGMA data_version"))[0]!.data_version);

async function scrape() {
  const TOKEN = "metrics-token-0123456789";
  const res = await metricsResponse(
    new Request("http://vouch.test/api/metrics", { headers: { authorization: `Bearer ${TOKEN}` } }),
    TOKEN,
  );
  const text = await res.text();
  return (series: string) =>
    Number(
      text
        .split("\n")
        .find((l) => l.startsWith(`${series} `))
        ?.split(" ")[1] ?? 0,
    );
}

describe("returning visitors", () => {
  it("identical data changes nothing: same row version, same updated_at, answered 200 all the same", async () => {
    const token = await signHs256(SECRET, { uuid: "r-1", firstname: "Ada", exp: nowS() + 7200 }, { kid: "k1" });
    expect((await postIdentity(SLUG, { signed_identity: token })).status).toBe(200);
    const first = await row("r-1");
    const version = await xmin("r-1");
    const dv = await dataVersion();
    const before = await scrape();
    for (let i = 0; i < 5; i++) {
      const again = await postIdentity(SLUG, { signed_identity: token });
      expect(again.status).toBe(200);
      expect(again.body.identity).toMatchObject({ uuid: "r-1", verified: true, fields: { firstname: "Ada" } });
    }
    expect((await row("r-1")).updatedAt).toEqual(first.updatedAt);
    expect(await xmin("r-1")).toBe(version); // PostgreSQL: no new tuple
    expect(await dataVersion()).toBe(dv); // SQLite: nothing committed by the writer
    const after = await scrape();
    expect(
      after('vouch_identity_writes_total{result="unchanged"}') -
        before('vouch_identity_writes_total{result="unchanged"}'),
    ).toBe(5);
    expect(
      after('vouch_identity_writes_total{result="changed"}') - before('vouch_identity_writes_total{result="changed"}'),
    ).toBe(0);
    // The same token with the same key: its signature was checked once, then remembered.
    const signatures = (result: string) =>
      after(`vouch_signature_checks_total{result="${result}"}`) -
      before(`vouch_signature_checks_total{result="${result}"}`);
    expect([signatures("remembered"), signatures("checked")]).toEqual([5, 0]);
    // Remembered or not, the moment is checked on every request: past its exp the token is refused.
    const expired = await handleIdentityPost(
      new Request(`http://vouch.test/api/v1/communities/${SLUG}/identity`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ signed_identity: token }),
      }),
      SLUG,
      { now: new Date((nowS() + 7200) * 1000) },
    );
    expect([expired.status, ((await expired.json()) as { error: { code: string } }).error.code]).toEqual([
      401,
      "exp_too_soon",
    ]);

    // A real change is written, with updated_at; unsigned data for the verified uuid is still refused,
    // identical to the stored data or not.
    const changed = await signHs256(SECRET, { uuid: "r-1", firstname: "Grace", exp: nowS() + 7200 }, { kid: "k1" });
    expect((await postIdentity(SLUG, { signed_identity: changed })).status).toBe(200);
    expect(JSON.parse((await row("r-1")).fields)).toEqual({ firstname: "Grace" });
    expect((await row("r-1")).updatedAt.getTime()).toBeGreaterThanOrEqual(first.updatedAt.getTime());
    for (const firstname of ["Grace", "Eve"]) {
      const refused = await postIdentity(SLUG, { identity: { uuid: "r-1", firstname } });
      expect(refused.body.error?.code).toBe("verified_identity_locked");
    }
    expect((await scrape())('vouch_identity_writes_total{result="locked"}')).toBeGreaterThanOrEqual(2);
  });

  it("a burst of one uuid is one row change, the last request's data stored", async () => {
    const upserts = vi.spyOn(rawDb(), rawDb().dialect === "sqlite" ? "batch" : "queryRows");
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => postIdentity(SLUG, { identity: { uuid: "burst", firstname: `N${i}` } })),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    // An upsert statement holds one "(?, …)" of 15 placeholders per row.
    const upsertRows = (sql: string) =>
      sql.includes('INSERT INTO "identity"') ? [(sql.match(/\(\?(, \?){14}\)/g) ?? []).length] : [];
    const rows = upserts.mock.calls.flatMap(([first]) =>
      Array.isArray(first) ? first.flatMap((s) => upsertRows(s.sql)) : upsertRows(String(first)),
    );
    // Every statement carried the uuid once (no round per write): at most one statement per batch.
    expect(rows.every((n) => n === 1)).toBe(true);
    expect(rows.length).toBeLessThan(30);
    expect(JSON.parse((await row("burst")).fields)).toEqual({ firstname: "N29" });
  });

  it("last_seen_at is refreshed from the buffer at most every 10 minutes; retention goes by it", async () => {
    await postIdentity(SLUG, { identity: { uuid: "seen", firstname: "Ada" } });
    await postIdentity(SLUG, { identity: { uuid: "gone", firstname: "Bob" } });
    const long = new Date(Date.now() - 40 * 86_400_000); // past the 30-day retention
    await db().identity.updateMany({ data: { updatedAt: long, lastSeenAt: long } });
    // "seen" comes back with the same data: nothing written now, its sighting buffered, then flushed.
    expect((await postIdentity(SLUG, { identity: { uuid: "seen", firstname: "Ada" } })).status).toBe(200);
    expect((await row("seen")).lastSeenAt).toEqual(long);
    await flushLastSeen();
    const seen = await row("seen");
    expect(seen.lastSeenAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(seen.updatedAt).toEqual(long); // the data did not change
    // Within 10 minutes, another sighting does not write the row again.
    const recent = new Date(Date.now() - LAST_SEEN_REFRESH_MS / 2);
    await db().identity.update({ where: { id: seen.id }, data: { lastSeenAt: recent } });
    await postIdentity(SLUG, { identity: { uuid: "seen", firstname: "Ada" } });
    await flushLastSeen();
    expect((await row("seen")).lastSeenAt).toEqual(recent);
    // Retention: "gone" (last seen 40 days ago) goes, "seen" stays although its data is 40 days old.
    expect(await pruneIdentities()).toMatchObject({ deleted: 1, ran: true });
    expect((await db().identity.findMany({ select: { uuid: true } })).map((r) => r.uuid)).toEqual(["seen"]);
  });

  it("an erased visitor who comes back is stored again; a buffered sighting does not resurrect them", async () => {
    await postIdentity(SLUG, { identity: { uuid: "back", firstname: "Ada" } });
    await postIdentity(SLUG, { identity: { uuid: "back", firstname: "Ada" } }); // buffered sighting
    await eraseIdentity(null, SLUG, "back");
    await flushLastSeen();
    expect(await db().identity.count({ where: { uuid: "back" } })).toBe(0);
    expect((await postIdentity(SLUG, { identity: { uuid: "back", firstname: "Ada" } })).status).toBe(200);
    expect(JSON.parse((await row("back")).fields)).toEqual({ firstname: "Ada" });
  });

  it("old → new → old through two instances ends with the last request's data", { timeout: 30_000 }, async () => {
    const a = await startIdentityServer();
    const b = await startIdentityServer();
    procs.push(a, b);
    const send = (port: number, firstname: string) =>
      fetch(`http://127.0.0.1:${port}/api/v1/communities/${SLUG}/identity`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ identity: { uuid: "two", firstname } }),
      }).then((r) => r.status);
    for (let i = 0; i < 5; i++) {
      expect(await send(a.port, "Old")).toBe(200);
      expect(await send(b.port, "New")).toBe(200);
      expect(await send(a.port, "Old")).toBe(200);
      expect(JSON.parse((await row("two")).fields)).toEqual({ firstname: "Old" });
      expect(await send(b.port, "New")).toBe(200);
      expect(JSON.parse((await row("two")).fields)).toEqual({ firstname: "New" });
    }
  });
});
