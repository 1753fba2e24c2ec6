import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { run, type Io } from "@/lib/cli/main";
import { createCommunity } from "@/lib/dal/communities";
import { resetDb } from "../helpers/db";

beforeEach(resetDb);

function io(stdin = "") {
  const out: string[] = [];
  const err: string[] = [];
  const value: Io = { stdout: (s) => out.push(s), stderr: (s) => err.push(s), readStdin: async () => stdin };
  return { value, out, err };
}

describe("vouch CLI", () => {
  it("admin create: creates an admin by default, and a viewer from --password-stdin", async () => {
    const a = io();
    expect(
      await run(["admin", "create", "--email", "Ops@Example.com", "--password", "a long enough password"], a.value),
    ).toBe(0);
    expect(a.out).toEqual(["Created admin account ops@example.com"]);
    const b = io("piped password 123\n");
    expect(
      await run(["admin", "create", "--email", "v@example.com", "--password-stdin", "--role", "viewer"], b.value),
    ).toBe(0);
    const users = await db().user.findMany({ select: { email: true, role: true }, orderBy: { email: "asc" } });
    expect(users).toEqual([
      { email: "ops@example.com", role: "admin" },
      { email: "v@example.com", role: "viewer" },
    ]);
  });

  it("admin create: names every problem, exits non-zero, changes nothing", async () => {
    const bad = io();
    expect(await run(["admin", "create", "--email", "nope", "--password", "short", "--role", "root"], bad.value)).toBe(
      1,
    );
    expect(bad.err).toEqual([
      "vouch: --email: Enter a valid e-mail address, like name@example.com",
      "vouch: --password: Use at least 12 characters",
      "vouch: --role: Choose a role: admin or viewer",
    ]);
    const missing = io();
    expect(await run(["admin", "create", "--email", "a@b.co"], missing.value)).toBe(2);
    expect(missing.err[0]).toMatch(/missing --password/);
    const unknownFlag = io();
    expect(await run(["admin", "create", "--emial", "a@b.co"], unknownFlag.value)).toBe(2);
    expect(unknownFlag.err[0]).toMatch(/Unknown option '--emial'/);
    await run(["admin", "create", "--email", "dup@example.com", "--password", "a long enough password"], io().value);
    const dup = io();
    expect(
      await run(["admin", "create", "--email", "dup@example.com", "--password", "a long enough password"], dup.value),
    ).toBe(1);
    expect(dup.err).toEqual(["vouch: --email: An account with this e-mail address already exists"]);
    expect(await db().user.count()).toBe(1);
  });

  it("community list: a table, or JSON", async () => {
    const empty = io();
    expect(await run(["community", "list"], empty.value)).toBe(0);
    expect(empty.out).toEqual(["No communities."]);
    await createCommunity(null, { name: "Acme Shop", slug: "acme-shop" });
    const table = io();
    await run(["community", "list"], table.value);
    expect(table.out).toEqual(["SLUG       NAME", "acme-shop  Acme Shop"]);
    const json = io();
    await run(["community", "list", "--json"], json.value);
    expect(JSON.parse(json.out[0]!)).toEqual([
      { slug: "acme-shop", name: "Acme Shop", created_at: expect.any(String) },
    ]);
  });

  it("key expire: sets and clears a key's expiry, names bad input", async () => {
    await run(["community", "list"], io().value); // migrates
    const { importCommunityConfig } = await import("@/lib/dal/community-config");
    const { specConfigDocument } = await import("../helpers/config");
    const doc = specConfigDocument();
    await importCommunityConfig(null, {
      ...doc,
      community: {
        ...doc.community,
        slug: "acme",
        jwt_keys: [{ kid: "k1", algorithm: "HS256", secret: "9aeaf06388b8ab6487d1605b" }],
      },
    });
    const expiry = async () => (await db().jwtKey.findFirstOrThrow({ where: { kid: "k1" } })).expiresAt;
    const ok = io();
    expect(await run(["key", "expire", "acme", "k1", "--at", "2099-03-01T00:00:00Z"], ok.value)).toBe(0);
    expect(ok.out).toEqual(["Key k1 of acme expires at 2099-03-01T00:00:00.000Z"]);
    expect(await expiry()).toEqual(new Date("2099-03-01T00:00:00Z"));
    const never = io();
    expect(await run(["key", "expire", "acme", "k1", "--never"], never.value)).toBe(0);
    expect(never.out).toEqual(["Key k1 of acme never expires"]);
    expect(await expiry()).toBeNull();
    const bad = io();
    expect(await run(["key", "expire", "acme", "k1", "--at", "someday"], bad.value)).toBe(1);
    expect(bad.err).toEqual(["vouch: --at: Give a date and time such as 2027-03-01T00:00:00Z (UTC)"]);
    const both = io();
    expect(await run(["key", "expire", "acme", "k1"], both.value)).toBe(2);
    expect(both.err[0]).toMatch(/^vouch: give either --at <instant> or --never/);
    const past = io();
    expect(await run(["key", "expire", "acme", "k1", "--at", "2001-01-01T00:00:00Z"], past.value)).toBe(1);
    expect(past.err).toEqual([
      "vouch: --at: This instant has passed: the key would refuse every token. Choose a later one, or none.",
    ]);
    expect(await expiry()).toBeNull();
  });

  it("token create | list | revoke: shown once, stored hashed, revoked at once", async () => {
    const created = io();
    expect(
      await run(["token", "create", "--name", "ci", "--role", "admin", "--expires-days", "30"], created.value),
    ).toBe(0);
    const token = created.out[0]!;
    expect(token).toMatch(/^vouch_[A-Za-z0-9_-]{43}$/);
    expect(created.err[0]).toMatch(/^Created admin API token \S+ "ci", expires \d{4}-.*It is shown this once:$/);
    expect(JSON.stringify(await db().apiToken.findMany())).not.toContain(token);
    const { authenticateApiToken } = await import("@/lib/dal/api-tokens");
    expect(await authenticateApiToken(token)).toMatchObject({ ok: true, actor: { role: "admin", name: "ci" } });
    const listed = io();
    expect(await run(["token", "list"], listed.value)).toBe(0);
    const id = listed.out[0]!.split(" ")[0]!;
    expect(listed.out[0]).toMatch(/ admin +active +ci +\(last used \d{4}-/);
    const revoked = io();
    expect(await run(["token", "revoke", id], revoked.value)).toBe(0);
    expect(revoked.out).toEqual([`Revoked API token ${id} "ci"`]);
    expect(await authenticateApiToken(token)).toEqual({ ok: false, reason: "revoked" });
    const bad = io();
    expect(await run(["token", "create", "--name", "", "--role", "root", "--expires-days", "0"], bad.value)).toBe(1);
    expect(bad.err).toEqual([
      "vouch: --name: Name the token (what uses it)",
      "vouch: --role: Choose admin or viewer",
      "vouch: --expires-days: A whole number of days, 1–3650",
    ]);
  });

  it("unknown commands print usage and exit 2", async () => {
    const x = io();
    expect(await run(["community", "frobnicate"], x.value)).toBe(2);
    expect(x.err[0]).toMatch(/unknown command "community frobnicate"/);
  });
});
