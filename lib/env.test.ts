import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createEncryptionKeyFile, loadEnv } from "./env";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "vouch-env-"));

describe("loadEnv", () => {
  it("generates the session secret once, owner-only, and reuses it; the encryption key only on request", () => {
    const dir = path.join(tmp(), "data");
    const first = loadEnv({ VOUCH_DATA_DIR: dir });
    expect(first.sessionSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.statSync(path.join(dir, "session-secret")).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    // The encryption key is not made here: lib/encryption-key.ts decides, knowing the database.
    expect(first.encryption).toMatchObject({
      key: null,
      fromEnvironment: false,
      source: path.join(dir, "encryption-key"),
    });
    expect(fs.existsSync(path.join(dir, "encryption-key"))).toBe(false);
    const made = createEncryptionKeyFile(first.encryption);
    expect(made).toHaveLength(32);
    expect(fs.statSync(path.join(dir, "encryption-key")).mode & 0o777).toBe(0o600);
    const second = loadEnv({ VOUCH_DATA_DIR: dir });
    expect(second.sessionSecret).toBe(first.sessionSecret);
    expect(second.encryption.key!.equals(made)).toBe(true);
    expect(createEncryptionKeyFile(second.encryption).equals(made)).toBe(true); // never replaced
  });

  it("prefers secrets from the environment and writes nothing", () => {
    const dir = path.join(tmp(), "data");
    const key = "ab".repeat(32);
    const e = loadEnv({
      VOUCH_DATA_DIR: dir,
      VOUCH_SESSION_SECRET: "s".repeat(40),
      VOUCH_ENCRYPTION_KEY: key,
      PORT: "8080",
    });
    expect(e.sessionSecret).toBe("s".repeat(40));
    expect(e.encryption.key!.toString("hex")).toBe(key);
    expect(e.encryption).toMatchObject({ fromEnvironment: true, source: "VOUCH_ENCRYPTION_KEY (environment)" });
    expect(e.port).toBe(8080);
    expect(e.baseUrl).toBe("http://localhost:8080");
    expect(fs.existsSync(path.join(dir, "session-secret"))).toBe(false);
    expect(e.trustedProxyHops).toBe(0);
    expect(
      loadEnv({
        VOUCH_DATA_DIR: dir,
        VOUCH_SESSION_SECRET: "s".repeat(40),
        VOUCH_ENCRYPTION_KEY: key,
        VOUCH_TRUSTED_PROXY_HOPS: "2",
      }).trustedProxyHops,
    ).toBe(2);
    expect(e).toMatchObject({ rateLimitPerClient: 6000, redisUrl: null, allowPrivateUrls: false });
    // VOUCH_ALLOW_PRIVATE_URLS, and its old name for JWKS URLs: the new name wins when both are set.
    const base = { VOUCH_DATA_DIR: dir, VOUCH_SESSION_SECRET: "s".repeat(40) };
    expect(loadEnv({ ...base, VOUCH_ALLOW_PRIVATE_URLS: "1" }).allowPrivateUrls).toBe(true);
    expect(loadEnv({ ...base, VOUCH_JWKS_ALLOW_PRIVATE: "1" }).allowPrivateUrls).toBe(true);
    expect(loadEnv({ ...base, VOUCH_ALLOW_PRIVATE_URLS: "0", VOUCH_JWKS_ALLOW_PRIVATE: "1" }).allowPrivateUrls).toBe(
      false,
    );
    expect(() => loadEnv({ ...base, VOUCH_ALLOW_PRIVATE_URLS: "yes" })).toThrow(/VOUCH_ALLOW_PRIVATE_URLS/);
    const limits = loadEnv({
      VOUCH_DATA_DIR: dir,
      VOUCH_SESSION_SECRET: "s".repeat(40),
      VOUCH_RATE_LIMIT_PER_CLIENT: "0",
      VOUCH_REDIS_URL: "redis://127.0.0.1:6379/2",
    });
    expect(limits).toMatchObject({ rateLimitPerClient: 0, redisUrl: "redis://127.0.0.1:6379/2" });
  });

  it("names every invalid variable", () => {
    expect(() =>
      loadEnv({
        VOUCH_DATA_DIR: tmp(),
        VOUCH_SESSION_SECRET: "short",
        VOUCH_ENCRYPTION_KEY: "xyz",
        PORT: "99999",
        VOUCH_BASE_URL: "nope",
        VOUCH_TRUSTED_PROXY_HOPS: "lots",
        VOUCH_RATE_LIMIT_PER_CLIENT: "-1",
        VOUCH_REDIS_URL: "http://127.0.0.1:6379",
      }),
    ).toThrow(
      /VOUCH_SESSION_SECRET: must be at least 32 characters[\s\S]*VOUCH_ENCRYPTION_KEY: must be 64 lower-case hex[\s\S]*VOUCH_BASE_URL: must be an absolute URL[\s\S]*PORT[\s\S]*VOUCH_TRUSTED_PROXY_HOPS: must be a whole number of proxies, 0–5[\s\S]*VOUCH_RATE_LIMIT_PER_CLIENT: must be a whole number of requests per minute[\s\S]*VOUCH_REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/,
    );
  });

  it("refuses a corrupt key file instead of silently replacing it", () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, "encryption-key"), "garbage");
    expect(() => loadEnv({ VOUCH_DATA_DIR: dir })).toThrow(/encryption-key is corrupt/);
  });
});
