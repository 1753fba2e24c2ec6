// The token policy and revocation steps (docs/reference.md, "Verifying a signed identity", steps 4, 5, 7)
// over the pure core, with a fixed clock: each code, what the log's detail says, and the step order.
import { describe, expect, it } from "vitest";
import { buildRuntimeConfig, type ConfigSource, type RevocationLookup } from "./config";
import { processIdentityRequest } from "./process";
import { signHs256 } from "../../tests/helpers/tokens";

const SECRET = "9aeaf06388b8ab6487d1605b";
const FORGED = "f".repeat(24);
const T = new Date("2026-06-01T12:00:00Z");
const t = T.getTime() / 1000;

const config = (extra: Partial<ConfigSource> = {}) =>
  buildRuntimeConfig({
    communityId: "c1",
    slug: "acme",
    version: 1,
    mode: "require",
    clockSkewSeconds: 10,
    rateLimitPerMinute: 0,
    allowedOrigins: [],
    keys: [{ id: "k1", kid: "hs", algorithm: "HS256", secret: SECRET }],
    customFields: [],
    mappings: [],
    ...extra,
  });
const policy = (p: Partial<NonNullable<ConfigSource["tokenPolicy"]>>) => ({
  tokenPolicy: { issuer: null, audience: null, maxLifetimeMinutes: null, ...p },
});

async function outcome(extra: Partial<ConfigSource>, claims: Record<string, unknown>, secret = SECRET) {
  const r = await processIdentityRequest(
    await config(extra),
    { signed_identity: await signHs256(secret, claims, { kid: "hs" }) },
    T,
  );
  return r.ok ? { code: "ok" } : { code: r.error.code, detail: r.error.detail };
}
const base = { uuid: "u1", exp: t + 7200, iat: t - 60 };

describe("token policy", () => {
  it("checks iss against the expected issuer, exactly", async () => {
    const p = policy({ issuer: "https://shop.example.com" });
    expect(await outcome(p, { ...base, iss: "https://shop.example.com" })).toEqual({ code: "ok" });
    expect(await outcome(p, { ...base, iss: "https://shop.example.com/" })).toEqual({
      code: "iss_mismatch",
      detail: 'expected iss "https://shop.example.com", the token has "https://shop.example.com/"',
    });
    expect(await outcome(p, base)).toEqual({
      code: "iss_mismatch",
      detail: 'expected iss "https://shop.example.com", the token has none',
    });
    expect((await outcome(p, { ...base, iss: ["https://shop.example.com"] })).code).toBe("iss_mismatch");
  });

  it("checks that aud, a string or an array of strings, contains the expected audience", async () => {
    const p = policy({ audience: "acme-prod" });
    expect(await outcome(p, { ...base, aud: "acme-prod" })).toEqual({ code: "ok" });
    expect(await outcome(p, { ...base, aud: ["acme-staging", "acme-prod"] })).toEqual({ code: "ok" });
    expect(await outcome(p, { ...base, aud: ["acme-staging"] })).toEqual({
      code: "aud_mismatch",
      detail: 'expected aud "acme-prod", the token has ["acme-staging"]',
    });
    expect((await outcome(p, { ...base, aud: "ACME-PROD" })).code).toBe("aud_mismatch");
    expect((await outcome(p, base)).code).toBe("aud_mismatch");
    // No policy: iss and aud are not looked at.
    expect(await outcome({}, { ...base, iss: "anyone", aud: "anything" })).toEqual({ code: "ok" });
  });

  it("caps exp − iat, refusing a token without iat", async () => {
    const p = policy({ maxLifetimeMinutes: 120 });
    expect(await outcome(p, { uuid: "u1", iat: t, exp: t + 7200 })).toEqual({ code: "ok" });
    expect(await outcome(p, { uuid: "u1", iat: t, exp: t + 7201 })).toEqual({
      code: "token_lifetime_too_long",
      detail: "the token lives 120 min (exp − iat); this community allows at most 120 min",
    });
    expect(await outcome(p, { uuid: "u1", exp: t + 7200 })).toEqual({
      code: "token_lifetime_too_long",
      detail: "the token has no iat; this community allows tokens of at most 120 min (exp − iat)",
    });
  });

  it("refuses iat in the future beyond the leeway, always", async () => {
    expect(await outcome({}, { ...base, iat: t + 10 })).toEqual({ code: "ok" });
    expect(await outcome({}, { ...base, iat: t + 11 })).toEqual({
      code: "iat_in_future",
      detail: "the token says it was issued 11 s from now (iat)",
    });
    expect((await outcome({}, { ...base, iat: "yesterday" })).code).toBe("token_malformed");
  });

  it("checks in order: signature, then iss/aud, then expiry, then the lifetime cap, then uuid", async () => {
    const all = policy({ issuer: "me", audience: "you", maxLifetimeMinutes: 60 });
    const bad = { exp: t + 60, iat: t + 600, iss: "them", aud: "us" }; // every check fails; no uuid either
    expect((await outcome(all, bad, FORGED)).code).toBe("bad_signature");
    expect((await outcome(all, bad)).code).toBe("iss_mismatch");
    expect((await outcome(all, { ...bad, iss: "me" })).code).toBe("aud_mismatch");
    expect((await outcome(all, { ...bad, iss: "me", aud: "you" })).code).toBe("exp_too_soon");
    expect((await outcome(all, { ...bad, iss: "me", aud: "you", exp: t + 7200 })).code).toBe("iat_in_future");
    expect((await outcome(all, { ...bad, iss: "me", aud: "you", exp: t + 7200, iat: t })).code).toBe(
      "token_lifetime_too_long",
    );
    expect((await outcome(all, { iss: "me", aud: "you", exp: t + 3600, iat: t })).code).toBe("uuid_missing");
  });
});

