import crypto from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { createDb, db, setDb } from "@/lib/db";
import { handleIdentityOptions, handleIdentityPost } from "@/lib/api/identity-route";
import { importCommunityConfig } from "@/lib/dal/community-config";
import { updateSignedIdentitySettings } from "@/lib/dal/identity-settings";
import {
  flushRouteTelemetry,
  startRouteTelemetry,
  stopRouteTelemetry,
  MAX_LOG_ROWS_PER_COMMUNITY,
  MAX_REFUSALS_PER_FLUSH_PER_COMMUNITY,
} from "@/lib/dal/route-telemetry";
import { keyUseLast24h, listVerificationLog } from "@/lib/dal/telemetry-queries";
import { CHECK_INTERVAL_MS, invalidateRuntimeConfig } from "@/lib/dal/runtime-config";
import { keyMaterial, setJwtKeyExpiry } from "@/lib/dal/jwt-keys";
import { resolveDatabase } from "@/lib/db-url";
import { resetDb } from "../helpers/db";
import { errorResponseSchema, identityResponseSchema } from "@/lib/identity/contract";
import { nowS, rawToken, signHs256, signRs256 } from "../helpers/tokens";

const SECRET = "9aeaf06388b8ab6487d1605b";
const rsa = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });

async function community(mode: "reject" | "accept" | "require", allowed_origins: string[] = []) {
  await importCommunityConfig(null, {
    version: 1,
    community: {
      name: "Acme",
      slug: "acme",
      signed_identities: mode,
      clock_skew_seconds: 10,
      allowed_origins,
      jwt_keys: [
        { kid: "prod_2026", algorithm: "HS256", secret: SECRET },
        {
          kid: "rsa_main",
          algorithm: "RS256",
          public_key: rsa.publicKey.export({ type: "spki", format: "pem" }).toString(),
        },
      ],
      custom_fields: [{ key: "customer_id", label: "Customer ID", type: "string", regex: "^C[0-9]{6}$" }],
      extra_value_mappings: [
        { key: "uuid", field: "custom:customer_id" },
        { key: "cell_number", field: "mobile_phone" },
      ],
    },
  });
}

function post(body: unknown, headers: Record<string, string> = {}, slug = "acme", now?: Date) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return handleIdentityPost(
    new Request(`http://vouch.test/api/v1/communities/${slug}/identity`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: text,
    }),
    slug,
    now ? { now } : {},
  );
}
async function call(body: unknown, headers: Record<string, string> = {}, slug = "acme", now?: Date) {
  const res = await post(body, headers, slug, now);
  const json = await res.json();
  // Every response must match the published contract (the OpenAPI document is generated from it).
  (res.status === 200 ? identityResponseSchema : errorResponseSchema).parse(json);
  return { status: res.status, body: json, headers: res.headers };
}
const token = (claims: Record<string, unknown> = {}, kid = "prod_2026") =>
  signHs256(SECRET, { uuid: "C123456", firstname: "John", exp: nowS() + 7200, ...claims }, { kid });
const err = (status: number, code: string) => ({ status, body: { error: { code, message: expect.any(String) } } });

// Flushes happen when the tests say so, never on the timer in the middle of an assertion.
beforeAll(() => stopRouteTelemetry());
afterAll(() => startRouteTelemetry());
beforeEach(async () => {
  await flushRouteTelemetry();
  await resetDb();
  invalidateRuntimeConfig();
});

