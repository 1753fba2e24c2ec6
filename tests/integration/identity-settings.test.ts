import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/authz";
import { createCommunity } from "@/lib/dal/communities";
import { createCustomField, deleteCustomField, updateCustomField } from "@/lib/dal/custom-fields";
import { getIdentitySettings, updateSignedIdentitySettings } from "@/lib/dal/identity-settings";
import { addJwtKey, deleteJwtKey, setJwtKeyExpiry } from "@/lib/dal/jwt-keys";
import { openHmacSecret } from "@/lib/dal/hmac-secrets";
import { addMapping, deleteMapping } from "@/lib/dal/mappings";
import { resetDb, seedActor } from "../helpers/db";
import { asymmetricKeyPair, rsaKeyPair } from "../helpers/keys";
import { exportCommunityConfig, importCommunityConfig } from "@/lib/dal/community-config";

let admin: Actor;
const SLUG = "acme-shop";
const SECRET = "9aeaf06388b8ab6487d1605b";

beforeEach(async () => {
  await resetDb();
  admin = await seedActor("admin");
  await createCommunity(admin, { name: "Acme Shop", slug: SLUG });
});

const settings = async () => (await getIdentitySettings(admin, SLUG))!;
const allAuditText = async () => JSON.stringify(await db().auditLog.findMany());

describe("signed identities mode (docs/reference.md)", () => {
  it("defaults to reject with a 10 s leeway", async () => {
    expect(await settings()).toMatchObject({ signedIdentities: "reject", clockSkewSeconds: 10, keys: [] });
  });

  it("refuses accept and require while there is no key, on the mode field", async () => {
    for (const mode of ["accept", "require"] as const) {
      await expect(
        updateSignedIdentitySettings(admin, SLUG, { signed_identities: mode, clock_skew_seconds: 10 }),
      ).rejects.toMatchObject({
        code: "conflict",
        field: "signed_identities",
        message: expect.stringContaining("Add a JWT key or a JWKS URL first"),
      });
    }
    expect((await settings()).signedIdentities).toBe("reject");
  });

  it("switches modes once a key exists, bumping the config version and auditing old → new", async () => {
    await addJwtKey(admin, SLUG, { algorithm: "HS256", kid: "prod_2026", secret: SECRET });
    const v0 = (await settings()).configVersion;
    await updateSignedIdentitySettings(admin, SLUG, { signed_identities: "require", clock_skew_seconds: 30 });
    const s = await settings();
    expect(s).toMatchObject({ signedIdentities: "require", clockSkewSeconds: 30 });
    expect(s.configVersion).toBe(v0 + 1);
    const entry = await db().auditLog.findFirstOrThrow({ where: { action: "community.signed_identities" } });
    expect(JSON.parse(entry.details)).toEqual({
      signed_identities: { from: "reject", to: "require" },
      clock_skew_seconds: { from: 10, to: 30 },
    });
  });
});

