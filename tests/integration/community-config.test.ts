import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { run, type Io } from "@/lib/cli/main";
import { exportCommunityConfig, importCommunityConfig } from "@/lib/dal/community-config";
import { ConfigValidationError } from "@/lib/errors";
import { getIdentitySettings } from "@/lib/dal/identity-settings";
import { resetDb, seedActor } from "../helpers/db";
import { rsaKeyPair } from "../helpers/keys";
import { SPEC_HS256_SECRET, specConfigDocument } from "../helpers/config";

beforeEach(resetDb);

const SECRET = SPEC_HS256_SECRET;
const doc = specConfigDocument;

function io(stdin = "") {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    value: {
      stdout: (s: string) => out.push(s),
      stderr: (s: string) => err.push(s),
      readStdin: async () => stdin,
    } satisfies Io,
  };
}

describe("config as code (docs/cli.md)", () => {
  it("imports the spec's document, and exports it back the same (secrets only on request)", async () => {
    const summary = await importCommunityConfig(null, doc());
    expect(summary).toMatchObject({
      created: true,
      keys: { added: ["prod_2026", "rsa_main"] },
      customFields: 1,
      mappings: 2,
    });
    const withSecrets = await exportCommunityConfig(null, "acme-shop", { includeSecrets: true });
    expect(withSecrets).toEqual(doc());
    const without = await exportCommunityConfig(null, "acme-shop");
    expect(without.community.jwt_keys[0]).toEqual({ kid: "prod_2026", algorithm: "HS256" });
    expect(JSON.stringify(without)).not.toContain(SECRET);
    expect(JSON.stringify(await db().auditLog.findMany())).not.toContain(SECRET);
  });

  it("imports documents written before rate_limit_per_minute existed with the default, and names a bad value", async () => {
    const old = doc() as { community: Record<string, unknown> };
    delete old.community.rate_limit_per_minute;
    await importCommunityConfig(null, old);
    expect((await exportCommunityConfig(null, "acme-shop")).community.rate_limit_per_minute).toBe(600);
    const limited = doc();
    limited.community.rate_limit_per_minute = 0;
    await importCommunityConfig(null, limited);
    expect((await db().community.findUniqueOrThrow({ where: { slug: "acme-shop" } })).rateLimitPerMinute).toBe(0);
    for (const bad of [-1, 1_000_001, 2.5, "600"]) {
      const d = doc() as { community: Record<string, unknown> };
      d.community.rate_limit_per_minute = bad;
      const err = await importCommunityConfig(null, d).catch((e: unknown) => e);
      expect(err, String(bad)).toBeInstanceOf(ConfigValidationError);
      expect((err as ConfigValidationError).issues.map((i) => i.path)).toEqual(["community.rate_limit_per_minute"]);
    }
    expect((await db().community.findUniqueOrThrow({ where: { slug: "acme-shop" } })).rateLimitPerMinute).toBe(0);
  });

  it("treats the document as the desired state: keeps unchanged keys (and their history), replaces, removes", async () => {
    await importCommunityConfig(null, doc());
    const lastUsed = new Date("2026-11-01T00:00:00Z");
    await db().jwtKey.updateMany({ where: { kid: "prod_2026" }, data: { lastUsedAt: lastUsed } });

    // Re-import without the secret (keeps the stored one), drop the RSA key, add a field, change the mode.
    const next = doc();
    next.community.jwt_keys = [
      { kid: "prod_2026", algorithm: "HS256" } as never,
      { kid: "next_2027", algorithm: "HS256", secret: "0123456789abcdef01234567" },
    ];
    next.community.signed_identities = "accept";
    next.community.custom_fields.push({
      key: "plan",
      label: "Plan",
      type: "single_choice",
      choices: ["gold", "silver"],
    } as never);
    const summary = await importCommunityConfig(null, next);
    expect(summary.keys).toEqual({ added: ["next_2027"], replaced: [], kept: ["prod_2026"], removed: ["rsa_main"] });
    const s = (await getIdentitySettings({ role: "admin" }, "acme-shop"))!;
    expect(s.signedIdentities).toBe("accept");
    expect(s.keys.find((k) => k.kid === "prod_2026")?.lastUsedAt).toEqual(lastUsed);
    expect(s.customFields.map((f) => f.key)).toEqual(["customer_id", "plan"]);
    expect((await exportCommunityConfig(null, "acme-shop", { includeSecrets: true })).community.jwt_keys[0]).toEqual({
      kid: "prod_2026",
      algorithm: "HS256",
      secret: SECRET,
    });
  });

  it("lists every problem with its path and applies nothing", async () => {
    await importCommunityConfig(null, doc());
    const before = await exportCommunityConfig(null, "acme-shop", { includeSecrets: true });
    const bad = doc();
    bad.community.name = "Renamed";
    bad.community.jwt_keys = [
      { kid: "prod_2026", algorithm: "HS256", secret: "not-hex" },
      { kid: "weak", algorithm: "RS256", public_key: rsaKeyPair(1024).publicPem },
    ] as never;
    bad.community.custom_fields[0]!.regex = "(unclosed";
    const err = await importCommunityConfig(null, bad).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigValidationError);
    expect(err.issues).toEqual([
      { path: "community.jwt_keys[0].secret", message: expect.stringContaining("exactly 24 characters") },
      { path: "community.custom_fields[0].regex", message: expect.stringContaining("Invalid regular expression") },
    ]);
    // Once the schema passes, the key inspection reports at its path too.
    bad.community.jwt_keys[0] = { kid: "prod_2026", algorithm: "HS256", secret: SECRET } as never;
    bad.community.custom_fields[0]!.regex = "^C[0-9]{6}$";
    const err2 = await importCommunityConfig(null, bad).catch((e) => e);
    expect(err2.issues).toEqual([
      { path: "community.jwt_keys[1].public_key", message: "This RSA key has 1024 bits; at least 2048 are required" },
    ]);
    expect(await exportCommunityConfig(null, "acme-shop", { includeSecrets: true })).toEqual(before);
  });

  it("refuses an HS256 key without a secret when none is stored for its kid", async () => {
    const d = doc();
    d.community.jwt_keys[0] = { kid: "prod_2026", algorithm: "HS256" } as never;
    const err = await importCommunityConfig(null, d).catch((e) => e);
    expect(err.issues).toEqual([
      { path: "community.jwt_keys[0].secret", message: 'Required: no HS256 secret is stored for kid "prod_2026" yet' },
    ]);
    expect(await db().community.count()).toBe(0);
  });

  it("refuses viewers", async () => {
    const viewer = await seedActor("viewer");
    await expect(importCommunityConfig(viewer, doc())).rejects.toMatchObject({ code: "forbidden" });
    expect(await db().community.count()).toBe(0);
  });

  it("works through the CLI: import a file, export to stdout, errors on stderr with exit 1", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-cli-"));
    const file = path.join(dir, "acme.json");
    fs.writeFileSync(file, JSON.stringify(doc()));
    const imp = io();
    expect(await run(["community", "import", file], imp.value)).toBe(0);
    expect(imp.out).toEqual([
      "Created community acme-shop: keys 2 added, 0 replaced, 0 kept, 0 removed; 1 custom fields; 2 mappings",
    ]);

    const exp = io();
    expect(await run(["community", "export", "acme-shop"], exp.value)).toBe(0);
    const exported = JSON.parse(exp.out.join("\n"));
    expect(exported.community.jwt_keys[0]).toEqual({ kid: "prod_2026", algorithm: "HS256" });
    const expSecret = io();
    await run(["community", "export", "acme-shop", "--include-secrets"], expSecret.value);
    expect(JSON.parse(expSecret.out.join("\n"))).toEqual(doc());

    // Round trip of the secret-less export: keeps the stored secrets.
    fs.writeFileSync(file, JSON.stringify(exported));
    expect(await run(["community", "import", file], io().value)).toBe(0);

    fs.writeFileSync(file, "{ not json");
    const broken = io();
    expect(await run(["community", "import", file], broken.value)).toBe(1);
    expect(broken.err[0]).toMatch(/is not valid JSON/);

    fs.writeFileSync(
      file,
      JSON.stringify({ version: 1, community: { name: "", slug: "Bad", signed_identities: "maybe" } }),
    );
    const invalid = io();
    expect(await run(["community", "import", file], invalid.value)).toBe(1);
    expect(invalid.err).toEqual([
      "vouch: nothing was imported; the configuration has 3 problems:",
      "  community.name: Enter a name",
      "  community.slug: Use lower-case letters, digits and single hyphens (e.g. acme-shop)",
      "  community.signed_identities: Choose reject, accept or require",
    ]);
    const missing = io();
    expect(await run(["community", "export", "ghost"], missing.value)).toBe(1);
    expect(missing.err).toEqual(['vouch: No community with identifier "ghost"']);
    const stdin = io(JSON.stringify({ ...doc(), community: { ...doc().community, slug: "from-stdin" } }));
    expect(await run(["community", "import", "-"], stdin.value)).toBe(0);
    expect(await db().community.count()).toBe(2);
  });
});