describe("identity route: HTTP contract (docs/reference.md)", () => {
  it("refuses a key from its expiry on: 401 key_expired, logged; the other keys keep working", async () => {
    await community("require");
    // The key lapses a minute from now; the route is asked at an instant before it, then after it — no
    // configuration change in between: the cached key itself lapses.
    const expiry = Date.now() + 60_000;
    await setJwtKeyExpiry(null, "acme", { kid: "prod_2026", expires_at: new Date(expiry).toISOString() });
    expect((await call({ signed_identity: await token() }, {}, "acme", new Date(expiry - 1))).status).toBe(200);
    const refused = await call({ signed_identity: await token() }, {}, "acme", new Date(expiry));
    expect(refused).toMatchObject(err(401, "key_expired"));
    expect(refused.body.error.message).toBe("The signed identity names a key that has expired.");
    const rs = await signRs256(rsa.privateKey, { uuid: "C123456", exp: nowS() + 7200 }, { kid: "rsa_main" });
    expect((await call({ signed_identity: rs })).status).toBe(200);
    await flushRouteTelemetry();
    const log = await listVerificationLog(
      null,
      (await db().community.findUniqueOrThrow({ where: { slug: "acme" } })).id,
    );
    expect(log.map((l) => [l.code, l.kid, l.detail.replace(/at \S+$/, "at <instant>")])).toEqual([
      ["key_expired", "prod_2026", 'key "prod_2026" expired at <instant>'],
    ]);
  });

  it("answers a valid signed identity with the identity as agents will see it, and stores it", async () => {
    await community("require");
    const exp = nowS() + 7200;
    const res = await call({
      signed_identity: await token({ exp, extra_values: { cell_number: "+1 555 0100", customer_number: "C1" } }),
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      identity: {
        uuid: "C123456",
        automated_uuid: false,
        verified: true,
        kid: "prod_2026",
        fields: { firstname: "John", mobile_phone: "+1 555 0100" },
        custom_fields: { customer_id: "C123456" },
        extra_values: { cell_number: "+1 555 0100", customer_number: "C1" },
      },
      skipped: [],
      expires_at: exp,
    });
    expect(res.headers.get("cache-control")).toBe("no-store");
    const row = await db().identity.findFirstOrThrow({ where: { uuid: "C123456" } });
    expect(row).toMatchObject({ verified: true, kid: "prod_2026", automatedUuid: false });
    expect(JSON.parse(row.fields)).toEqual({ firstname: "John", mobile_phone: "+1 555 0100" });
    expect(JSON.parse(row.sources)).toEqual({
      firstname: "attribute",
      mobile_phone: "extra_values.cell_number",
      "custom:customer_id": "uuid",
    });
  });

  const cases: [
    string,
    "reject" | "accept" | "require",
    () => Promise<unknown> | unknown,
    ReturnType<typeof err> | number,
  ][] = [
    ["unsigned in reject mode", "reject", () => ({ identity: { uuid: "v1", firstname: "Ann" } }), 200],
    ["unsigned in accept mode", "accept", () => ({ identity: { uuid: "v1" } }), 200],
    ["unsigned in require mode", "require", () => ({ identity: { uuid: "v1" } }), err(403, "signed_identity_required")],
    [
      "a valid token in reject mode",
      "reject",
      async () => ({ signed_identity: await token() }),
      err(403, "signed_identity_rejected"),
    ],
    ["a valid token in accept mode", "accept", async () => ({ signed_identity: await token() }), 200],
    [
      "a valid RS256 token in require mode",
      "require",
      async () => ({
        signed_identity: await signRs256(rsa.privateKey, { uuid: "u9", exp: nowS() + 7200 }, { kid: "rsa_main" }),
      }),
      200,
    ],
    [
      "an expired token in require mode",
      "require",
      async () => ({ signed_identity: await token({ exp: nowS() - 5 }) }),
      err(401, "exp_too_soon"),
    ],
    [
      "a token for 59 minutes",
      "require",
      async () => ({ signed_identity: await token({ exp: nowS() + 59 * 60 }) }),
      err(401, "exp_too_soon"),
    ],
    [
      "a token without exp",
      "require",
      async () => ({ signed_identity: await signHs256(SECRET, { uuid: "u" }, { kid: "prod_2026" }) }),
      err(400, "exp_missing"),
    ],
    [
      "a token without uuid",
      "require",
      async () => ({ signed_identity: await signHs256(SECRET, { exp: nowS() + 7200 }, { kid: "prod_2026" }) }),
      err(400, "uuid_missing"),
    ],
    [
      "an unknown kid",
      "require",
      async () => ({ signed_identity: await token({}, "old_2024") }),
      err(401, "unknown_kid"),
    ],
    [
      "a tampered token",
      "require",
      async () => ({ signed_identity: (await token()).slice(0, -4) + "abcd" }),
      err(401, "bad_signature"),
    ],
    [
      "a token naming the RSA key, HMAC-signed",
      "require",
      async () => ({ signed_identity: await token({}, "rsa_main") }),
      err(401, "alg_mismatch"),
    ],
    ["a garbage token", "require", () => ({ signed_identity: "not.a.jwt!" }), err(400, "token_malformed")],
    ["a 9 KiB token", "require", () => ({ signed_identity: "a".repeat(9 * 1024) }), err(400, "token_malformed")],
    [
      "an HS512 token",
      "require",
      () => ({
        signed_identity: rawToken(
          { alg: "HS512", kid: "prod_2026" },
          { uuid: "u", exp: nowS() + 7200 },
          SECRET,
          "sha512",
        ),
      }),
      err(401, "alg_not_allowed"),
    ],
    [
      "an alg none token",
      "accept",
      () => ({ signed_identity: rawToken({ alg: "none", kid: "prod_2026" }, { uuid: "u", exp: nowS() + 7200 }) }),
      err(401, "alg_not_allowed"),
    ],
    [
      "a token valid only in 10 minutes (nbf)",
      "require",
      async () => ({ signed_identity: await token({ nbf: nowS() + 600 }) }),
      err(401, "nbf_in_future"),
    ],
    [
      "an invalid token in reject mode",
      "reject",
      async () => ({ signed_identity: (await token()).slice(0, -4) + "abcd" }),
      err(403, "signed_identity_rejected"),
    ],
    [
      "an invalid token in accept mode",
      "accept",
      async () => ({ signed_identity: (await token()).slice(0, -4) + "abcd" }),
      err(401, "bad_signature"),
    ],
    [
      "an expired token in accept mode",
      "accept",
      async () => ({ signed_identity: await token({ exp: nowS() - 5 }) }),
      err(401, "exp_too_soon"),
    ],
    ["an array body", "accept", () => [1, 2], err(400, "invalid_body")],
    [
      "nested extra values",
      "accept",
      () => ({ identity: { extra_values: { a: { b: 1 } } } }),
      err(400, "invalid_body"),
    ],
    ["invalid JSON", "accept", () => "{ nope", err(400, "invalid_body")],
  ];
  it.each(cases)("%s (%s mode)", async (_, mode, body, expected) => {
    await community(mode);
    const res = await call(await body());
    if (typeof expected === "number") expect(res.status).toBe(expected);
    else expect({ status: res.status, body: res.body }).toEqual(expected);
  });

  it("names the problem in the message", async () => {
    await community("accept");
    expect((await call({ identity: { frstname: "x" } })).body.error.message).toMatch(/unknown attribute "frstname"/);
  });

  it("refuses other media types, oversized bodies and unknown communities before any work", async () => {
    await community("accept");
    const plain = await handleIdentityPost(
      new Request("http://vouch.test/x", { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" }),
      "acme",
    );
    expect({ status: plain.status, body: await plain.json() }).toEqual(err(415, "unsupported_media_type"));
    const big = JSON.stringify({ identity: { company: "x".repeat(70_000) } });
    const declared = await post(big); // Content-Length says too much: refused before reading
    expect({ status: declared.status, body: await declared.json() }).toEqual(err(413, "payload_too_large"));
    // Without a Content-Length (chunked), the limit holds while reading.
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(big));
        c.close();
      },
    });
    const chunked = await handleIdentityPost(
      new Request("http://vouch.test/x", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: stream,
        duplex: "half",
      } as RequestInit),
      "acme",
    );
    expect({ status: chunked.status, body: await chunked.json() }).toEqual(err(413, "payload_too_large"));
    expect(await call({ identity: {} }, {}, "ghost")).toMatchObject(err(404, "community_not_found"));
    expect(await db().identity.count()).toBe(0);
  });
});

