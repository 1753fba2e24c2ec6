// JWKS URLs (docs/reference.md) against a real server on 127.0.0.1: the usable keys and the ignored ones, the
// fetch limits, the SSRF guard, and the per-instance cache (refetch on unknown kid, last good keyset
// for 24 h, unavailable after).
import crypto from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { jwkPair, startJwksServer, type JwksServer } from "../../tests/helpers/jwks-server";
import { configureJwks, keysetKey, keysetState, fetchKeysetNow } from "./cache";
import { checkJwksUrl, fetchJwksDocument, keysetMaxAge } from "./fetch";
import { parseKeyset } from "./keyset";

let server: JwksServer;
beforeAll(async () => {
  server = await startJwksServer();
});
afterAll(() => server.stop());
beforeEach(() => {
  server.keys = [];
  server.behaviour = { kind: "keys" };
  server.requests = 0;
  configureJwks({ allowPrivate: true, timeoutMs: 500 });
});
afterEach(() => vi.useRealTimers());

const pub = (alg: "RS256" | "ES256" | "EdDSA", kid: string) => jwkPair(alg, kid).jwk;

describe("parseKeyset", () => {
  it("takes RSA ≥ 2048, EC P-256 and Ed25519 signing keys, and lists every other entry with its reason", async () => {
    const weak = crypto.generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "jwk" });
    const p384 = crypto.generateKeyPairSync("ec", { namedCurve: "P-384" }).publicKey.export({ format: "jwk" });
    const x25519 = crypto.generateKeyPairSync("x25519").publicKey.export({ format: "jwk" });
    const rsaPrivate = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
    const { keys, ignored } = await parseKeyset({
      keys: [
        pub("RS256", "rsa-1"),
        { ...pub("ES256", "ec-1"), alg: undefined, use: undefined },
        pub("EdDSA", "ed 1"),
        { ...weak, kid: "weak" },
        { ...p384, kid: "p384" },
        { ...x25519, kid: "x" },
        { ...pub("RS256", "enc"), use: "enc" },
        { ...pub("RS256", "ps"), alg: "PS256" },
        { kty: "oct", k: "c2VjcmV0", kid: "hmac" },
        { ...rsaPrivate, kid: "private" },
        { ...pub("ES256", "") },
        { ...pub("ES256", "x".repeat(129)) },
        pub("ES256", "ec-1"),
        { kty: "RSA", n: "AQAB", e: "AQAB", kid: "broken" },
        "not an object",
      ],
    });
    expect(keys.map((k) => [k.kid, k.algorithm, k.fingerprint.startsWith("SHA256:")])).toEqual([
      ["rsa-1", "RS256", true],
      ["ec-1", "ES256", true],
      ["ed 1", "EdDSA", true],
    ]);
    expect(ignored).toEqual([
      { kid: "weak", reason: "an RSA key of 1024 bits; at least 2048 are required" },
      { kid: "p384", reason: "curve P-384 is not P-256" },
      { kid: "x", reason: "curve X25519 is not Ed25519" },
      { kid: "enc", reason: 'use is "enc", not "sig"' },
      { kid: "ps", reason: "alg PS256 is not RS256" },
      { kid: "hmac", reason: "a shared secret (kty oct) is never taken from a URL" },
      { kid: "private", reason: "it holds private key material" },
      { kid: "", reason: "the kid is not 1–128 printable ASCII characters" },
      { kid: "x".repeat(32), reason: "the kid is not 1–128 printable ASCII characters" },
      { kid: "ec-1", reason: "the same kid appears earlier in the set" },
      { kid: "broken", reason: expect.stringMatching(/RSA key of \d+ bits|do not make a valid public key/) },
      { kid: null, reason: "not a JSON object" },
    ]);
    await expect(parseKeyset({ nokeys: [] })).rejects.toThrow('not a JSON Web Key Set (no "keys" array)');
  });
});