describe("JWT keys (docs/reference.md)", () => {
  it("stores an HS256 secret sealed, shows it masked, and never audits it", async () => {
    const dto = await addJwtKey(admin, SLUG, { algorithm: "HS256", kid: "prod_2026", secret: SECRET });
    expect(dto).toMatchObject({ kid: "prod_2026", algorithm: "HS256", maskedSecret: "…605b", lastUsedAt: null });
    expect(JSON.stringify(dto)).not.toContain(SECRET);
    const row = await db().jwtKey.findFirstOrThrow({ where: { kid: "prod_2026" } });
    expect(row.secretCiphertext).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(SECRET);
    expect(openHmacSecret(row.communityId, "prod_2026", row.secretCiphertext!)).toBe(SECRET);
    expect(JSON.stringify(await settings())).not.toContain(SECRET);
    const viewer = await seedActor("viewer");
    // What viewers get: no part of it.
    expect((await getIdentitySettings(viewer, SLUG))!.keys[0]!.maskedSecret).toBeNull();
    expect(await allAuditText()).not.toContain(SECRET);
    expect(await allAuditText()).not.toContain("605b");
  });

  it("stores an RS256 key with its size and fingerprint, refusing weak or wrong keys on the field", async () => {
    const { publicPem } = rsaKeyPair();
    const dto = await addJwtKey(admin, SLUG, { algorithm: "RS256", kid: "rsa_main", public_key: publicPem });
    expect(dto).toMatchObject({
      algorithm: "RS256",
      keyBits: 2048,
      fingerprint: expect.stringMatching(/^SHA256:/),
      maskedSecret: null,
    });
    await expect(
      addJwtKey(admin, SLUG, { algorithm: "RS256", kid: "weak", public_key: rsaKeyPair(1024).publicPem }),
    ).rejects.toMatchObject({
      field: "public_key",
      message: "This RSA key has 1024 bits; at least 2048 are required",
    });
    await expect(
      addJwtKey(admin, SLUG, { algorithm: "RS256", kid: "priv", public_key: rsaKeyPair().privatePem }),
    ).rejects.toThrow(/PRIVATE key/);
    expect((await settings()).keys.map((k) => k.kid)).toEqual(["rsa_main"]);
  });

  it("stores ES256 (P-256) and EdDSA (Ed25519) keys with their fingerprints, refusing the wrong curve by name", async () => {
    const ec = asymmetricKeyPair("ec");
    const ed = asymmetricKeyPair("ed25519");
    expect(
      await addJwtKey(admin, SLUG, { algorithm: "ES256", kid: "ec_main", public_key: ec.publicPem }),
    ).toMatchObject({
      algorithm: "ES256",
      keyBits: 256,
      fingerprint: expect.stringMatching(/^SHA256:/),
      publicKeyPem: ec.publicPem,
    });
    expect(
      await addJwtKey(admin, SLUG, { algorithm: "EdDSA", kid: "ed_main", public_key: ed.publicPem }),
    ).toMatchObject({
      algorithm: "EdDSA",
      keyBits: 256,
      fingerprint: expect.stringMatching(/^SHA256:/),
      publicKeyPem: ed.publicPem,
    });
    const refusals: [string, string, string][] = [
      [
        "EdDSA",
        asymmetricKeyPair("ec").publicPem,
        "This is an elliptic-curve (EC) P-256 key; EdDSA needs an Ed25519 key",
      ],
      ["ES256", asymmetricKeyPair("ec", "P-384").publicPem, "This EC key is on curve P-384; ES256 needs curve P-256"],
      ["ES256", asymmetricKeyPair("ed25519").publicPem, "This is an Ed25519 key; ES256 needs an EC key on curve P-256"],
    ];
    for (const [algorithm, public_key, message] of refusals) {
      await expect(
        addJwtKey(admin, SLUG, { algorithm: algorithm as "ES256" | "EdDSA", kid: "wrong", public_key }),
      ).rejects.toMatchObject({ field: "public_key", message });
    }
    await expect(
      addJwtKey(admin, SLUG, { algorithm: "EdDSA", kid: "priv", public_key: asymmetricKeyPair("ed25519").privatePem }),
    ).rejects.toThrow(/PRIVATE key/);
    expect((await settings()).keys.map((k) => [k.kid, k.algorithm])).toEqual([
      ["ec_main", "ES256"],
      ["ed_main", "EdDSA"],
    ]);
    // The configuration document carries them both ways, unchanged.
    const doc = await exportCommunityConfig(null, SLUG);
    expect(doc.community.jwt_keys).toEqual([
      { kid: "ec_main", algorithm: "ES256", public_key: ec.publicPem },
      { kid: "ed_main", algorithm: "EdDSA", public_key: ed.publicPem },
    ]);
    const summary = await importCommunityConfig(null, doc);
    expect(summary.keys).toEqual({ added: [], replaced: [], kept: ["ec_main", "ed_main"], removed: [] });
    await expect(
      importCommunityConfig(null, {
        ...doc,
        community: { ...doc.community, jwt_keys: [{ kid: "ed_main", algorithm: "EdDSA", public_key: ec.publicPem }] },
      }),
    ).rejects.toMatchObject({
      issues: [
        {
          path: "community.jwt_keys[0].public_key",
          message: "This is an elliptic-curve (EC) P-256 key; EdDSA needs an Ed25519 key",
        },
      ],
    });
  });

  it("gives keys an optional expiry: set when added or later, cleared, audited, carried by the document", async () => {
    const inAMonth = new Date(Date.now() + 30 * 86_400_000);
    inAMonth.setUTCSeconds(0, 0);
    const added = await addJwtKey(admin, SLUG, {
      algorithm: "HS256",
      kid: "k1",
      secret: SECRET,
      expires_at: inAMonth.toISOString().slice(0, 16), // the console's date-time field: read as UTC
    });
    expect(added.expiresAt).toEqual(inAMonth);
    await expect(
      addJwtKey(admin, SLUG, { algorithm: "HS256", kid: "k2", secret: SECRET, expires_at: "2020-01-01T00:00:00Z" }),
    ).rejects.toMatchObject({
      field: "expires_at",
      message: "This instant has passed: the key would refuse every token. Choose a later one, or none.",
    });
    await expect(
      addJwtKey(admin, SLUG, { algorithm: "HS256", kid: "k2", secret: SECRET, expires_at: "next tuesday" }),
    ).rejects.toThrow(/Give a date and time such as 2027-03-01T00:00:00Z/);
    const viewer = await seedActor("viewer");
    await expect(setJwtKeyExpiry(viewer, SLUG, { kid: "k1", expires_at: null })).rejects.toMatchObject({
      code: "forbidden",
    });
    expect((await setJwtKeyExpiry(admin, SLUG, { kid: "k1", expires_at: null })).expiresAt).toBeNull();
    const later = new Date(inAMonth.getTime() + 86_400_000);
    await setJwtKeyExpiry(admin, SLUG, { kid: "k1", expires_at: later.toISOString() });
    await expect(setJwtKeyExpiry(admin, SLUG, { kid: "ghost", expires_at: null })).rejects.toMatchObject({
      code: "not_found",
    });
    const entries = await db().auditLog.findMany({
      where: { action: "jwt_key.expiry" },
      orderBy: { createdAt: "asc" },
    });
    expect(entries.map((e) => JSON.parse(e.details))).toEqual([
      { kid: "k1", expires_at: { from: inAMonth.toISOString(), to: null } },
      { kid: "k1", expires_at: { from: null, to: later.toISOString() } },
    ]);
    // The configuration document: exported, and an import with another expiry (or none) changes only that.
    const doc = await exportCommunityConfig(null, SLUG);
    expect(doc.community.jwt_keys).toEqual([{ kid: "k1", algorithm: "HS256", expires_at: later.toISOString() }]);
    const sooner = new Date(later.getTime() - 3_600_000).toISOString();
    const summary = await importCommunityConfig(null, {
      ...doc,
      community: { ...doc.community, jwt_keys: [{ kid: "k1", algorithm: "HS256", expires_at: sooner }] },
    });
    expect(summary.keys.kept).toEqual(["k1"]);
    expect((await settings()).keys[0]).toMatchObject({ kid: "k1", expiresAt: new Date(sooner), maskedSecret: "…605b" });
    await importCommunityConfig(null, {
      ...doc,
      community: { ...doc.community, jwt_keys: [{ kid: "k1", algorithm: "HS256" }] },
    });
    expect((await settings()).keys[0]!.expiresAt).toBeNull();
    await expect(
      importCommunityConfig(null, {
        ...doc,
        community: { ...doc.community, jwt_keys: [{ kid: "k1", algorithm: "HS256", expires_at: "soon" }] },
      }),
    ).rejects.toMatchObject({
      issues: [
        {
          path: "community.jwt_keys[0].expires_at",
          message: "Give a date and time such as 2027-03-01T00:00:00Z (UTC)",
        },
      ],
    });
  });

  it("keeps key IDs unique per community (not across communities)", async () => {
    await addJwtKey(admin, SLUG, { algorithm: "HS256", kid: "k1", secret: SECRET });
    await expect(
      addJwtKey(admin, SLUG, { algorithm: "HS256", kid: "k1", secret: "0123456789abcdef01234567" }),
    ).rejects.toMatchObject({
      code: "conflict",
      field: "kid",
    });
    await createCommunity(admin, { name: "Other", slug: "other" });
    await expect(addJwtKey(admin, "other", { algorithm: "HS256", kid: "k1", secret: SECRET })).resolves.toMatchObject({
      kid: "k1",
    });
  });

  it("refuses deleting the last key in require mode; allows it with another key or another mode", async () => {
    await addJwtKey(admin, SLUG, { algorithm: "HS256", kid: "old", secret: SECRET });
    await updateSignedIdentitySettings(admin, SLUG, { signed_identities: "require", clock_skew_seconds: 10 });
    await expect(deleteJwtKey(admin, SLUG, "old")).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("last key"),
    });
    await addJwtKey(admin, SLUG, { algorithm: "HS256", kid: "new", secret: "0123456789abcdef01234567" });
    await deleteJwtKey(admin, SLUG, "old"); // rotation: add new, remove old
    expect((await settings()).keys.map((k) => k.kid)).toEqual(["new"]);
    await updateSignedIdentitySettings(admin, SLUG, { signed_identities: "accept", clock_skew_seconds: 10 });
    await deleteJwtKey(admin, SLUG, "new"); // accept mode: the last key may go
    expect((await settings()).keys).toEqual([]);
  });
});

