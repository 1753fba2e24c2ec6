// The words of the identity contract, each defined once (docs/reference.md): signed-identity modes, custom
// field types, the attributes a widget sends, the identity fields values land in, why a value is
// skipped, how a mapping names a custom field, the slug rule, what an extra-value key may be.
// The route, the forms, the OpenAPI document and the tests all read them from here. No framework imports.
import { z } from "zod";

export const SIGNED_IDENTITY_MODES = ["reject", "accept", "require"] as const;
export type SignedIdentityMode = (typeof SIGNED_IDENTITY_MODES)[number];

/** A key's algorithm, fixed per key; a token's `alg` must equal it (docs/reference.md). */
export const JWT_ALGORITHMS = ["HS256", "RS256", "ES256", "EdDSA"] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];
/** The algorithms whose keys are public keys (PEM SPKI), not shared secrets. */
export const PUBLIC_KEY_ALGORITHMS = ["RS256", "ES256", "EdDSA"] as const;
export type PublicKeyAlgorithm = (typeof PUBLIC_KEY_ALGORITHMS)[number];
export const isJwtAlgorithm = (value: unknown): value is JwtAlgorithm =>
  typeof value === "string" && (JWT_ALGORITHMS as readonly string[]).includes(value);
export const isPublicKeyAlgorithm = (value: unknown): value is PublicKeyAlgorithm =>
  typeof value === "string" && (PUBLIC_KEY_ALGORITHMS as readonly string[]).includes(value);
export const ALGORITHM_NAMES: Record<JwtAlgorithm, string> = {
  HS256: "HMAC SHA-256",
  RS256: "RSA SHA-256",
  ES256: "ECDSA P-256 SHA-256",
  EdDSA: "Ed25519",
};
/** "HS256, RS256, ES256 or EdDSA" */
export const ALGORITHM_LIST = `${JWT_ALGORITHMS.slice(0, -1).join(", ")} or ${JWT_ALGORITHMS.at(-1)}`;

export const FIELD_TYPES = [
  "string",
  "text",
  "integer",
  "float",
  "boolean",
  "single_choice",
  "multiple_choice",
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export const CHOICE_TYPES: readonly FieldType[] = ["single_choice", "multiple_choice"];

/** What an identity carries besides extra values (docs/reference.md): the uuid, then the predefined attributes. */
export const ATTRIBUTES = ["uuid", "screenname", "firstname", "lastname", "email", "company", "avatar_url"] as const;
export type Attribute = (typeof ATTRIBUTES)[number];
/** The attributes that are also identity fields (all but uuid). */
export const PREDEFINED_ATTRIBUTES = ATTRIBUTES.filter((a): a is Exclude<Attribute, "uuid"> => a !== "uuid");

/** The predefined identity fields a value can land in (docs/reference.md): the attributes and a few more. */
export const PREDEFINED_FIELDS = [
  "firstname",
  "lastname",
  "email",
  "company",
  "gender",
  "home_phone",
  "mobile_phone",
  "notes",
  "screenname",
  "avatar_url",
] as const;

/** Why a value was not stored (docs/reference.md), as the route reports it in `skipped`. */
export const SKIP_REASONS = [
  "too_long",
  "invalid_email",
  "invalid_url",
  "type_mismatch",
  "not_a_choice",
  "regex_mismatch",
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** A mapping's destination is a predefined field or `custom:<custom field key>` (docs/cli.md). */
const CUSTOM_PREFIX = "custom:";
export const customTarget = (key: string) => `${CUSTOM_PREFIX}${key}`;
/** The custom field key a destination names, or null for a predefined field. */
export const customKeyOf = (target: string) =>
  target.startsWith(CUSTOM_PREFIX) ? target.slice(CUSTOM_PREFIX.length) : null;

/** A community's public identifier: lower-case letters, digits and single hyphens, 3–48 characters. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MIN = 3;
export const SLUG_MAX = 48;
/** The slug rule alone, for the public route: checked before any lookup (docs/security.md). */
export const isSlug = (value: string) =>
  value.length >= SLUG_MIN && value.length <= SLUG_MAX && SLUG_PATTERN.test(value);

/** An extra value's key (docs/reference.md), in a visitor's identity and in a mapping alike. */
export const extraValueKeySchema = z
  .string()
  .min(1, "Enter the extra value's key")
  .max(64, "A key has at most 64 characters")
  .refine((k) => k.trim() === k, "Remove the spaces around the key")
  .refine((k) => !k.includes("."), "A key cannot contain “.”")
  .refine((k) => !k.includes("$"), "A key cannot contain “$”")
  // JavaScript objects cannot hold it as data (parsers drop it or treat it as the prototype).
  .refine((k) => k !== "__proto__", "“__proto__” is reserved: use another key");