describe("fetching", () => {
  it("reads max-age clamped to 5 min–24 h, 1 h without one", () => {
    expect(keysetMaxAge("public, max-age=600")).toBe(600);
    expect(keysetMaxAge("max-age=5")).toBe(300);
    expect(keysetMaxAge("max-age=999999")).toBe(86_400);
    expect(keysetMaxAge(undefined)).toBe(3600);
    expect(keysetMaxAge("no-store")).toBe(3600);
  });

  it("refuses slow, oversized, malformed, redirecting and failing answers with the reason", async () => {
    const opts = { allowPrivate: true, timeoutMs: 500 };
    // A server that answers after 5 s: the default 3 s limit ends the fetch, never a hung request.
    server.behaviour = { kind: "slow", ms: 5000 };
    const started = Date.now();
    await expect(fetchJwksDocument(server.url, { allowPrivate: true })).rejects.toThrow(
      "no complete answer within 3 s",
    );
    expect(Date.now() - started).toBeLessThan(3500);
    const cases: [JwksServer["behaviour"], string][] = [
      [{ kind: "slow", ms: 5000 }, "no complete answer within 0.5 s"],
      [{ kind: "huge" }, "the keyset is larger than 64 KiB"],
      [{ kind: "malformed" }, "the answer is not JSON"],
      [
        { kind: "redirect", to: "http://169.254.169.254/latest/meta-data" },
        "answered 302 (a redirect to http://169.254.169.254/latest/meta-data); redirects are not followed",
      ],
      [{ kind: "status", status: 500 }, "answered HTTP 500"],
    ];
    for (const [behaviour, message] of cases) {
      server.behaviour = behaviour;
      const t0 = Date.now();
      await expect(fetchJwksDocument(server.url, opts)).rejects.toThrow(message);
      expect(Date.now() - t0).toBeLessThan(2000); // never a hung request
    }
  });

  it("without VOUCH_JWKS_ALLOW_PRIVATE: https only, and no host that is or resolves to a non-public address", async () => {
    const strict = (resolved: string[] = []) => ({ allowPrivate: false, resolve: async () => resolved });
    const refused: [string, string[], string][] = [
      ["http://keys.example.com/jwks.json", ["93.184.216.34"], "The JWKS URL must use https, not http"],
      ["https://127.0.0.1/jwks.json", [], "127.0.0.1 is not a public address (loopback)"],
      ["https://[::1]/jwks.json", [], "::1 is not a public address (loopback)"],
      ["https://10.1.2.3/jwks.json", [], "10.1.2.3 is not a public address (private)"],
      ["https://172.20.0.5/jwks.json", [], "172.20.0.5 is not a public address (private)"],
      ["https://192.168.1.10/jwks.json", [], "192.168.1.10 is not a public address (private)"],
      ["https://169.254.169.254/jwks.json", [], "169.254.169.254 is not a public address (linkLocal)"],
      ["https://[::ffff:127.0.0.1]/jwks.json", [], "::ffff:7f00:1 is not a public address (loopback)"],
      [
        "https://keys.example.com/jwks.json",
        ["10.0.0.7"],
        "keys.example.com resolves to 10.0.0.7, which is not a public address (private)",
      ],
      [
        "https://keys.example.com/jwks.json",
        ["93.184.216.34", "::ffff:192.168.0.1"],
        "keys.example.com resolves to ::ffff:192.168.0.1, which is not a public address (private)",
      ],
      ["https://user:pw@keys.example.com/jwks.json", ["93.184.216.34"], "must not carry a user name or password"],
      ["not a url", [], "This is not a URL"],
    ];
    for (const [url, resolved, message] of refused) {
      await expect(checkJwksUrl(url, strict(resolved)), url).rejects.toThrow(message);
    }
    await expect(checkJwksUrl("https://keys.example.com/jwks.json", strict(["93.184.216.34"]))).resolves.toMatchObject({
      address: "93.184.216.34",
    });
    // The real resolver: localhost is loopback.
    await expect(checkJwksUrl("https://localhost/jwks.json", { allowPrivate: false })).rejects.toThrow(
      /localhost resolves to (127\.0\.0\.1|::1), which is not a public address \(loopback\)/,
    );
  });
});

describe("the per-instance keyset cache", () => {
  it("serves published keys, and a key published later after one refetch — no restart, no configuration change", async () => {
    const first = jwkPair("ES256", "k1");
    server.keys = [first.jwk];
    expect(await keysetKey("c1", server.url, "k1")).toMatchObject({ kid: "k1", algorithm: "ES256" });
    expect(server.requests).toBe(1);
    expect(await keysetKey("c1", server.url, "k1")).toMatchObject({ kid: "k1" }); // cached
    expect(server.requests).toBe(1);
    // Rotation: the website publishes k2. The first token naming it triggers one refetch.
    server.keys = [first.jwk, jwkPair("EdDSA", "k2").jwk];
    const now = Date.now();
    expect(await keysetKey("c1", server.url, "k2", now + 61_000)).toMatchObject({ kid: "k2", algorithm: "EdDSA" });
    expect(server.requests).toBe(2);
    // Unknown kids refetch at most once a minute.
    expect(await keysetKey("c1", server.url, "nope", now + 62_000)).toBe("unknown");
    expect(await keysetKey("c1", server.url, "nope2", now + 63_000)).toBe("unknown");
    expect(server.requests).toBe(2);
    expect(await keysetKey("c1", server.url, "nope", now + 122_000)).toBe("unknown");
    expect(server.requests).toBe(3);
  });

  it("keeps the last good keyset for 24 h while the URL fails, then says unavailable", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2027-01-01T00:00:00Z"));
    server.keys = [pub("RS256", "k1")];
    server.behaviour = { kind: "keys", cacheControl: "max-age=300" };
    expect(await keysetKey("c2", server.url, "k1")).toMatchObject({ kid: "k1" });
    server.behaviour = { kind: "status", status: 503 };
    vi.setSystemTime(new Date("2027-01-01T23:59:00Z"));
    expect(await keysetKey("c2", server.url, "k1")).toMatchObject({ kid: "k1" }); // stale, still good
    expect(keysetState("c2", server.url)?.lastError?.message).toBe("answered HTTP 503");
    vi.setSystemTime(new Date("2027-01-02T00:00:01Z"));
    expect(await keysetKey("c2", server.url, "k1")).toBe("unavailable");
    // Back: the next attempt (a minute later) restores it.
    server.behaviour = { kind: "keys" };
    vi.setSystemTime(new Date("2027-01-02T00:01:02Z"));
    expect(await keysetKey("c2", server.url, "k1")).toMatchObject({ kid: "k1" });
  });

  it("says unavailable when no keyset was ever fetched, and does not hammer a failing URL", async () => {
    server.behaviour = { kind: "status", status: 404 };
    expect(await keysetKey("c3", server.url, "k1")).toBe("unavailable");
    expect(await keysetKey("c3", server.url, "k1")).toBe("unavailable");
    expect(server.requests).toBe(1);
    const st = await fetchKeysetNow("c3", server.url); // "fetch now" ignores the interval
    expect(server.requests).toBe(2);
    expect(st.lastError?.message).toBe("answered HTTP 404");
    server.behaviour = { kind: "keys" };
    server.keys = [{ kty: "oct", k: "c2VjcmV0", kid: "hmac" }];
    expect((await fetchKeysetNow("c3", server.url)).lastError?.message).toBe("the keyset has no usable key");
  });
});