describe("custom fields and mappings (docs/reference.md)", () => {
  it("creates with a derived key, edits, and refuses deleting a mapped field naming the mapping", async () => {
    const field = await createCustomField(admin, SLUG, { label: "Customer ID", type: "string", regex: "^C[0-9]{6}$" });
    expect(field.key).toBe("customer_id");
    await expect(createCustomField(admin, SLUG, { label: "Customer id", type: "text" })).rejects.toMatchObject({
      code: "conflict",
      field: "key",
    });
    await updateCustomField(admin, SLUG, "customer_id", {
      label: "Customer number",
      type: "string",
      regex: "^C[0-9]{7}$",
    });
    expect((await settings()).customFields).toEqual([
      { key: "customer_id", label: "Customer number", type: "string", choices: [], regex: "^C[0-9]{7}$" },
    ]);
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "custom_field.update" } });
    expect(JSON.parse(audit.details)).toEqual({
      label: { from: "Customer ID", to: "Customer number" },
      regex: { from: "^C[0-9]{6}$", to: "^C[0-9]{7}$" },
    });

    await addMapping(admin, SLUG, { key: "uuid", field: "custom:customer_id" });
    await expect(deleteCustomField(admin, SLUG, "customer_id")).rejects.toMatchObject({
      code: "conflict",
      message: "“Customer number” is used by the mapping “uuid → Customer number”: delete that mapping first",
    });
    await deleteMapping(admin, SLUG, "uuid");
    await deleteCustomField(admin, SLUG, "customer_id");
    expect((await settings()).customFields).toEqual([]);
  });

  it("allows one mapping per key and one key per destination, to existing custom fields only", async () => {
    await addMapping(admin, SLUG, { key: "cell_number", field: "mobile_phone" });
    await expect(addMapping(admin, SLUG, { key: "cell_number", field: "home_phone" })).rejects.toMatchObject({
      field: "key",
    });
    await expect(addMapping(admin, SLUG, { key: "phone2", field: "mobile_phone" })).rejects.toMatchObject({
      field: "field",
      message: "mobile_phone already receives “cell_number”",
    });
    await expect(addMapping(admin, SLUG, { key: "cid", field: "custom:nope" })).rejects.toMatchObject({
      field: "field",
    });
    await expect(addMapping(admin, SLUG, { key: "a.b", field: "email" })).rejects.toThrow(/cannot contain “.”/);
    expect((await settings()).mappings).toEqual([{ key: "cell_number", field: "mobile_phone" }]);
  });
});

