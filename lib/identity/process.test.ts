// docs/reference.md over the pure core: the verification order, the mode matrix, the hostile cases.
import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { buildRuntimeConfig, type ConfigSource, type RuntimeConfig } from "./config";
import { ERROR_STATUS } from "./codes";
import { identityResponse, processIdentityRequest } from "./process";
import { b64, publicJwk, rawEcToken, rawToken, signHs256, signRs256, signWith } from "../../tests/helpers/tokens";

const SECRET = "9aeaf06388b8ab6487d1605b";
// One instant for the whole file: tokens made "an hour ahead" and the check that reads them agree to the
// second, whenever the test runs (a token made at x.999 s and checked at x+1 would otherwise lose a second).
const NOW = Math.floor(Date.now() / 1000);
const AT = new Date(NOW * 1000);
const rsa = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const attacker = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const rsaPem = rsa.publicKey.export({ type: "spki", format: "pem" }).toString();
const ec = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
const ecPem = ec.publicKey.export({ type: "spki", format: "pem" }).toString();
const ed = crypto.generateKeyPairSync("ed25519");
const edPem = ed.publicKey.export({ type: "spki", format: "pem" }).toString();
const otherEc = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
const p384 = crypto.generateKeyPairSync("ec", { namedCurve: "P-384" });
const otherEd = crypto.generateKeyPairSync("ed25519");

const source = (mode: ConfigSource["mode"]): ConfigSource => ({
  communityId: "c1",
  slug: "acme",
  version: 1,
  mode,
  clockSkewSeconds: 10,
  rateLimitPerMinute: 0,
  allowedOrigins: [],
  keys: [
    { id: "k1", kid: "hs", algorithm: "HS256", secret: SECRET },
    { id: "k2", kid: "rs", algorithm: "RS256", publicKeyPem: rsaPem },
    { id: "k3", kid: "es", algorithm: "ES256", publicKeyPem: ecPem },
    { id: "k4", kid: "ed", algorithm: "EdDSA", publicKeyPem: edPem },
  ],
  customFields: [
    { key: "customer_id", label: "Customer ID", type: "string", choices: [], regex: "^C[0-9]{6}$" },
    { key: "age", label: "Age", type: "integer", choices: [], regex: null },
    { key: "score", label: "Score", type: "float", choices: [], regex: null },
    { key: "vip", label: "VIP", type: "boolean", choices: [], regex: null },
    { key: "plan", label: "Plan", type: "single_choice", choices: ["gold", "silver"], regex: null },
    { key: "tags", label: "Tags", type: "multiple_choice", choices: ["a", "b", "c"], regex: null },
  ],
  mappings: [
    { key: "uuid", field: "custom:customer_id" },
    { key: "cell_number", field: "mobile_phone" },
    { key: "nick", field: "screenname" },
    { key: "age", field: "custom:age" },
    { key: "score", field: "custom:score" },
    { key: "vip", field: "custom:vip" },
    { key: "plan", field: "custom:plan" },
    { key: "tags", field: "custom:tags" },
    { key: "mail", field: "email" },
    { key: "pic", field: "avatar_url" },
  ],
});

let accept: RuntimeConfig, reject: RuntimeConfig, require_: RuntimeConfig;
beforeAll(async () => {
  [accept, reject, require_] = await Promise.all([
    buildRuntimeConfig(source("accept")),
    buildRuntimeConfig(source("reject")),
    buildRuntimeConfig(source("require")),
  ]);
});

const claims = (extra: Record<string, unknown> = {}) => ({
  uuid: "C123456",
  firstname: "John",
  exp: NOW + 7200,
  ...extra,
});
const signed = (token: string, config = accept) => processIdentityRequest(config, { signed_identity: token }, AT);
const code = async (token: string, config = accept) => {
  const r = await signed(token, config);
  return r.ok ? "ok" : r.error.code;
};

