import { z } from "zod";

export const JWT_ALGORITHMS = ["HS256", "RS256"] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

export const kidSchema = z
  .string()
  .min(1, "Enter a key ID")
  .max(64, "A key ID has at most 64 characters")
  .regex(/^[a-z0-9_]+$/, "Use lower-case letters, digits and _ only (no spaces)");

export const hmacSecretSchema = z
  .string()
  .regex(/^[0-9a-f]{24}$/, "An HMAC secret is exactly 24 characters of 0-9 and a-f (lower-case hexadecimal)");

/** What a pasted PEM text is, when it is not one SPKI public key — decided from its armour alone. */
export function pemLabelProblem(text: string): string | null {
  const labels = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]!);
  if (labels.length === 0) return "Paste a PEM public key: it starts with -----BEGIN PUBLIC KEY-----";
  if (labels.some((l) => l.includes("PRIVATE KEY"))) {
    return "This is a PRIVATE key: keep it secret and paste only the public key (-----BEGIN PUBLIC KEY-----)";
  }
  if (labels.length > 1) return "Paste exactly one public key";
  const label = labels[0]!;
  if (label === "CERTIFICATE") {
    return "This is a certificate: paste its public key instead (openssl x509 -pubkey -noout -in cert.pem)";
  }
  if (label === "RSA PUBLIC KEY") {
    return "This is a PKCS#1 RSA public key: convert it to SPKI (openssl rsa -RSAPublicKey_in -in key.pem -pubout)";
  }
  if (label !== "PUBLIC KEY") return `This is a "${label}" block, not a public key (-----BEGIN PUBLIC KEY-----)`;
  if (!/-----END PUBLIC KEY-----/.test(text)) return "The key is cut short: -----END PUBLIC KEY----- is missing";
  return null;
}

export const publicKeyPemSchema = z
  .string()
  .max(16_384, "A public key PEM has at most 16 KiB")
  .superRefine((pem, ctx) => {
    const problem = pemLabelProblem(pem);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const hs256KeySchema = z.object({ algorithm: z.literal("HS256"), kid: kidSchema, secret: hmacSecretSchema });
export const rs256KeySchema = z.object({ algorithm: z.literal("RS256"), kid: kidSchema, public_key: publicKeyPemSchema });

/** Adding a key (console form and, per key, the config document). */
export const jwtKeyCreateSchema = z.discriminatedUnion("algorithm", [hs256KeySchema, rs256KeySchema], {
  error: "Choose an algorithm: HS256 or RS256",
});
export type JwtKeyCreateInput = z.input<typeof jwtKeyCreateSchema>;
