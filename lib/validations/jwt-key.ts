import { z } from "zod";
import { pemLabelProblem } from "../identity/pem";
import { ALGORITHM_LIST, JWT_ALGORITHMS, PUBLIC_KEY_ALGORITHMS, type JwtAlgorithm } from "../identity/vocabulary";

export { JWT_ALGORITHMS, type JwtAlgorithm };

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

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * When a key stops verifying (docs/reference.md): an ISO 8601 instant, UTC unless it names an offset
 * ("2027-03-01T00:00:00Z"; the console's date-time field sends "2027-03-01T00:00", read as UTC).
 * Normalised to the full UTC form; "" and null mean never.
 */
export const expiresAtSchema = z
  .union([z.string().trim(), z.null()])
  .superRefine((v, ctx) => {
    if (v === null || v === "") return;
    const m = INSTANT.exec(v);
    const [y, mo, d, h, mi, sec] = (m?.slice(1, 7) ?? []).map((n) => Number(n ?? 0));
    const real =
      m !== null &&
      mo! >= 1 &&
      mo! <= 12 &&
      new Date(Date.UTC(y!, mo! - 1, d!)).getUTCDate() === d &&
      h! < 24 &&
      mi! < 60 &&
      sec! < 60;
    if (!real) ctx.addIssue({ code: "custom", message: "Give a date and time such as 2027-03-01T00:00:00Z (UTC)" });
  })
  .transform((v) => {
    const at = v === null || v === "" ? NaN : Date.parse(/[Zz]|[+-]\d{2}:\d{2}$/.test(v) ? v : `${v}Z`);
    return Number.isNaN(at) ? null : new Date(at).toISOString(); // (an invalid value was refused above)
  });

export const hs256KeySchema = z.object({
  algorithm: z.literal("HS256"),
  kid: kidSchema,
  secret: hmacSecretSchema,
  expires_at: expiresAtSchema.optional(),
});
/** RS256, ES256 and EdDSA keys: a PEM SPKI public key (its type, size and curve are checked on the server). */
export const publicKeySchema = z.object({
  algorithm: z.enum(PUBLIC_KEY_ALGORITHMS),
  kid: kidSchema,
  public_key: publicKeyPemSchema,
  expires_at: expiresAtSchema.optional(),
});

/**
 * A JWKS URL (docs/reference.md), or "" / null for none. Only the shape is checked here: whether it is https and
 * public is decided where it is saved, after DNS (lib/jwks/fetch.ts), since that depends on the environment.
 */
export const jwksUrlSchema = z
  .union([z.string().trim(), z.null()])
  .refine(
    (v) => v === null || v === "" || (v.length <= 2048 && URL.canParse(v) && /^https?:$/.test(new URL(v).protocol)),
    {
      message: "Give an https:// address such as https://example.com/.well-known/jwks.json",
    },
  )
  .transform((v) => (v === null || v === "" ? null : v));
export const jwksUrlFormSchema = z.object({ jwks_url: jwksUrlSchema });
export type JwksUrlFormInput = z.input<typeof jwksUrlFormSchema>;

/** Setting or clearing an existing key's expiry. */
export const jwtKeyExpirySchema = z.object({ kid: kidSchema, expires_at: expiresAtSchema });
export type JwtKeyExpiryInput = z.input<typeof jwtKeyExpirySchema>;

const chooseAlgorithm = `Choose an algorithm: ${ALGORITHM_LIST}`;

/** Adding a key (console form and, per key, the config document). */
export const jwtKeyCreateSchema = z.discriminatedUnion("algorithm", [hs256KeySchema, publicKeySchema], {
  error: chooseAlgorithm,
});
export type JwtKeyCreateInput = z.input<typeof jwtKeyCreateSchema>;
