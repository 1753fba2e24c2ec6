import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { ecPublicPem, ed25519PublicPem, rsaKeyPair } from "../../tests/helpers/keys";
import { inspectRsaPublicKey } from "./rsa-key";

describe("inspectRsaPublicKey", () => {
  it("accepts a 2048-bit SPKI RSA key, with its size and SHA-256 fingerprint", () => {
    const { publicPem, publicKey } = rsaKeyPair(2048);
    const r = inspectRsaPublicKey(`\n  ${publicPem}\n`);
    const der = publicKey.export({ type: "spki", format: "der" });
    expect(r).toEqual({
      ok: true,
      pem: publicPem,
      bits: 2048,
      fingerprint: "SHA256:" + crypto.createHash("sha256").update(der).digest("base64").replace(/=+$/, ""),
    });
  });

  it("accepts larger keys", () => {
    expect(inspectRsaPublicKey(rsaKeyPair(3072).publicPem)).toMatchObject({ ok: true, bits: 3072 });
  });

  it.each([
    ["a 1024-bit RSA key", () => rsaKeyPair(1024).publicPem, "This RSA key has 1024 bits; at least 2048 are required"],
    ["an EC key", ecPublicPem, "This is an elliptic-curve (EC) key; RS256 needs an RSA key"],
    ["an Ed25519 key", ed25519PublicPem, "This is an ED25519 key; RS256 needs an RSA key"],
    ["a private key", () => rsaKeyPair().privatePem, /PRIVATE key/],
    [
      "garbage inside the armour",
      () => "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
      /could not be read/,
    ],
  ])("refuses %s with a message saying so", (_, pem, message) => {
    const r = inspectRsaPublicKey(pem());
    expect(r.ok).toBe(false);
    expect((r as { message: string }).message).toMatch(message);
  });
});
