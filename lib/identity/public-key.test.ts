import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { asymmetricKeyPair, ecPublicPem, ed25519PublicPem, rsaKeyPair } from "../../tests/helpers/keys";
import { inspectPublicKey } from "./public-key";
import type { PublicKeyAlgorithm } from "./vocabulary";

const fingerprintOf = (key: crypto.KeyObject) =>
  "SHA256:" +
  crypto
    .createHash("sha256")
    .update(key.export({ type: "spki", format: "der" }))
    .digest("base64")
    .replace(/=+$/, "");

describe("inspectPublicKey", () => {
  it("accepts a 2048-bit SPKI RSA key for RS256, with its size and SHA-256 fingerprint", () => {
    const { publicPem, publicKey } = rsaKeyPair(2048);
    expect(inspectPublicKey("RS256", `\n  ${publicPem}\n`)).toEqual({
      ok: true,
      pem: publicPem,
      bits: 2048,
      fingerprint: fingerprintOf(publicKey),
    });
    expect(inspectPublicKey("RS256", rsaKeyPair(3072).publicPem)).toMatchObject({ ok: true, bits: 3072 });
  });

  it("accepts a P-256 key for ES256 and an Ed25519 key for EdDSA", () => {
    const ec = asymmetricKeyPair("ec");
    expect(inspectPublicKey("ES256", ec.publicPem)).toEqual({
      ok: true,
      pem: ec.publicPem,
      bits: 256,
      fingerprint: fingerprintOf(ec.publicKey),
    });
    const ed = asymmetricKeyPair("ed25519");
    expect(inspectPublicKey("EdDSA", ed.publicPem)).toEqual({
      ok: true,
      pem: ed.publicPem,
      bits: 256,
      fingerprint: fingerprintOf(ed.publicKey),
    });
  });

  const cases: [PublicKeyAlgorithm, string, () => string, string | RegExp][] = [
    [
      "RS256",
      "a 1024-bit RSA key",
      () => rsaKeyPair(1024).publicPem,
      "This RSA key has 1024 bits; at least 2048 are required",
    ],
    ["RS256", "an EC key", ecPublicPem, "This is an elliptic-curve (EC) P-256 key; RS256 needs an RSA key"],
    ["RS256", "an Ed25519 key", ed25519PublicPem, "This is an Ed25519 key; RS256 needs an RSA key"],
    ["ES256", "an RSA key", () => rsaKeyPair().publicPem, "This is an RSA key; ES256 needs an EC key on curve P-256"],
    [
      "ES256",
      "a P-384 key",
      () => asymmetricKeyPair("ec", "P-384").publicPem,
      "This EC key is on curve P-384; ES256 needs curve P-256",
    ],
    [
      "ES256",
      "a secp256k1 key",
      () => asymmetricKeyPair("ec", "secp256k1").publicPem,
      "This EC key is on curve secp256k1; ES256 needs curve P-256",
    ],
    ["ES256", "an Ed25519 key", ed25519PublicPem, "This is an Ed25519 key; ES256 needs an EC key on curve P-256"],
    ["EdDSA", "a P-256 key", ecPublicPem, "This is an elliptic-curve (EC) P-256 key; EdDSA needs an Ed25519 key"],
    [
      "EdDSA",
      "an Ed448 key",
      () => asymmetricKeyPair("ed448").publicPem,
      "This is an Ed448 key; EdDSA needs an Ed25519 key",
    ],
    ["EdDSA", "an RSA key", () => rsaKeyPair().publicPem, "This is an RSA key; EdDSA needs an Ed25519 key"],
    ["ES256", "a private key", () => asymmetricKeyPair("ec").privatePem, /PRIVATE key/],
    ["EdDSA", "a private key", () => asymmetricKeyPair("ed25519").privatePem, /PRIVATE key/],
    [
      "ES256",
      "garbage inside the armour",
      () => "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
      /could not be read/,
    ],
  ];
  it.each(cases)("%s: refuses %s with a message saying so", (algorithm, _, pem, message) => {
    const r = inspectPublicKey(algorithm, pem());
    expect(r.ok).toBe(false);
    expect((r as { message: string }).message).toMatch(message);
  });
});