describe("identity route: exact limits (docs/reference.md)", () => {
  it("accepts a body of exactly 64 KiB and refuses one byte more, with or without Content-Length", async () => {
    await community("accept");
    const json = JSON.stringify({ identity: { uuid: "limit-1", firstname: "Ann" } });
    const exact = json + " ".repeat(64 * 1024 - json.length); // JSON allows trailing white space
    expect(Buffer.byteLength(exact)).toBe(65_536);
    expect((await call(exact)).status).toBe(200);
    expect(await call(exact + " ")).toMatchObject(err(413, "payload_too_large"));
    const chunked = (text: string) =>
      handleIdentityPost(
        new Request("http://vouch.test/x", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: new ReadableStream({
            start(c) {
              const b = new TextEncoder().encode(text);
              c.enqueue(b.subarray(0, 1000));
              c.enqueue(b.subarray(1000));
              c.close();
            },
          }),
          duplex: "half",
        } as RequestInit),
        "acme",
      );
    expect((await chunked(exact)).status).toBe(200);
    expect((await chunked(exact + " ")).status).toBe(413);
  });

  it("accepts a token of exactly 8 KiB and refuses one byte more as token_malformed", async () => {
    await community("require");
    // Pad a claim until the compact token is exactly 8192 bytes (base64url grows in steps: try both headers).
    let exact: string | undefined;
    for (const header of [{ kid: "prod_2026" }, { kid: "prod_2026", typ: "JWT", cty: "x" }]) {
      for (let n = 5800; n < 6200 && !exact; n++) {
        const t = await signHs256(SECRET, { uuid: "u8k", exp: nowS() + 7200, pad: "x".repeat(n) }, header);
        if (t.length === 8192) exact = t;
        if (t.length > 8192) break;
      }
      if (exact) break;
    }
    expect(exact).toHaveLength(8192);
    expect((await call({ signed_identity: exact })).status).toBe(200);
    const over = await call({ signed_identity: exact + "A" });
    expect(over).toMatchObject(err(400, "token_malformed"));
    expect(over.body.error.message).toMatch(/longer than 8 KiB/);
  });

  it("runs admin regexes in linear time on 60 KB of mapped visitor input", async () => {
    const fields = Array.from({ length: 15 }, (_, i) => ({
      key: `f${i}`,
      label: `F${i}`,
      type: "text",
      regex: "^(a+)+$",
    }));
    await importCommunityConfig(null, {
      version: 1,
      community: {
        name: "Regex",
        slug: "regex",
        signed_identities: "reject",
        custom_fields: fields,
        extra_value_mappings: fields.map((f) => ({ key: f.key, field: `custom:${f.key}` })),
      },
    });
    // A backtracking engine needs ~2^4000 steps on each of these: it would never answer.
    const evil = "a".repeat(3999) + "!";
    const body = { identity: { uuid: "redos", extra_values: Object.fromEntries(fields.map((f) => [f.key, evil])) } };
    expect(JSON.stringify(body).length).toBeGreaterThan(60_000);
    const t0 = performance.now();
    const res = await call(body, {}, "regex");
    const ms = performance.now() - t0;
    expect(res.status).toBe(200);
    expect(res.body.skipped).toHaveLength(15);
    expect(res.body.skipped[0]).toEqual({ target: "custom:f0", reason: "regex_mismatch" });
    expect(ms).toBeLessThan(5000); // a bound, not a benchmark: seconds of headroom on a busy machine
  });
});

