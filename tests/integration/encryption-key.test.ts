// docs/operating.md: the encryption key must match the database. The operator's story from the issue, with the
// CLI as a real process on a database of its own (unmigrated at first), on SQLite and PostgreSQL:
// sealing with one key, refusing another (and a missing one, without generating), rotating.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { addJwtKey } from "@/lib/dal/jwt-keys";
import { createCommunity } from "@/lib/dal/communities";
import { EncryptionKeyError, keyFingerprint, resealAll } from "@/lib/encryption-key";
import { resetDb } from "../helpers/db";

// Each CLI run is a process that migrates and checks its database: seconds, not milliseconds.
vi.setConfig({ testTimeout: 90_000 });

const SECRET = "9aeaf06388b8ab6487d1605b";
const K1 = crypto.randomBytes(32).toString("hex");
const K2 = crypto.randomBytes(32).toString("hex");
const K3 = crypto.randomBytes(32).toString("hex");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-ek-"));

/** A database nobody has migrated yet: a new SQLite file, or a new PostgreSQL database beside the project's. */
const projectUrl = inject("databaseUrl");
let counter = 0;
const created: string[] = [];
async function freshDatabase(): Promise<string> {
  counter++;
  if (projectUrl.startsWith("file:")) return `file:${path.join(tmp, `fresh-${counter}.db`)}`;
  const name = `vouch_ek_${process.pid}_${counter}`;
  const admin = new pg.Client({ connectionString: projectUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  created.push(name);
  const u = new URL(projectUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
afterAll(async () => {
  if (!projectUrl.startsWith("file:")) {
    const admin = new pg.Client({ connectionString: projectUrl });
    await admin.connect();
    for (const name of created) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});

function cli(
  args: string[],
  e: { DATABASE_URL: string; VOUCH_DATA_DIR: string; VOUCH_ENCRYPTION_KEY?: string; LOG_LEVEL?: string },
  stdin = "",
) {
  const environment: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "silent", ...e };
  if (!e.VOUCH_ENCRYPTION_KEY) delete environment.VOUCH_ENCRYPTION_KEY;
  const r = spawnSync(process.execPath, ["scripts/vouch.mjs", ...args], {
    env: environment,
    input: stdin,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const doc = (slug: string) => ({
  version: 1,
  community: {
    name: slug,
    slug,
    signed_identities: "accept",
    jwt_keys: [{ kid: "hs", algorithm: "HS256", secret: SECRET }],
  },
});
function writeDoc(slug: string, body: unknown = doc(slug)) {
  const file = path.join(tmp, `${slug}-${++counter}.json`);
  fs.writeFileSync(file, JSON.stringify(body));
  return file;
}
const exported = (stdout: string) => JSON.parse(stdout) as { community: { jwt_keys: { secret?: string }[] } };

describe("the encryption key must match the database", () => {
  let DATABASE_URL: string;
  const dir = (name: string) => path.join(tmp, `${name}-${counter}`);
  beforeAll(async () => {
    DATABASE_URL = await freshDatabase();
  });

  it("seals with the first key, refuses another or none (generating nothing), and says where each came from", () => {
    const first = { DATABASE_URL, VOUCH_DATA_DIR: dir("a"), VOUCH_ENCRYPTION_KEY: K1 };
    const created = cli(["community", "import", writeDoc("acme")], first);
    expect(created).toMatchObject({ status: 0, stderr: "" });
    expect(created.stdout).toMatch(/Created community acme: keys 1 added/);

    // Another key from the environment: refused, naming both fingerprints and the source; nothing changed.
    const other = cli(["community", "import", writeDoc("other")], { ...first, VOUCH_ENCRYPTION_KEY: K2 });
    expect(other.status).toBe(1);
    expect(other.stderr).toContain("The encryption key from VOUCH_ENCRYPTION_KEY (environment)");
    expect(other.stderr).toContain(`(fingerprint ${keyFingerprint(Buffer.from(K2, "hex")).slice(0, 12)}…)`);
    expect(other.stderr).toContain(`(fingerprint ${keyFingerprint(Buffer.from(K1, "hex")).slice(0, 12)}…)`);
    expect(other.stderr).toContain("rotate-encryption-key");
    expect(other.stderr).not.toContain(K1);
    expect(other.stderr).not.toContain(K2);

    // No key at all (the issue's shell without VOUCH_ENCRYPTION_KEY): refused, and no key file appears.
    const bare = { DATABASE_URL, VOUCH_DATA_DIR: dir("bare") };
    const none = cli(["community", "import", writeDoc("other")], bare);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(
      /No encryption key: VOUCH_ENCRYPTION_KEY is not set and .*encryption-key does not exist, but this database holds 1 sealed secret/,
    );
    expect(fs.existsSync(path.join(bare.VOUCH_DATA_DIR, "encryption-key"))).toBe(false);

    // A data folder holding some other key: refused, naming the file.
    const folder = dir("folder");
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, "encryption-key"), K2 + "\n", { mode: 0o600 });
    const wrongFile = cli(["community", "list"], { DATABASE_URL, VOUCH_DATA_DIR: folder });
    expect(wrongFile.status).toBe(1);
    expect(wrongFile.stderr).toContain(`The encryption key from ${path.join(folder, "encryption-key")}`);

    // The right key still reads what it sealed: nothing above changed the database.
    const back = cli(["community", "export", "acme", "--include-secrets"], first);
    expect(back.status).toBe(0);
    expect(exported(back.stdout).community.jwt_keys[0]!.secret).toBe(SECRET);
    expect(cli(["community", "list"], first).stdout).not.toMatch(/other/);
  });

  it("rotates a key kept in the environment: every secret re-sealed in one go, the old key refused after", () => {
    const before = { DATABASE_URL, VOUCH_DATA_DIR: dir("rot"), VOUCH_ENCRYPTION_KEY: K1 };
    const rotated = cli(["rotate-encryption-key", "--new-key-stdin"], before, K3 + "\n");
    expect(rotated).toMatchObject({ status: 0, stderr: "" });
    expect(rotated.stdout).toMatch(/^Re-sealed 1 secret: key [0-9a-f]{12}… → [0-9a-f]{12}…/);
    expect(rotated.stdout).toContain("Set VOUCH_ENCRYPTION_KEY to the new key on every instance");
    expect(rotated.stdout).not.toContain(K3); // given on stdin: not echoed

    const after = { ...before, VOUCH_ENCRYPTION_KEY: K3 };
    expect(
      exported(cli(["community", "export", "acme", "--include-secrets"], after).stdout).community.jwt_keys[0]!.secret,
    ).toBe(SECRET);
    const old = cli(["community", "list"], before);
    expect(old.status).toBe(1);
    expect(old.stderr).toContain("is not the key that sealed");

    const bad = cli(["rotate-encryption-key", "--new-key-stdin"], after, "not a key\n");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/must be 64 lower-case hex characters/);
  });
});

describe("a key kept in the data folder", () => {
  it("is created on first use of an empty database, and rotated in place (the old one kept beside it)", async () => {
    const DATABASE_URL = await freshDatabase();
    const VOUCH_DATA_DIR = path.join(tmp, `folder-${counter}`);
    expect(cli(["community", "import", writeDoc("acme")], { DATABASE_URL, VOUCH_DATA_DIR }).status).toBe(0);
    const file = path.join(VOUCH_DATA_DIR, "encryption-key");
    const original = fs.readFileSync(file, "utf8").trim();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    const rotated = cli(["rotate-encryption-key"], { DATABASE_URL, VOUCH_DATA_DIR });
    expect(rotated.status).toBe(0);
    expect(rotated.stdout).toContain(`The new key is in ${file}`);
    const now = fs.readFileSync(file, "utf8").trim();
    expect(now).toMatch(/^[0-9a-f]{64}$/);
    expect(now).not.toBe(original);
    expect(rotated.stdout).not.toContain(now);
    expect(fs.readFileSync(`${file}.previous`, "utf8").trim()).toBe(original);
    expect(fs.existsSync(`${file}.next`)).toBe(false);
    expect(
      exported(cli(["community", "export", "acme", "--include-secrets"], { DATABASE_URL, VOUCH_DATA_DIR }).stdout)
        .community.jwt_keys[0]!.secret,
    ).toBe(SECRET);
  });
});

describe("an instance still running with a key that was rotated away", () => {
  it("refuses to store a new secret, and the transaction changes nothing", async () => {
    await resetDb();
    await createCommunity(null, { name: "Acme", slug: "acme" });
    const current = env().encryption.key!;
    const next = crypto.randomBytes(32);
    await resealAll(current, next); // as the CLI would, from another shell
    try {
      const err = await addJwtKey(null, "acme", { kid: "late", algorithm: "HS256", secret: SECRET }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(EncryptionKeyError);
      expect((err as Error).message).toMatch(/is not the key that sealed this database's secrets/);
      expect(await db().jwtKey.count({ where: { kid: "late" } })).toBe(0);
    } finally {
      await resealAll(next, current); // this project's other tests go on with their key
    }
    const audit = await db().auditLog.findMany({ where: { action: "encryption_key.rotate" } });
    expect(audit.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(audit)).not.toContain(next.toString("hex"));
    expect(JSON.stringify(audit)).not.toContain(current.toString("hex"));
  });
});

describe("the CLI as a real process", () => {
  it("on an unmigrated database: brings it up to date, exits 0/1/2 with problems on stderr, and a failing import changes nothing", async () => {
    const e = {
      DATABASE_URL: await freshDatabase(),
      VOUCH_DATA_DIR: path.join(tmp, `real-${counter}`),
      VOUCH_ENCRYPTION_KEY: K1,
    };
    const list = cli(["community", "list"], e);
    expect(list).toMatchObject({ status: 0, stdout: "No communities.\n", stderr: "" });
    expect(cli(["community", "import", writeDoc("acme")], e).status).toBe(0);
    const broken = doc("acme") as { community: Record<string, unknown> };
    broken.community.signed_identities = "sometimes";
    broken.community.jwt_keys = [{ kid: "Bad Kid", algorithm: "HS256", secret: "short" }];
    const failed = cli(["community", "import", writeDoc("acme", broken)], e);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toBe("");
    expect(failed.stderr).toMatch(/^vouch: nothing was imported; the configuration has \d+ problems:/);
    expect(failed.stderr).toContain("community.signed_identities:");
    expect(failed.stderr).toContain("community.jwt_keys[0].kid:");
    expect(failed.stderr).toContain("community.jwt_keys[0].secret:");
    // Standard output is the document alone, even with info logs on (they go to standard error).
    const still = exported(
      cli(["community", "export", "acme", "--include-secrets"], { ...e, LOG_LEVEL: "info" }).stdout,
    ) as unknown as { community: { signed_identities: string; jwt_keys: { kid: string; secret: string }[] } };
    expect(still.community.signed_identities).toBe("accept");
    expect(still.community.jwt_keys).toEqual([{ kid: "hs", algorithm: "HS256", secret: SECRET }]);
    const usage = cli(["community", "frobnicate"], e);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/unknown command "community frobnicate"/);
    const missing = cli(["community", "import", path.join(tmp, "no-such-file.json")], e);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*no-such-file\.json: ENOENT/);
  });
});