describe("signed identity: verification order (docs/reference.md)", () => {
  it("accepts valid HS256, RS256, ES256 and EdDSA tokens, verified, with their kid and expiry", async () => {
    const exp = NOW + 7200;
    const hs = await signed(await signHs256(SECRET, claims({ exp }), { kid: "hs" }));
    expect(hs.ok && identityResponse(hs.identity)).toEqual({
      identity: {
        uuid: "C123456",
        automated_uuid: false,
        verified: true,
        kid: "hs",
        fields: { firstname: "John" },
        custom_fields: { customer_id: "C123456" },
        extra_values: {},
      },
      skipped: [],
      expires_at: exp,
    });
    expect(await code(await signRs256(rsa.privateKey, claims(), { kid: "rs" }))).toBe("ok");
    const es = await signed(await signWith("ES256", ec.privateKey, claims(), { kid: "es", typ: "JWT" }));
    expect(es.ok && es.identity).toMatchObject({ uuid: "C123456", verified: true, kid: "es" });
    const eddsa = await signed(await signWith("EdDSA", ed.privateKey, claims(), { kid: "ed" }));
    expect(eddsa.ok && eddsa.identity).toMatchObject({ uuid: "C123456", verified: true, kid: "ed" });
    expect(await code(await signHs256(SECRET, claims(), { kid: "hs", typ: "jwt" }))).toBe("ok"); // typ compared case-insensitively
    expect(await code(rawToken({ alg: "HS256", kid: "hs" }, claims(), SECRET))).toBe("ok"); // typ omitted, as many libraries do
  });

  it("checks in the reference's order with a fixed clock: the first failure wins", async () => {
    const T = new Date("2026-06-01T12:00:00Z");
    const t = Math.floor(T.getTime() / 1000);
    const at = async (token: string) => {
      const r = await processIdentityRequest(accept, { signed_identity: token }, T);
      return r.ok ? "ok" : r.error.code;
    };
    const FORGED = "f".repeat(24);
    // Forged and expired: the signature (step 3) fails before exp (step 4) is looked at.
    expect(await at(await signHs256(FORGED, { uuid: "u", exp: t - 60 }, { kid: "hs" }))).toBe("bad_signature");
    // Expired and no uuid: exp (step 4) before uuid (step 5).
    expect(await at(await signHs256(SECRET, { exp: t - 60 }, { kid: "hs" }))).toBe("exp_too_soon");
    // No exp and no uuid: exp_missing first.
    expect(await at(await signHs256(SECRET, {}, { kid: "hs" }))).toBe("exp_missing");
    // Unknown kid and forged: the kid (step 2) before the signature.
    expect(await at(await signHs256(FORGED, { uuid: "u", exp: t + 7200 }, { kid: "nope" }))).toBe("unknown_kid");
    // alg none and unknown kid: the algorithm (step 1) first.
    expect(await at(rawToken({ alg: "none", kid: "nope" }, { exp: t - 60 }))).toBe("alg_not_allowed");
    // nbf in the future beyond the leeway, otherwise fine; and within the leeway accepted.
    expect(await at(await signHs256(SECRET, { uuid: "u", exp: t + 7200, nbf: t + 11 }, { kid: "hs" }))).toBe(
      "nbf_in_future",
    );
    expect(await at(await signHs256(SECRET, { uuid: "u", exp: t + 7200, nbf: t + 10 }, { kid: "hs" }))).toBe("ok");
    // exp exactly one hour ahead less the 10 s leeway is enough; one second less is not.
    expect(await at(await signHs256(SECRET, { uuid: "u", exp: t + 3600 - 10 }, { kid: "hs" }))).toBe("ok");
    expect(await at(await signHs256(SECRET, { uuid: "u", exp: t + 3600 - 11 }, { kid: "hs" }))).toBe("exp_too_soon");
  });

  it("refuses a key from its expiry instant on (key_expired, after the kid, before the algorithm)", async () => {
    const T = new Date("2027-06-01T12:00:00Z");
    const t = Math.floor(T.getTime() / 1000);
    const config = await buildRuntimeConfig({
      ...source("accept"),
      keys: [
        { id: "k1", kid: "hs", algorithm: "HS256", secret: SECRET, expiresAt: new Date(T.getTime() + 1000) },
        { id: "k2", kid: "rs", algorithm: "RS256", publicKeyPem: rsaPem, expiresAt: null },
      ],
    });
    const at = async (token: string, when: Date) => {
      const r = await processIdentityRequest(config, { signed_identity: token }, when);
      return r.ok ? "ok" : `${r.error.code}: ${r.error.detail}`;
    };
    const token = await signHs256(SECRET, { uuid: "u", exp: t + 7200 }, { kid: "hs" });
    expect(await at(token, new Date(T.getTime() - 1000))).toBe("ok");
    expect(await at(token, new Date(T.getTime() + 1000))).toBe('key_expired: key "hs" expired at 2027-06-01T12:00:01Z');
    expect(await at(token, new Date(T.getTime() + 86_400_000))).toMatch(/^key_expired/);
    const after = new Date(T.getTime() + 1000);
    // The kid first (an unknown kid stays unknown_kid); then expiry, before the algorithm and the signature.
    expect(await at(await signHs256(SECRET, { uuid: "u", exp: t + 7200 }, { kid: "nope" }), after)).toMatch(
      /^unknown_kid/,
    );
    expect(await at(await signRs256(rsa.privateKey, { uuid: "u", exp: t + 7200 }, { kid: "hs" }), after)).toBe(
      'key_expired: key "hs" expired at 2027-06-01T12:00:01Z',
    );
    expect(await at(await signHs256("f".repeat(24), { uuid: "u", exp: t + 7200 }, { kid: "hs" }), after)).toMatch(
      /^key_expired/,
    );
    expect(await at(await signRs256(rsa.privateKey, { uuid: "u", exp: t + 7200 }, { kid: "rs" }), after)).toBe("ok");
  });

  const hostile: [string, () => Promise<string> | string, string][] = [
    ["alg none", () => rawToken({ alg: "none", kid: "hs" }, claims()), "alg_not_allowed"],
    ["alg None with a signature", () => rawToken({ alg: "None", kid: "hs" }, claims(), SECRET), "alg_not_allowed"],
    ["alg HS512", () => rawToken({ alg: "HS512", kid: "hs" }, claims(), SECRET, "sha512"), "alg_not_allowed"],
    ["alg RS384", () => rawToken({ alg: "RS384", kid: "rs" }, claims(), SECRET), "alg_not_allowed"],
    [
      "HS256 signed with the RSA public key's PEM, naming the RSA kid",
      () => signHs256(rsaPem, claims(), { kid: "rs" }),
      "alg_mismatch",
    ],
    [
      "HS256 signed with the RSA public key's PEM, naming the HS kid",
      () => signHs256(rsaPem, claims(), { kid: "hs" }),
      "bad_signature",
    ],
    ["RS256 naming the HS256 kid", () => signRs256(rsa.privateKey, claims(), { kid: "hs" }), "alg_mismatch"],
    // Elliptic-curve and Edwards keys: each key verifies its own algorithm only.
    ["ES256 naming the RS256 kid", () => signWith("ES256", ec.privateKey, claims(), { kid: "rs" }), "alg_mismatch"],
    ["RS256 naming the ES256 kid", () => signRs256(rsa.privateKey, claims(), { kid: "es" }), "alg_mismatch"],
    ["EdDSA naming the ES256 kid", () => signWith("EdDSA", ed.privateKey, claims(), { kid: "es" }), "alg_mismatch"],
    ["ES256 naming the EdDSA kid", () => signWith("ES256", ec.privateKey, claims(), { kid: "ed" }), "alg_mismatch"],
    ["HS256 naming the ES256 kid", () => signHs256(ecPem, claims(), { kid: "es" }), "alg_mismatch"],
    ["HS256 naming the EdDSA kid", () => signHs256(edPem, claims(), { kid: "ed" }), "alg_mismatch"],
    [
      "ES256 with the signature in DER form instead of JWS's r‖s",
      () => rawEcToken({ alg: "ES256", kid: "es" }, claims(), ec.privateKey, "der"),
      "bad_signature",
    ],
    [
      "ES256 signed on curve P-384, naming the P-256 kid",
      () => rawEcToken({ alg: "ES256", kid: "es" }, claims(), p384.privateKey, "ieee-p1363"),
      "bad_signature",
    ],
    [
      "ES256 signed by another P-256 key",
      () => signWith("ES256", otherEc.privateKey, claims(), { kid: "es" }),
      "bad_signature",
    ],
    [
      "EdDSA signed by another Ed25519 key",
      () => signWith("EdDSA", otherEd.privateKey, claims(), { kid: "ed" }),
      "bad_signature",
    ],
    [
      "EdDSA whose signature is the ES256 one of the same payload",
      async () => {
        const [h] = (await signWith("EdDSA", ed.privateKey, claims(), { kid: "ed" })).split(".");
        const [, p, sig] = (await signWith("ES256", ec.privateKey, claims(), { kid: "ed" })).split(".");
        return `${h}.${p}.${sig}`;
      },
      "bad_signature",
    ],
    [
      "alg ES384",
      () => rawEcToken({ alg: "ES384", kid: "es" }, claims(), ec.privateKey, "ieee-p1363"),
      "alg_not_allowed",
    ],
    [
      "alg ES256K",
      () => rawEcToken({ alg: "ES256K", kid: "es" }, claims(), ec.privateKey, "ieee-p1363"),
      "alg_not_allowed",
    ],
    [
      "alg Ed25519 (RFC 9864's name)",
      () => rawToken({ alg: "Ed25519", kid: "ed" }, claims(), SECRET),
      "alg_not_allowed",
    ],
    ["an unknown kid", () => signHs256(SECRET, claims(), { kid: "nope" }), "unknown_kid"],
    ["a path-like kid", () => signHs256(SECRET, claims(), { kid: "../../etc/passwd" }), "unknown_kid"],
    ["kid __proto__", () => signHs256(SECRET, claims(), { kid: "__proto__" }), "unknown_kid"],
    ["a 4000-character kid", () => signHs256(SECRET, claims(), { kid: "k".repeat(4000) }), "unknown_kid"],
    ["an empty kid", () => signHs256(SECRET, claims(), { kid: "" }), "token_malformed"],
    ["a numeric kid", () => signHs256(SECRET, claims(), { kid: 1 }), "token_malformed"],
    ["no kid", () => signHs256(SECRET, claims()), "token_malformed"],
    [
      "a jwk header carrying the attacker's key",
      async () => signRs256(attacker.privateKey, claims(), { kid: "rs", jwk: await publicJwk(attacker.publicKey) }),
      "bad_signature",
    ],
    [
      "a jku header",
      () => signRs256(attacker.privateKey, claims(), { kid: "rs", jku: "https://attacker.example/jwks.json" }),
      "bad_signature",
    ],
    [
      "an x5u header",
      () => signRs256(attacker.privateKey, claims(), { kid: "rs", x5u: "https://attacker.example/cert.pem" }),
      "bad_signature",
    ],
    [
      "an unknown crit extension",
      () => rawToken({ alg: "HS256", kid: "hs", crit: ["exp2"], exp2: 1 }, claims(), SECRET),
      "token_malformed",
    ],
    ["typ JOSE+JSON", () => signHs256(SECRET, claims(), { kid: "hs", typ: "JOSE+JSON" }), "token_malformed"],
    [
      "a tampered payload",
      async () => {
        const [h, , s] = (await signHs256(SECRET, claims(), { kid: "hs" })).split(".");
        return `${h}.${b64(claims({ uuid: "C999999" }))}.${s}`;
      },
      "bad_signature",
    ],
    [
      "a tampered signature",
      async () => {
        const t = await signHs256(SECRET, claims(), { kid: "hs" });
        return t.slice(0, -2) + (t.endsWith("AA") ? "BB" : "AA");
      },
      "bad_signature",
    ],
    ["an empty signature", () => rawToken({ alg: "HS256", kid: "hs" }, claims()), "bad_signature"],
    ["the wrong secret", () => signHs256("0123456789abcdef01234567", claims(), { kid: "hs" }), "bad_signature"],
    [
      "an oversized token",
      () => signHs256(SECRET, claims({ company: "x".repeat(9000) }), { kid: "hs" }),
      "token_malformed",
    ],
    ["two parts", () => "abc.def", "token_malformed"],
    ["four parts", () => "a.b.c.d", "token_malformed"],
    ["not base64url", () => "ey!.ey$.sig", "token_malformed"],
    ["a header that is not JSON", () => `${b64("{nope")}.${b64(claims())}.sig`, "token_malformed"],
    ["a payload that is an array", () => rawToken({ alg: "HS256", kid: "hs" }, [1, 2], SECRET), "token_malformed"],
    ["a payload that is a number", () => rawToken({ alg: "HS256", kid: "hs" }, 42, SECRET), "token_malformed"],
    ["exp missing", () => signHs256(SECRET, { uuid: "u1" }, { kid: "hs" }), "exp_missing"],
    ["exp as a string", () => signHs256(SECRET, claims({ exp: String(NOW + 7200) }), { kid: "hs" }), "exp_missing"],
    ["exp not an integer", () => signHs256(SECRET, claims({ exp: NOW + 7200.5 }), { kid: "hs" }), "exp_missing"],
    ["exp in the past", () => signHs256(SECRET, claims({ exp: NOW - 60 }), { kid: "hs" }), "exp_too_soon"],
    ["exp in 59 minutes", () => signHs256(SECRET, claims({ exp: NOW + 59 * 60 }), { kid: "hs" }), "exp_too_soon"],
    [
      "exp 11 s short of an hour (leeway 10 s)",
      () => signHs256(SECRET, claims({ exp: NOW + 3600 - 11 }), { kid: "hs" }),
      "exp_too_soon",
    ],
    ["nbf a minute ahead", () => signHs256(SECRET, claims({ nbf: NOW + 60 }), { kid: "hs" }), "nbf_in_future"],
    ["nbf not a number", () => signHs256(SECRET, claims({ nbf: "soon" }), { kid: "hs" }), "token_malformed"],
    ["uuid missing", () => signHs256(SECRET, { exp: NOW + 7200 }, { kid: "hs" }), "uuid_missing"],
    ["uuid empty", () => signHs256(SECRET, claims({ uuid: "  " }), { kid: "hs" }), "uuid_missing"],
    ["uuid a number", () => signHs256(SECRET, claims({ uuid: 42 }), { kid: "hs" }), "uuid_missing"],
    [
      "nested extra values",
      () => signHs256(SECRET, claims({ extra_values: { a: { b: 1 } } }), { kid: "hs" }),
      "token_malformed",
    ],
    [
      "extra values with a $ key",
      () => signHs256(SECRET, claims({ extra_values: { $where: "1" } }), { kid: "hs" }),
      "token_malformed",
    ],
    ["firstname a number", () => signHs256(SECRET, claims({ firstname: 42 }), { kid: "hs" }), "token_malformed"],
  ];
  it.each(hostile)("refuses %s", async (_, make, expected) => {
    expect(await code(await make())).toBe(expected);
  });

  it.each([
    ["exp in 61 minutes", () => claims({ exp: NOW + 61 * 60 })],
    ["exp 10 s short of an hour (within the leeway)", () => claims({ exp: NOW + 3600 - 10 })],
    ["nbf 5 s ahead (within the leeway)", () => claims({ nbf: NOW + 5 })],
    ["nbf in the past, with iat, iss and sub", () => claims({ nbf: NOW - 60, iat: NOW, iss: "shop", sub: "42" })],
  ])("accepts %s", async (_, payload) => {
    expect(await code(await signHs256(SECRET, payload(), { kid: "hs" }))).toBe("ok");
  });

  it("reports the failed step and keeps the earlier ones for the test console", async () => {
    const r = await signed(await signHs256(SECRET, claims({ exp: NOW + 600 }), { kid: "hs" }));
    expect(r.ok).toBe(false);
    expect(r.steps.map((s) => `${s.step}:${s.ok}`)).toEqual([
      "format:true",
      "key:true",
      "signature:true",
      "expiry:false",
    ]);
    expect(r.steps[3]!.message).toMatch(/expires in 600 s; at least 3590 s are required/);
  });

  it("uses a leeway set per community", async () => {
    const strict = await buildRuntimeConfig({ ...source("accept"), clockSkewSeconds: 0 });
    const token = await signHs256(SECRET, claims({ exp: NOW + 3600 - 5 }), { kid: "hs" });
    expect(await code(token, accept)).toBe("ok");
    expect(await code(token, strict)).toBe("exp_too_soon");
  });
});

