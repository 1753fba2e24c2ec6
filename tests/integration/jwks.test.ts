// A community that verifies tokens with the keys its website publishes (docs/reference.md), end to end through
// the identity route, against a real JWKS server on 127.0.0.1 (VOUCH_JWKS_ALLOW_PRIVATE's switch on).
import crypto from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { SignJWT } from "jose";
import { handleIdentityPost } from "@/lib/api/identity-route";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/authz";
import { createCommunity } from "@/lib/dal/communities";
import { exportCommunityConfig, importCommunityConfig } from "@/lib/dal/community-config";
import { updateSignedIdentitySettings } from "@/lib/dal/identity-settings";
import { addJwtKey } from "@/lib/dal/jwt-keys";
import { jwksStatus, refreshJwks, setJwksUrl } from "@/lib/dal/jwks-url";
import { invalidateRuntimeConfig } from "@/lib/dal/runtime-config";
import { configureJwks } from "@/lib/jwks/cache";
import { resetDb, seedActor } from "../helpers/db";
import { jwkPair, startJwksServer, type JwksServer } from "../helpers/jwks-server";

let server: JwksServer;
let admin: Actor;
const rsa = jwkPair("RS256", "rsa-2027");
const ec = jwkPair("ES256", "ec-2027");
const ed = jwkPair("EdDSA", "ed-2027");

beforeAll(async () => {
  server = await startJwksServer();
});
afterAll(() => server.stop());
beforeEach(async () => {
  await resetDb();
  invalidateRuntimeConfig();
  configureJwks({ allowPrivate: true, timeoutMs: 1000 });
  server.keys = [rsa.jwk, ec.jwk, ed.jwk, { kty: "oct", k: "c2VjcmV0", kid: "hmac" }, { kty: "RSA", kid: "junk" }];
  server.behaviour = { kind: "keys" };
  server.requests = 0;
  admin = await seedActor("admin");
  await createCommunity(admin, { name: "JWKS Shop", slug: "jwks-shop" });
});
afterEach(() => {
  vi.useRealTimers();
  configureJwks(null);
});

async function post(token: string) {
  const res = await handleIdentityPost(
    new Request("http://vouch.test/api/v1/communities/jwks-shop/identity", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ signed_identity: token }),
    }),
    "jwks-shop",
  );
  type Body = { identity?: Record<string, unknown>; error: { code: string; message: string } };
  return { status: res.status, body: (await res.json()) as Body };
}
const sign = (alg: string, key: crypto.KeyObject, kid: string) =>
  new SignJWT({ uuid: `u-${kid}`, firstname: "Ada" })
    .setProtectedHeader({ alg, kid, typ: "JWT" })
    .setExpirationTime(Math.floor(Date.now() / 1000) + 7200)
    .sign(key);

