import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DemoConfigError, loadDemoConfig } from "./config";

const SECRET = "0123456789abcdef01234567";
const problems = (args: string[], env: Record<string, string | undefined> = {}) => {
  try {
    loadDemoConfig(args, env);
  } catch (err) {
    expect(err).toBeInstanceOf(DemoConfigError);
    return (err as Error).message.split("\n\n")[0];
  }
  throw new Error("expected a DemoConfigError");
};

describe("demo shop settings", () => {
  it("defaults to unsigned identities against a local Vouch", () => {
    expect(loadDemoConfig(["--community", "acme-shop"], {})).toEqual({
      vouch: "http://127.0.0.1:3000",
      community: "acme-shop",
      ttl: 7200,
      port: 4000,
      host: "127.0.0.1",
      signer: { kind: "unsigned" },
    });
  });

  it("signs with HS256 when a kid and the secret (from the environment only) are given", () => {
    const s = loadDemoConfig(
      ["--vouch", "https://vouch.example.com/", "--community", "acme-shop", "--kid", "prod_2026", "--port", "0"],
      { VOUCH_DEMO_SECRET: SECRET },
    );
    expect(s).toMatchObject({
      vouch: "https://vouch.example.com",
      port: 0,
      signer: { kind: "HS256", kid: "prod_2026", secret: SECRET },
    });
  });

  it("names every problem by its flag or variable", () => {
    expect(problems([], {})).toContain("--community: is required");
    expect(problems(["--community", "acme-shop", "--kid", "prod"], {})).toContain(
      "--kid: needs VOUCH_DEMO_SECRET (HS256) or --private-key (RS256, ES256, EdDSA)",
    );
    expect(problems(["--community", "acme-shop"], { VOUCH_DEMO_SECRET: SECRET })).toContain(
      "--kid: is required to sign tokens",
    );
    const many = problems(["--community", "Acme Shop", "--vouch", "ftp://x", "--ttl", "600", "--port", "70000"], {
      VOUCH_DEMO_SECRET: "short",
    });
    expect(many).toMatch(/--community: Use lower-case letters/);
    expect(many).toMatch(/--vouch: must be an http:\/\/ or https:\/\/ address/);
    expect(many).toMatch(/--ttl: must be at least 3700 s/);
    expect(many).toMatch(/--port: /);
    expect(many).toMatch(/VOUCH_DEMO_SECRET: An HMAC secret is exactly 24 characters/);
    expect(problems(["--community", "acme-shop", "--secret", SECRET])).toMatch(/Unknown option '--secret'/);
  });

  it("signs with its own keyset (--jwks) only without another key", () => {
    expect(loadDemoConfig(["--community", "acme-shop", "--jwks", "keys.json"], {}).signer).toEqual({
      kind: "jwks",
      file: "keys.json",
    });
    expect(
      problems(["--community", "acme-shop", "--jwks", "keys.json", "--kid", "k"], {
        VOUCH_DEMO_SECRET: "0123456789abcdef01234567",
      }),
    ).toContain(
      "--jwks: signs with the keyset's newest key: give it without --kid, --private-key or VOUCH_DEMO_SECRET",
    );
  });

  it("reads an RSA, P-256 or Ed25519 private key file (its type picks the algorithm) and refuses anything else", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "demo-"));
    const pub = path.join(dir, "pub.pem");
    fs.writeFileSync(pub, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
    expect(problems(["--community", "acme-shop", "--kid", "rsa", "--private-key", pub])).toContain(
      "is not a PKCS#8 PEM private key",
    );
    expect(
      problems(["--community", "acme-shop", "--kid", "rsa", "--private-key", path.join(dir, "missing.pem")]),
    ).toContain("cannot read");
    const priv = path.join(dir, "priv.pem");
    fs.writeFileSync(priv, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    expect(problems(["--community", "acme-shop", "--kid", "k", "--private-key", priv])).toContain(
      "could not be read as a private key",
    );
    // The key's type picks the algorithm.
    const keys: [string, crypto.KeyObject, string | null][] = [
      ["RS256", crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey, null],
      ["ES256", crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey, null],
      ["EdDSA", crypto.generateKeyPairSync("ed25519").privateKey, null],
      ["", crypto.generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey, "is a ec key on secp384r1"],
    ];
    for (const [kind, key, problem] of keys) {
      fs.writeFileSync(priv, key.export({ type: "pkcs8", format: "pem" }));
      const args = ["--community", "acme-shop", "--kid", "k", "--private-key", priv];
      if (problem) expect(problems(args)).toContain(problem);
      else expect(loadDemoConfig(args, {}).signer).toMatchObject({ kind, kid: "k" });
    }
    fs.rmSync(dir, { recursive: true });
  });
});