describe("mode matrix (docs/reference.md)", () => {
  const unsigned = (config: RuntimeConfig) =>
    processIdentityRequest(config, { identity: { uuid: "u-1", firstname: "Ann" } }, AT);
  it.each([
    ["reject", "unsigned", "ok"],
    ["accept", "unsigned", "ok"],
    ["require", "unsigned", "signed_identity_required"],
    ["reject", "valid", "signed_identity_rejected"],
    ["accept", "valid", "ok"],
    ["require", "valid", "ok"],
    ["reject", "invalid", "signed_identity_rejected"],
    ["accept", "invalid", "bad_signature"],
    ["require", "invalid", "bad_signature"],
  ])("%s mode, %s identity → %s", async (mode, kind, expected) => {
    const config = { reject, accept, require: require_ }[mode as "reject"]!;
    const valid = await signHs256(SECRET, claims(), { kid: "hs" });
    const r =
      kind === "unsigned"
        ? await unsigned(config)
        : await signed(kind === "valid" ? valid : valid.slice(0, -3) + "xyz", config);
    expect(r.ok ? "ok" : r.error.code).toBe(expected);
    if (r.ok) expect(r.identity.verified).toBe(kind === "valid");
  });
});

describe("unsigned identities and the request body", () => {
  const body = (b: unknown) => processIdentityRequest(accept, b, AT);
  it("gives anonymous visitors an automated UUID (24 lower-case hex), which the regex keeps out of Customer ID", async () => {
    const r = await body({ identity: {} });
    if (!r.ok) throw new Error(r.error.code);
    expect(r.identity.uuid).toMatch(/^[0-9a-f]{24}$/);
    expect(identityResponse(r.identity)).toMatchObject({
      identity: { automated_uuid: true, verified: false, kid: null, custom_fields: {} },
      skipped: [{ target: "custom:customer_id", reason: "regex_mismatch" }],
      expires_at: null,
    });
  });

  it.each([
    ["a JSON array", [], /expected a JSON object/],
    ["both kinds", { identity: {}, signed_identity: "x" }, /exactly one of/],
    ["neither", {}, /exactly one of/],
    ["an unknown top-level property", { identity: {}, debug: true }, /unknown property "debug"/],
    ["an unknown attribute", { identity: { frstname: "Typo" } }, /identity unknown attribute "frstname"/],
    ["identity not an object", { identity: "john" }, /identity must be an object/],
    ["a number for a name", { identity: { firstname: 42 } }, /identity\.firstname must be a string/],
    [
      "nested extra values",
      { identity: { extra_values: { a: { b: 1 } } } },
      /identity\.extra_values\.a must be a string, number, boolean or null/,
    ],
    ["an extra value key with a dot", { identity: { extra_values: { "a.b": 1 } } }, /cannot contain “\.”/],
    ["a uuid with spaces around", { identity: { uuid: " u1 " } }, /identity\.uuid must not start or end with spaces/],
  ])("refuses %s with invalid_body naming it", async (_, b, message) => {
    const r = await body(b);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe("invalid_body");
      expect(r.error.message).toMatch(message);
    }
  });

  it("maps extra values, checks custom types and regexes, and reports what it skipped", async () => {
    const r = await body({
      identity: {
        uuid: "C654321",
        screenname: "johnny",
        email: "not-an-email",
        avatar_url: "javascript:alert(1)",
        extra_values: {
          cell_number: "+33 6 12 34 56 78",
          nick: "JD",
          age: "42",
          score: 4.5,
          vip: "true",
          plan: "bronze",
          tags: "a, c",
          other: null,
          mail: "john@example.com",
          pic: "https://cdn.example.com/j.png",
        },
      },
    });
    if (!r.ok) throw new Error(r.error.code);
    const res = identityResponse(r.identity);
    expect(res.identity.fields).toEqual({
      screenname: "JD", // the mapped value wins over the attribute
      mobile_phone: "+33 6 12 34 56 78",
      email: "john@example.com", // mapped: replaces the invalid attribute, which is then not reported
      avatar_url: "https://cdn.example.com/j.png",
    });
    expect(res.identity.custom_fields).toEqual({
      customer_id: "C654321",
      age: 42,
      score: 4.5,
      vip: true,
      tags: ["a", "c"],
    });
    expect(res.skipped).toEqual([{ target: "custom:plan", reason: "not_a_choice" }]);
    expect(res.identity.extra_values).toMatchObject({ other: null, age: "42" });
    expect(r.identity.applied.sources).toMatchObject({ screenname: "extra_values.nick", "custom:customer_id": "uuid" });

    const bad = await body({
      identity: {
        email: "nope",
        avatar_url: "javascript:alert(1)",
        extra_values: { age: "4.2", score: "abc", vip: "yes" },
      },
    });
    if (!bad.ok) throw new Error(bad.error.code);
    expect(identityResponse(bad.identity).skipped).toEqual([
      { target: "email", reason: "invalid_email" },
      { target: "avatar_url", reason: "invalid_url" },
      { target: "custom:customer_id", reason: "regex_mismatch" },
      { target: "custom:age", reason: "type_mismatch" },
      { target: "custom:score", reason: "type_mismatch" },
      { target: "custom:vip", reason: "type_mismatch" },
    ]);
    expect(identityResponse(bad.identity).identity.fields).toEqual({});
  });

  it("reads only the visitor's own extra values: inherited names are absent, never the prototype", async () => {
    const config = await buildRuntimeConfig({
      ...source("reject"),
      mappings: [
        { key: "constructor", field: "notes" },
        { key: "toString", field: "company" },
        { key: "hasOwnProperty", field: "custom:customer_id" },
      ],
    });
    const none = await processIdentityRequest(config, { identity: { uuid: "u1" } }, AT);
    if (!none.ok) throw new Error(none.error.code);
    expect(identityResponse(none.identity).identity.fields).toEqual({});
    expect(identityResponse(none.identity).identity.custom_fields).toEqual({});
    expect(identityResponse(none.identity).skipped).toEqual([]);

    const r = await processIdentityRequest(
      config,
      {
        identity: { uuid: "u2", extra_values: { constructor: "a note", toString: "Acme", hasOwnProperty: "C123456" } },
      },
      AT,
    );
    if (!r.ok) throw new Error(r.error.code);
    const res = identityResponse(r.identity);
    expect(res.identity.fields).toEqual({ notes: "a note", company: "Acme" });
    expect(res.identity.custom_fields).toEqual({ customer_id: "C123456" });
    expect(res.identity.extra_values).toEqual({ constructor: "a note", toString: "Acme", hasOwnProperty: "C123456" });

    // Bodies arrive as JSON text, where "__proto__" is an own key: zod drops it, it never becomes a prototype.
    const sent = JSON.parse('{"identity":{"uuid":"u3","extra_values":{"__proto__":{"verified":true},"a":"b"}}}');
    const proto = await processIdentityRequest(config, sent, AT);
    if (!proto.ok) throw new Error(proto.error.code);
    const stored = identityResponse(proto.identity).identity;
    expect(stored.extra_values).toEqual({ a: "b" });
    expect(Object.getPrototypeOf(stored.extra_values)).toBe(Object.prototype);
    expect(stored.verified).toBe(false);
    expect(({} as Record<string, unknown>).verified).toBeUndefined();
  });
});

describe("fuzzing (fast-check)", () => {
  it("answers every JSON body with a result or a known error code, never an exception", async () => {
    const known = new Set(Object.keys(ERROR_STATUS));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue(),
          fc.record({ identity: fc.jsonValue() }),
          fc.record({
            identity: fc.dictionary(
              fc.constantFrom("uuid", "firstname", "email", "extra_values", "avatar_url"),
              fc.jsonValue(),
            ),
          }),
          fc.record({ signed_identity: fc.oneof(fc.string(), fc.jsonValue()) }),
          fc.record({
            signed_identity: fc
              .tuple(fc.jsonValue(), fc.jsonValue(), fc.string())
              .map(([h, p, s]) => `${b64(h)}.${b64(p)}.${s}`),
          }),
        ),
        async (b) => {
          const r = await processIdentityRequest(accept, b, AT);
          if (!r.ok) expect(known.has(r.error.code)).toBe(true);
        },
      ),
      { numRuns: 1500 },
    );
  });
});
