import { describe, expect, it } from "vitest";
import { rsaKeyPair } from "../../tests/helpers/keys";
import { jwtKeyCreateSchema, kidSchema, hmacSecretSchema } from "./jwt-key";
import { pemLabelProblem } from "../identity/pem";

describe("key ID (docs/reference.md)", () => {
  it.each(["prod_2026", "a", "k1", "x".repeat(64), "0_9"])("accepts %j", (kid) =>
    expect(kidSchema.safeParse(kid).success).toBe(true),
  );
  it.each([
    ["", "Enter a key ID"],
    ["x".repeat(65), "at most 64"],
    ["Prod", "lower-case"],
    ["has space", "no spaces"],
    ["dash-ed", "lower-case"],
    ["dot.ted", "lower-case"],
    ["ünï", "lower-case"],
  ])("refuses %j", (kid, message) => {
    const r = kidSchema.safeParse(kid);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toContain(message);
  });
});

describe("HMAC secret (docs/reference.md)", () => {
  it("accepts exactly 24 lower-case hex characters", () => {
    expect(hmacSecretSchema.safeParse("9aeaf06388b8ab6487d1605b").success).toBe(true);
  });
  it.each([
    "9aeaf06388b8ab6487d1605",
    "9aeaf06388b8ab6487d1605bb",
    "9AEAF06388B8AB6487D1605B",
    "9aeaf06388b8ab6487d1605g",
    " 9aeaf06388b8ab6487d1605b",
  ])("refuses %j", (secret) =>
    expect(hmacSecretSchema.safeParse(secret).error?.issues[0]?.message).toMatch(/exactly 24 characters/),
  );
});

describe("PEM armour (docs/reference.md: each wrong kind named)", () => {
  const { publicPem, pkcs1PublicPem, privatePem } = rsaKeyPair();
  it("accepts one SPKI public key", () => expect(pemLabelProblem(publicPem)).toBeNull());
  it.each([
    ["nothing PEM-like", "hello", /starts with -----BEGIN PUBLIC KEY-----/],
    ["a private key", privatePem, /PRIVATE key/],
    ["an RSA private key", "-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----", /PRIVATE key/],
    ["a certificate", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", /certificate/],
    ["a PKCS#1 public key", pkcs1PublicPem, /PKCS#1/],
    ["two keys", publicPem + publicPem, /exactly one/],
    ["a truncated key", publicPem.split("-----END")[0]!, /cut short/],
    [
      "an SSH key block",
      "-----BEGIN OPENSSH PUBLIC KEY-----\nabc\n-----END OPENSSH PUBLIC KEY-----",
      /not a public key/,
    ],
  ])("refuses %s", (_, pem, message) => expect(pemLabelProblem(pem)).toMatch(message));
});

describe("jwtKeyCreateSchema", () => {
  it("requires the material of the chosen algorithm", () => {
    expect(
      jwtKeyCreateSchema.safeParse({ algorithm: "HS256", kid: "k", secret: "9aeaf06388b8ab6487d1605b" }).success,
    ).toBe(true);
    const noSecret = jwtKeyCreateSchema.safeParse({ algorithm: "HS256", kid: "k", public_key: "x" });
    expect(noSecret.error?.issues.map((i) => i.path.join("."))).toEqual(["secret"]);
    const noPem = jwtKeyCreateSchema.safeParse({ algorithm: "ES256", kid: "k", secret: "9aeaf06388b8ab6487d1605b" });
    expect(noPem.error?.issues.map((i) => i.path.join("."))).toEqual(["public_key"]);
    const other = jwtKeyCreateSchema.safeParse({ algorithm: "PS256", kid: "k" });
    expect(other.error?.issues[0]?.message).toBe("Choose an algorithm: HS256, RS256, ES256 or EdDSA");
  });
});
