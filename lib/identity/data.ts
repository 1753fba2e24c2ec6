// The identity data a widget sends (docs/reference.md): predefined attributes plus extra values.
// Structural rules only (types, sizes); per-field rules that skip a value live in apply.ts.
import crypto from "node:crypto";
import { z } from "zod";
import { DomainError } from "../errors";
import { extraValueKeySchema, PREDEFINED_ATTRIBUTES } from "./vocabulary";

export type Scalar = string | number | boolean | null;

const MAX_STRING = 4096;
const text = z.string(`must be a string`).max(MAX_STRING, `must have at most ${MAX_STRING} characters`);
const scalar = z.union([text, z.number().finite(), z.boolean(), z.null()], {
  error: "must be a string, number, boolean or null (nested objects and arrays are refused)",
});

export const uuidSchema = z
  .string("must be a string")
  .min(1, "must not be empty")
  .max(128, "must have at most 128 characters")
  .refine((u) => u.trim() === u && u.trim().length > 0, "must not start or end with spaces")
  .refine((u) => !/[\u0000-\u001f\u007f]/.test(u), "must not contain control characters");

/** A uuid an administrator names (erasure, revocation): one a visitor can have, else a DomainError naming it. */
export function checkUuid(uuid: string): void {
  const checked = uuidSchema.safeParse(uuid);
  if (!checked.success) throw new DomainError("invalid", `uuid ${checked.error.issues[0]!.message}`, "uuid");
}

const predefinedText = Object.fromEntries(PREDEFINED_ATTRIBUTES.map((a) => [a, text.nullish()])) as {
  [A in (typeof PREDEFINED_ATTRIBUTES)[number]]: z.ZodOptional<z.ZodNullable<typeof text>>;
};

const attributeShape = {
  uuid: uuidSchema.nullish(),
  ...predefinedText,
  extra_values: z
    .record(extraValueKeySchema, scalar, {
      error: (issue) => (issue.code === "invalid_type" ? "must be an object of key → value" : undefined),
    })
    .refine((o) => Object.keys(o).length <= 100, "must have at most 100 keys")
    .nullish(),
};

/** An unsigned identity: exactly these attributes (a typo is an error, not silently dropped). */
export const unsignedIdentitySchema = z.strictObject(attributeShape, {
  error: (issue) =>
    issue.code === "unrecognized_keys"
      ? `unknown attribute ${issue.keys.map((k) => `"${k}"`).join(", ")}`
      : "must be an object",
});

/** The claims of a signed identity: the same attributes; other claims (iat, iss, sub, …) are ignored. */
export const signedClaimsSchema = z.object(attributeShape);

export type IdentityData = z.output<typeof unsignedIdentitySchema>;

/** One zod issue as "path message", the path from the body's root (or under `prefix`). */
export function describeIssue(issue: z.core.$ZodIssue, prefix: string[] = []): string {
  const path = [...prefix, ...issue.path.map(String)].join(".");
  // A record key's own rule (e.g. "cannot contain “.”") is nested inside an invalid_key issue.
  if (issue.code === "invalid_key" && issue.issues[0]) return `${path}: key ${issue.issues[0].message}`;
  return `${path} ${issue.message}`;
}

/** 24 lower-case hex characters: recognisably an automated UUID. */
export const automatedUuid = () => crypto.randomBytes(12).toString("hex");