describe("revocation", () => {
  const at =
    (ms: number | null): RevocationLookup =>
    () =>
      ms;

  it("refuses tokens issued before the instant or without iat; accepts later ones", async () => {
    const r = { revocation: at(T.getTime() - 30_000) }; // revoked 30 s ago
    expect(await outcome(r, { uuid: "u1", exp: t + 7200, iat: t - 60 })).toEqual({
      code: "token_revoked",
      detail:
        'tokens for uuid "u1" issued before 2026-06-01T11:59:30Z are revoked; this one was issued 2026-06-01T11:59:00Z',
    });
    expect((await outcome(r, { uuid: "u1", exp: t + 7200, iat: t - 30 })).code).toBe("token_revoked"); // the same second
    expect((await outcome(r, { uuid: "u1", exp: t + 7200 })).code).toBe("token_revoked");
    expect(await outcome(r, { uuid: "u1", exp: t + 7200, iat: t - 29 })).toEqual({ code: "ok" });
    expect(await outcome({ revocation: at(null) }, { uuid: "u1", exp: t + 7200 })).toEqual({ code: "ok" });
  });

  it("is the last step: an invalid token gets its own code, and the lookup sees only verified uuids", async () => {
    const asked: string[] = [];
    const r = {
      revocation: (uuid: string) => {
        asked.push(uuid);
        return Promise.resolve(T.getTime());
      },
    };
    expect((await outcome(r, { uuid: "u1", exp: t + 60 })).code).toBe("exp_too_soon");
    expect((await outcome(r, { uuid: "u1", exp: t + 7200 }, FORGED)).code).toBe("bad_signature");
    expect((await outcome(r, { exp: t + 7200 })).code).toBe("uuid_missing");
    expect(asked).toEqual([]);
    expect((await outcome(r, { uuid: "u2", exp: t + 7200, iat: t - 1 })).code).toBe("token_revoked");
    expect(asked).toEqual(["u2"]);
  });

  it("answers unavailable when the lookup fails, never accepts", async () => {
    const r = { revocation: () => Promise.reject(new Error("database down")) };
    expect((await outcome(r, { ...base })).code).toBe("unavailable");
  });
});