describe("viewers", () => {
  it("are refused every identity-settings change, and nothing changes", async () => {
    await addJwtKey(admin, SLUG, { algorithm: "HS256", kid: "k1", secret: SECRET });
    await createCustomField(admin, SLUG, { label: "Plan", type: "single_choice", choices: ["gold"] });
    await addMapping(admin, SLUG, { key: "plan", field: "custom:plan" });
    const viewer = await seedActor("viewer");
    const before = { s: await settings(), audit: await db().auditLog.count() };
    const attempts = [
      updateSignedIdentitySettings(viewer, SLUG, { signed_identities: "require", clock_skew_seconds: 10 }),
      addJwtKey(viewer, SLUG, { algorithm: "HS256", kid: "k2", secret: SECRET }),
      deleteJwtKey(viewer, SLUG, "k1"),
      createCustomField(viewer, SLUG, { label: "X", type: "string" }),
      updateCustomField(viewer, SLUG, "plan", { label: "Hacked", type: "string" }),
      deleteCustomField(viewer, SLUG, "plan"),
      addMapping(viewer, SLUG, { key: "x", field: "email" }),
      deleteMapping(viewer, SLUG, "plan"),
    ];
    for (const result of await Promise.allSettled(attempts)) {
      expect(result).toMatchObject({ status: "rejected", reason: { code: "forbidden" } });
    }
    expect({ s: await settings(), audit: await db().auditLog.count() }).toEqual(before);
  });
});
