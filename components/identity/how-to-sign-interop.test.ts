// Interop: the signing code the console shows is run for real — Node.js with jose, Python with Debian's
// python3-jwt, Ruby with ruby-jwt (+ ruby-rbnacl for EdDSA), independent JWT libraries — and every token
// they make must be accepted exactly like one signed with jose: the same identity out; under a token policy,
// with the policy's iss, aud and lifetime.
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SignJWT, importPKCS8 } from "jose";
import { buildRuntimeConfig, type ConfigSource } from "@vouch/core/identity/config";
import { identityResponse, processIdentityRequest } from "@vouch/core/identity/process";
import type { JwtAlgorithm } from "@vouch/core/identity/vocabulary";
import { snippet } from "./how-to-sign";
import { signingKeyPair } from "../../tests/helpers/keys";

const PYTHON = "/usr/bin/python3"; // Debian's, with python3-jwt (pyenv's may lack it)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-interop-"));
// The Node.js snippet imports jose: it runs from a folder where the project's node_modules resolve it.
const nodeDir = fs.mkdtempSync(path.join(import.meta.dirname, "../../node_modules/.vouch-interop-"));
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(nodeDir, { recursive: true, force: true });
});

const ENV: Record<JwtAlgorithm, string> = {
  HS256: "VOUCH_HMAC_SECRET",
  RS256: "VOUCH_RSA_PRIVATE_KEY",
  ES256: "VOUCH_EC_PRIVATE_KEY",
  EdDSA: "VOUCH_ED25519_PRIVATE_KEY",
};

const DRIVERS = {
  python: `
import types
user = types.SimpleNamespace(id=42, first_name="John", email="john@example.com", customer_number="C000042")
print(signed_identity(user))
`,
  ruby: `
User = Struct.new(:id, :first_name, :email, :customer_number)
puts signed_identity(User.new(42, "John", "john@example.com", "C000042"))
`,
  node: `
console.log(await signedIdentity({ id: 42, firstName: "John", email: "john@example.com", customerNumber: "C000042" }));
`,
};
const RUNNERS = {
  python: { ext: "py", bin: PYTHON, folder: () => dir },
  ruby: { ext: "rb", bin: "ruby", folder: () => dir },
  node: { ext: "mjs", bin: process.execPath, folder: () => nodeDir },
};

function run(lang: "python" | "ruby" | "node", code: string, env: Record<string, string>): string {
  const runner = RUNNERS[lang];
  const file = path.join(runner.folder(), `${crypto.randomUUID()}.${runner.ext}`);
  fs.writeFileSync(file, code + DRIVERS[lang]);
  try {
    return execFileSync(runner.bin, [file], {
      env: { ...process.env, ...env },
      encoding: "utf8",
    }).trim();
  } catch (err) {
    const e = err as { code?: string; stderr?: string };
    throw new Error(
      e.code === "ENOENT"
        ? `${lang} is not installed: apt-get install -y python3-jwt python3-cryptography ruby ruby-jwt ruby-rbnacl`
        : `the ${lang} snippet failed: ${e.stderr ?? String(err)}`,
    );
  }
}

/** A community verifying with `keys` (and a token policy, when given), as the identity route builds it. */
const interopConfig = (keys: ConfigSource["keys"], tokenPolicy?: ConfigSource["tokenPolicy"]) =>
  buildRuntimeConfig({
    communityId: "c",
    slug: "interop",
    version: 1,
    mode: "require",
    clockSkewSeconds: 10,
    rateLimitPerMinute: 0,
    allowedOrigins: [],
    keys,
    customFields: [],
    mappings: [],
    tokenPolicy,
  });

describe("signing code for a community with a token policy", () => {
  it("sets iss, aud, iat and a lifetime within the cap, accepted under that policy (jose, PyJWT, ruby-jwt)", async () => {
    const secret = crypto.randomBytes(12).toString("hex");
    // A value a naive template would break: quotes, a backslash and Ruby's interpolation.
    const policy = {
      expected_issuer: 'https://shop.example/#{x}"\\',
      expected_audience: "shop-prod",
      max_token_lifetime_minutes: 60,
    };
    const config = await interopConfig([{ id: "k", kid: "site_key", algorithm: "HS256", secret }], {
      issuer: policy.expected_issuer,
      audience: policy.expected_audience,
      maxLifetimeMinutes: 60,
    });
    for (const lang of ["node", "python", "ruby"] as const) {
      const token = run(lang, snippet(lang, "site_key", "HS256", policy), { VOUCH_HMAC_SECRET: secret });
      const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Record<string, number>;
      expect(claims, lang).toMatchObject({ iss: policy.expected_issuer, aud: "shop-prod" });
      expect(claims.exp! - claims.iat!, lang).toBe(3600);
      const r = await processIdentityRequest(config, { signed_identity: token }, new Date());
      expect(r.ok ? "ok" : r.error.code, lang).toBe("ok");
    }
    // The same code without the policy's values is refused by it: the test can tell.
    const plain = run("python", snippet("python", "site_key", "HS256"), { VOUCH_HMAC_SECRET: secret });
    const r = await processIdentityRequest(config, { signed_identity: plain }, new Date());
    expect(r.ok ? "ok" : r.error.code).toBe("iss_mismatch");
  });
});

describe("signing code in Python and Ruby, run with independent JWT libraries", () => {
  it.each(["HS256", "RS256", "ES256", "EdDSA"] as const)(
    "%s: PyJWT and ruby-jwt tokens are accepted exactly like jose's",
    async (algorithm) => {
      const secret = crypto.randomBytes(12).toString("hex");
      const pair = algorithm === "HS256" ? null : signingKeyPair(algorithm);
      const config = await interopConfig([
        algorithm === "HS256"
          ? { id: "k", kid: "site_key", algorithm, secret }
          : { id: "k", kid: "site_key", algorithm, publicKeyPem: pair!.publicPem },
      ]);
      const identityOf = async (token: string) => {
        const r = await processIdentityRequest(config, { signed_identity: token }, new Date());
        if (!r.ok) throw new Error(`refused: ${r.error.code} (${r.error.detail})`);
        const { identity } = identityResponse(r.identity);
        return identity;
      };
      const jose = await new SignJWT({
        uuid: "42",
        firstname: "John",
        email: "john@example.com",
        extra_values: { customer_number: "C000042" },
      })
        .setProtectedHeader({ alg: algorithm, kid: "site_key", typ: "JWT" })
        .setExpirationTime("2h")
        .sign(pair ? await importPKCS8(pair.privatePem, algorithm) : new TextEncoder().encode(secret));
      const expected = await identityOf(jose);
      expect(expected).toMatchObject({ uuid: "42", verified: true, kid: "site_key" });
      const env = { [ENV[algorithm]]: pair ? pair.privatePem : secret };
      for (const lang of ["node", "python", "ruby"] as const) {
        const token = run(lang, snippet(lang, "site_key", algorithm), env);
        expect(JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString())).toMatchObject({
          alg: algorithm,
          kid: "site_key",
        });
        expect(await identityOf(token), lang).toEqual(expected);
      }
    },
  );
});
