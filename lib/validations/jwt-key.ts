import { z } from "zod";
import { pemLabelProblem } from "../identity/pem";

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

export const publicKeyPemSchema = z
  .string()
  .max(16_384, "A public key PEM has at most 16 KiB")
  .superRefine((pem, ctx) => {
    const problem = pemLabelProblem(pem);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const hs256KeySchema = z.object({ algorithm: z.literal("HS256"), kid: kidSchema, secret: hmacSecretSchema });
export const rs256KeySchema = z.object({
  algorithm: z.literal("RS256"),
  kid: kidSchema,
  public_key: publicKeyPemSchema,
});

/** Adding a key (console form and, per key, the config document). */
export const jwtKeyCreateSchema = z.discriminatedUnion("algorithm", [hs256KeySchema, rs256KeySchema], {
  error: "Choose an algorithm: HS256 or RS256",
});
export type JwtKeyCreateInput = z.input<typeof jwtKeyCreateSchema>;