describe("identity route: what is stored (docs/reference.md)", () => {
  it("never lets unsigned data overwrite a verified identity (accept mode)", async () => {
    await community("accept");
    expect((await call({ signed_identity: await token({ email: "john@example.com" }) })).status).toBe(200);
    const before = await db().identity.findFirstOrThrow({ where: { uuid: "C123456" } });
    expect(await call({ identity: { uuid: "C123456", email: "evil@example.com" } })).toMatchObject(
      err(403, "verified_identity_locked"),
    );
    expect(await db().identity.findFirstOrThrow({ where: { uuid: "C123456" } })).toEqual(before);
    // A new signed token may update it.
    expect((await call({ signed_identity: await token({ email: "john@new.example.com" }) })).status).toBe(200);
    expect(JSON.parse((await db().identity.findFirstOrThrow({ where: { uuid: "C123456" } })).fields).email).toBe(
      "john@new.example.com",
    );
  });

  it("describes only what this request established, never earlier data", async () => {
    await community("accept");
    await call({ identity: { uuid: "v-7", email: "ann@example.com", company: "Acme" } });
    const second = await call({ identity: { uuid: "v-7", firstname: "Ann" } });
    expect(second.body.identity.fields).toEqual({ firstname: "Ann" });
  });

  it("gives anonymous visitors an automated UUID and keeps it out of Customer ID", async () => {
    await community("reject");
    const res = await call({ identity: {} });
    expect(res.body.identity).toMatchObject({
      uuid: expect.stringMatching(/^[0-9a-f]{24}$/),
      automated_uuid: true,
      verified: false,
      kid: null,
      custom_fields: {},
    });
    expect(res.body.skipped).toEqual([{ target: "custom:customer_id", reason: "regex_mismatch" }]);
    expect((await db().identity.findFirstOrThrow({ where: { uuid: res.body.identity.uuid } })).automatedUuid).toBe(
      true,
    );
  });

  it("stores N concurrent identities exactly once each, and one row for one uuid", async () => {
    await community("accept");
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => call({ identity: { uuid: `load-${i}` } })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(await db().identity.count({ where: { uuid: { startsWith: "load-" } } })).toBe(25);
    const same = await Promise.all(
      Array.from({ length: 10 }, async () => call({ signed_identity: await token({ uuid: "same-1" }) })),
    );
    expect(same.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(await db().identity.count({ where: { uuid: "same-1" } })).toBe(1);
  });

  it("takes configuration changes into account at once", async () => {
    await community("accept");
    expect((await call({ identity: { uuid: "x" } })).status).toBe(200);
    await updateSignedIdentitySettings(null, "acme", { signed_identities: "require", clock_skew_seconds: 10 });
    expect(await call({ identity: { uuid: "x" } })).toMatchObject(err(403, "signed_identity_required"));
  });
});

describe("identity route: the configuration cache", () => {
  it("notices a community deleted and recreated under the same slug by another instance, even at the same version", async () => {
    await community("accept");
    expect((await call({ signed_identity: await token() })).status).toBe(200);
    const NEW = "0123456789abcdef01234567";
    // Another instance: no invalidation reaches this process's cache.
    await db().community.delete({ where: { slug: "acme" } });
    await db().$transaction(async (tx) => {
      const c = await tx.community.create({
        data: { slug: "acme", name: "Acme again", signedIdentities: "accept", configVersion: 1 },
      });
      const material = await keyMaterial(tx, c.id, { algorithm: "HS256", kid: "prod_2026", secret: NEW });
      await tx.jwtKey.create({ data: { communityId: c.id, kid: "prod_2026", algorithm: "HS256", ...material } });
    });
    await new Promise((r) => setTimeout(r, CHECK_INTERVAL_MS + 100));
    expect(await call({ signed_identity: await token() })).toMatchObject(err(401, "bad_signature")); // the old secret is gone
    const fresh = await signHs256(NEW, { uuid: "C123456", exp: nowS() + 7200 }, { kid: "prod_2026" });
    expect((await call({ signed_identity: fresh })).status).toBe(200);
  });
});

describe("identity route: CORS (docs/reference.md)", () => {
  it("allows listed origins, refuses others, and lets non-browser callers through", async () => {
    await community("accept", ["https://shop.example.com"]);
    const ok = await call({ identity: {} }, { origin: "https://shop.example.com" });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://shop.example.com");
    const refused = await call({ identity: {} }, { origin: "https://evil.example" });
    expect({ status: refused.status, body: refused.body }).toEqual(err(403, "origin_not_allowed"));
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
    expect((await call({ identity: {} })).status).toBe(200);
    // Same-origin calls (Vouch's own pages) are not cross-origin: always allowed.
    expect((await call({ identity: {} }, { origin: "http://vouch.test" })).status).toBe(200);

    const preflight = (origin: string) =>
      handleIdentityOptions(
        new Request("http://vouch.test/x", {
          method: "OPTIONS",
          headers: { origin, "access-control-request-method": "POST" },
        }),
        "acme",
      );
    const pre = await preflight("https://shop.example.com");
    expect(pre.status).toBe(204);
    expect(Object.fromEntries([...pre.headers].filter(([k]) => k.startsWith("access-control")))).toEqual({
      "access-control-allow-origin": "https://shop.example.com",
      "access-control-expose-headers": "Retry-After",
      "access-control-allow-methods": "POST, OPTIONS",
      "access-control-allow-headers": "Content-Type",
      "access-control-max-age": "600",
    });
    const refusedPreflight = await preflight("https://evil.example");
    expect(refusedPreflight.status).toBe(403);
    expect((await refusedPreflight.json()).error.code).toBe("origin_not_allowed");
    // A browser stops at a refused preflight, so that refusal is what administrators need to see.
    await flushRouteTelemetry();
    const communityId = (await db().community.findUniqueOrThrow({ where: { slug: "acme" } })).id;
    expect(
      (await listVerificationLog(null, communityId)).filter((l) => l.detail.startsWith("preflight")),
    ).toMatchObject([
      {
        code: "origin_not_allowed",
        origin: "https://evil.example",
        detail: "preflight from origin https://evil.example, which is not in this community's allowed origins",
      },
    ]);
  });

  it('allows any origin with "*"', async () => {
    await community("accept", ["*"]);
    const res = await call({ identity: {} }, { origin: "https://anything.example" });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://anything.example");
  });
});

describe("identity route: insight for administrators", () => {
  it("records key use in batches and refusals in the verification log, without signatures or secrets", async () => {
    await community("require");
    await call({ signed_identity: await token() });
    await call({ signed_identity: await token({ uuid: "u2" }) });
    const bad = await token({ exp: nowS() + 120 });
    await call({ signed_identity: bad });
    await call({ identity: {} }, { origin: "https://unlisted.example" });
    const key = await db().jwtKey.findFirstOrThrow({ where: { kid: "prod_2026" } });
    expect(key.lastUsedAt).toBeNull(); // not written per request
    await flushRouteTelemetry();
    expect((await db().jwtKey.findFirstOrThrow({ where: { kid: "prod_2026" } })).lastUsedAt).not.toBeNull();
    expect((await keyUseLast24h(null, [key.id])).get(key.id)).toBe(2);
    const log = await listVerificationLog(null, key.communityId);
    expect(log.map((l) => l.code).sort()).toEqual(["exp_too_soon", "origin_not_allowed"]);
    expect(log.find((l) => l.code === "origin_not_allowed")).toMatchObject({
      origin: "https://unlisted.example",
      detail: "origin https://unlisted.example is not in this community's allowed origins",
    });
    expect(log.find((l) => l.code === "exp_too_soon")).toMatchObject({
      code: "exp_too_soon",
      kid: "prod_2026",
      detail: expect.stringMatching(/expires in 1[12]\d s/),
    });
    expect(log.find((l) => l.code === "exp_too_soon")!.excerpt).toMatchObject({
      kind: "signed",
      header: { alg: "HS256", kid: "prod_2026", typ: "JWT" },
      claims: { uuid: "C123456" },
    });
    const stored = JSON.stringify(await db().verificationLog.findMany());
    expect(stored).not.toContain(bad.split(".")[2]);
    expect(stored).not.toContain(SECRET);
  });
});

describe("identity route: a flood of bad requests", () => {
  it("cannot grow the verification log without bound", async () => {
    await community("require");
    const bad = await Promise.all(Array.from({ length: 250 }, () => call({ identity: {} })));
    expect(bad.every((r) => r.status === 403)).toBe(true);
    await flushRouteTelemetry();
    const communityId = (await db().community.findUniqueOrThrow({ where: { slug: "acme" } })).id;
    expect(await db().verificationLog.count({ where: { communityId } })).toBe(MAX_REFUSALS_PER_FLUSH_PER_COMMUNITY);

    // And over time only the newest rows are kept.
    const old = Date.now() - 3_600_000;
    await db().verificationLog.createMany({
      data: Array.from({ length: MAX_LOG_ROWS_PER_COMMUNITY + 5 }, (_, i) => ({
        communityId,
        code: "bad_signature",
        detail: "old",
        createdAt: new Date(old - i * 10),
      })),
    });
    await call({ identity: {} });
    await flushRouteTelemetry();
    expect(await db().verificationLog.count({ where: { communityId } })).toBe(MAX_LOG_ROWS_PER_COMMUNITY);
    expect(await db().verificationLog.count({ where: { communityId, detail: { not: "old" } } })).toBeGreaterThan(0);
  });
});

describe("identity route: what the log keeps of hostile requests", () => {
  it("keeps at most 1 KiB of each text (cut with …), whatever the caller sends", async () => {
    await community("require", ["https://shop.example.com"]);
    const longOrigin = `https://${"o".repeat(5000)}.example`;
    expect(await call({ identity: {} }, { origin: longOrigin })).toMatchObject(err(403, "origin_not_allowed"));
    expect(await call({ ["p".repeat(50_000)]: 1, other: 2 })).toMatchObject(err(400, "invalid_body"));
    expect(await call({ signed_identity: await token({}, "k".repeat(4000)) })).toMatchObject(err(401, "unknown_kid"));
    const manyClaims = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`${"c".repeat(60)}${i}`, i]));
    expect(await call({ signed_identity: await token({ ...manyClaims, nbf: nowS() + 600 }) })).toMatchObject(
      err(401, "nbf_in_future"),
    );
    await flushRouteTelemetry();
    const rows = await db().verificationLog.findMany();
    expect(rows.map((r) => r.code).sort()).toEqual([
      "invalid_body",
      "nbf_in_future",
      "origin_not_allowed",
      "unknown_kid",
    ]);
    for (const r of rows) {
      for (const text of [r.detail, r.origin ?? "", r.kid ?? "", r.excerpt])
        expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1024);
      expect(() => JSON.parse(r.excerpt)).not.toThrow();
    }
    const byCode = Object.fromEntries(rows.map((r) => [r.code, r]));
    expect(byCode.origin_not_allowed!.origin!.endsWith("…")).toBe(true);
    expect(byCode.origin_not_allowed!.detail.endsWith("…")).toBe(true);
    expect(byCode.unknown_kid!.kid!.endsWith("…")).toBe(true);
    expect(byCode.invalid_body!.excerpt).not.toContain("p".repeat(100));
    expect(JSON.parse(byCode.nbf_in_future!.excerpt)).toMatchObject({ kind: "signed", header: { kid: "prod_2026" } });
  });
});

describe("identity route: faults", () => {
  it("answers 503 unavailable when the database cannot be reached, and recovers", async () => {
    await community("accept");
    const real = db();
    const unreachable = resolveDatabase({ DATABASE_URL: "postgresql://postgres@127.0.0.1:1/none" });
    setDb(createDb(unreachable));
    invalidateRuntimeConfig();
    try {
      expect(await call({ identity: {} })).toMatchObject(err(503, "unavailable"));
    } finally {
      await db()
        .$disconnect()
        .catch(() => {});
      setDb(real);
      invalidateRuntimeConfig();
    }
    expect((await call({ identity: {} })).status).toBe(200);
  });

  it("never answers 5xx, whatever the body (fast-check)", async () => {
    await community("accept");
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.record({ identity: fc.object() }).map((v) => JSON.stringify(v)),
          fc.record({ signed_identity: fc.string() }).map((v) => JSON.stringify(v)),
        ),
        async (text) => {
          const res = await post(text);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });
});