describe("JWKS URL", () => {
  it("verifies RSA, EC and OKP keys the website publishes; require mode needs no configured key", async () => {
    expect(await setJwksUrl(admin, "jwks-shop", { jwks_url: server.url })).toBe(server.url);
    await updateSignedIdentitySettings(admin, "jwks-shop", { signed_identities: "require", clock_skew_seconds: 10 });
    for (const [alg, pair] of [
      ["RS256", rsa],
      ["ES256", ec],
      ["EdDSA", ed],
    ] as const) {
      const res = await post(await sign(alg, pair.privateKey, pair.jwk.kid));
      expect(res.status).toBe(200);
      expect(res.body.identity).toMatchObject({ uuid: `u-${pair.jwk.kid}`, verified: true, kid: pair.jwk.kid });
    }
    // A published key verifies its own algorithm only.
    expect(await post(await sign("ES256", ec.privateKey, "rsa-2027"))).toMatchObject({
      status: 401,
      body: { error: { code: "alg_mismatch" } },
    });
    expect(server.requests).toBe(1); // one fetch served all of it
    const status = await jwksStatus(admin, "jwks-shop");
    expect(status?.keys.map((k) => [k.kid, k.algorithm])).toEqual([
      ["rsa-2027", "RS256"],
      ["ec-2027", "ES256"],
      ["ed-2027", "EdDSA"],
    ]);
    expect(status?.ignored).toEqual([
      { kid: "hmac", reason: "a shared secret (kty oct) is never taken from a URL" },
      { kid: "junk", reason: "its parameters do not make a valid public key" },
    ]);
    const entry = await db().auditLog.findFirstOrThrow({ where: { action: "community.jwks_url" } });
    expect(JSON.parse(entry.details)).toEqual({ jwks_url: { from: null, to: server.url } });
  });

  it("picks up a newly published key after one refetch, keeps cached keys while the server is down, 503 after 24 h", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2027-05-01T10:00:00Z"));
    await setJwksUrl(admin, "jwks-shop", { jwks_url: server.url });
    await updateSignedIdentitySettings(admin, "jwks-shop", { signed_identities: "require", clock_skew_seconds: 10 });
    expect((await post(await sign("ES256", ec.privateKey, "ec-2027"))).status).toBe(200);
    // The website rotates: it publishes a new key and signs with it. No restart, no configuration change.
    const next = jwkPair("ES256", "ec-2028");
    server.keys = [...server.keys, next.jwk];
    vi.setSystemTime(new Date("2027-05-01T10:01:01Z"));
    const rotated = await post(await sign("ES256", next.privateKey, "ec-2028"));
    expect(rotated).toMatchObject({ status: 200, body: { identity: { kid: "ec-2028", verified: true } } });
    expect(server.requests).toBe(2);
    // The server goes away: the keys fetched last keep verifying…
    server.behaviour = { kind: "status", status: 502 };
    vi.setSystemTime(new Date("2027-05-02T09:00:00Z"));
    expect((await post(await sign("ES256", next.privateKey, "ec-2028"))).status).toBe(200);
    // …for 24 h after the last successful fetch; then 503 keyset_unavailable (retryable), never accepted.
    vi.setSystemTime(new Date("2027-05-02T10:01:02Z"));
    expect(await post(await sign("ES256", next.privateKey, "ec-2028"))).toMatchObject({
      status: 503,
      body: { error: { code: "keyset_unavailable" } },
    });
    const status = await jwksStatus(admin, "jwks-shop");
    expect(status?.lastError?.message).toBe("answered HTTP 502");
    expect(status?.fetchedAt).toEqual(new Date("2027-05-01T10:01:01Z"));
  });

  it("answers 503 with no keyset, and a configured key wins over a published key with the same kid", async () => {
    const published = jwkPair("ES256", "shared_kid");
    server.keys = [...server.keys, published.jwk];
    await setJwksUrl(admin, "jwks-shop", { jwks_url: server.url });
    await updateSignedIdentitySettings(admin, "jwks-shop", { signed_identities: "accept", clock_skew_seconds: 10 });
    const local = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
    await addJwtKey(admin, "jwks-shop", {
      algorithm: "ES256",
      kid: "shared_kid",
      public_key: local.publicKey.export({ type: "spki", format: "pem" }).toString(),
    });
    expect((await post(await sign("ES256", local.privateKey, "shared_kid"))).status).toBe(200);
    expect((await post(await sign("ES256", published.privateKey, "shared_kid"))).body.error.code).toBe("bad_signature");
    expect((await jwksStatus(admin, "jwks-shop"))?.keys.find((k) => k.kid === "shared_kid")?.shadowed).toBe(true);
    // A fresh instance whose first fetch fails: tokens naming configured keys still work; others get 503.
    configureJwks({ allowPrivate: true, timeoutMs: 1000 });
    server.behaviour = { kind: "status", status: 500 };
    invalidateRuntimeConfig();
    expect((await post(await sign("ES256", local.privateKey, "shared_kid"))).status).toBe(200);
    expect((await post(await sign("EdDSA", ed.privateKey, "ed-2027"))).body.error.code).toBe("keyset_unavailable");
    expect((await refreshJwks(admin, "jwks-shop")).lastError?.message).toBe("answered HTTP 500");
  });

  it("refuses a URL it cannot use, with the reason, and changes nothing", async () => {
    const refusals: [string, string][] = [
      ["ftp://example.com/jwks.json", "Give an https:// address such as https://example.com/.well-known/jwks.json"],
    ];
    for (const [url, message] of refusals) {
      await expect(setJwksUrl(admin, "jwks-shop", { jwks_url: url })).rejects.toThrow(message);
    }
    server.keys = [{ kty: "oct", k: "c2VjcmV0", kid: "hmac" }];
    await expect(setJwksUrl(admin, "jwks-shop", { jwks_url: server.url })).rejects.toMatchObject({
      field: "jwks_url",
      message: "Not saved: the keyset has no usable key",
    });
    server.behaviour = { kind: "redirect", to: "http://169.254.169.254/" };
    await expect(setJwksUrl(admin, "jwks-shop", { jwks_url: server.url })).rejects.toMatchObject({
      message: "Not saved: answered 302 (a redirect to http://169.254.169.254/); redirects are not followed",
    });
    // Without the switch: http and private addresses are refused before any fetch.
    configureJwks({ allowPrivate: false });
    server.requests = 0;
    await expect(setJwksUrl(admin, "jwks-shop", { jwks_url: server.url })).rejects.toMatchObject({
      field: "jwks_url",
      message: "The JWKS URL must use https, not http",
    });
    await expect(
      setJwksUrl(admin, "jwks-shop", { jwks_url: server.url.replace("http:", "https:") }),
    ).rejects.toMatchObject({
      message: "127.0.0.1 is not a public address (loopback): Vouch sends no request there",
    });
    expect(server.requests).toBe(0);
    const viewer = await seedActor("viewer");
    await expect(setJwksUrl(viewer, "jwks-shop", { jwks_url: server.url })).rejects.toMatchObject({
      code: "forbidden",
    });
    expect((await db().community.findUniqueOrThrow({ where: { slug: "jwks-shop" } })).jwksUrl).toBeNull();
  });

  it("travels in the configuration document; an import checks the URL the same way", async () => {
    await setJwksUrl(admin, "jwks-shop", { jwks_url: server.url });
    const doc = await exportCommunityConfig(null, "jwks-shop");
    expect(doc.community.jwks_url).toBe(server.url);
    await importCommunityConfig(null, { ...doc, community: { ...doc.community, slug: "copy-shop" } });
    expect((await db().community.findUniqueOrThrow({ where: { slug: "copy-shop" } })).jwksUrl).toBe(server.url);
    configureJwks({ allowPrivate: false });
    await expect(
      importCommunityConfig(null, {
        ...doc,
        community: { ...doc.community, slug: "third-shop", jwks_url: "https://10.0.0.8/jwks.json" },
      }),
    ).rejects.toMatchObject({
      issues: [
        {
          path: "community.jwks_url",
          message: "10.0.0.8 is not a public address (private): Vouch sends no request there",
        },
      ],
    });
    expect(await db().community.findUnique({ where: { slug: "third-shop" } })).toBeNull();
  });
});
