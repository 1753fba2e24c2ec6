// The Node snippet shown to integrators must produce tokens Vouch accepts: run it for real.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { buildRuntimeConfig } from "@vouch/core/identity/config";
import { processIdentityRequest } from "@vouch/core/identity/process";
import { snippet } from "./how-to-sign";

const dir = fs.mkdtempSync(path.join(process.cwd(), "node_modules", ".how-to-sign-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function runNodeSnippet(code: string, env: Record<string, string>) {
  const file = path.join(dir, `s${crypto.randomUUID()}.mjs`);
  fs.writeFileSync(file, code);
  Object.assign(process.env, env);
  const mod = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as {
    signedIdentity: (u: unknown) => Promise<string>;
  };
  return mod.signedIdentity({ id: 42, firstName: "John", email: "john@example.com", customerNumber: "C000042" });
}

describe("how-to-sign snippets", () => {
  const pair = (algorithm: "RS256" | "ES256" | "EdDSA") =>
    algorithm === "RS256"
      ? crypto.generateKeyPairSync("rsa", { modulusLength: 2048 })
      : algorithm === "ES256"
        ? crypto.generateKeyPairSync("ec", { namedCurve: "P-256" })
        : crypto.generateKeyPairSync("ed25519");
  const ENV = { RS256: "VOUCH_RSA_PRIVATE_KEY", ES256: "VOUCH_EC_PRIVATE_KEY", EdDSA: "VOUCH_ED25519_PRIVATE_KEY" };

  it.each(["HS256", "RS256", "ES256", "EdDSA"] as const)(
    "the Node.js %s code mints a token the identity route verifies",
    async (algorithm) => {
      const secret = crypto.randomBytes(12).toString("hex");
      const { publicKey, privateKey } = pair(algorithm === "HS256" ? "RS256" : algorithm);
      const env: Record<string, string> =
        algorithm === "HS256"
          ? { VOUCH_HMAC_SECRET: secret }
          : { [ENV[algorithm]]: privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
      const token = await runNodeSnippet(snippet("node", "prod_2026", algorithm), env);
      const config = await buildRuntimeConfig({
        communityId: "c",
        slug: "s",
        version: 1,
        mode: "require",
        clockSkewSeconds: 10,
        rateLimitPerMinute: 0,
        allowedOrigins: [],
        keys: [
          algorithm === "HS256"
            ? { id: "k", kid: "prod_2026", algorithm, secret }
            : {
                id: "k",
                kid: "prod_2026",
                algorithm,
                publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
              },
        ],
        customFields: [],
        mappings: [],
      });
      const result = await processIdentityRequest(config, { signed_identity: token }, new Date());
      expect(result.ok && result.identity).toMatchObject({ uuid: "42", verified: true, kid: "prod_2026" });
    },
  );

  it("names the key and algorithm in every language, and never embeds a secret", () => {
    for (const lang of ["node", "python", "ruby"] as const) {
      const code = snippet(lang, "rotate_2027", "HS256");
      expect(code).toContain("rotate_2027");
      expect(code).toContain("HS256");
      expect(code).toContain("VOUCH_HMAC_SECRET");
    }
  });
});
