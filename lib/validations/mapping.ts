import { z } from "zod";
import { fieldKeySchema } from "./custom-field";

export const PREDEFINED_FIELDS = [
  "firstname", "lastname", "email", "company", "gender", "home_phone", "mobile_phone", "notes", "screenname", "avatar_url",
] as const;
export type PredefinedField = (typeof PREDEFINED_FIELDS)[number];

export const extraValueKeySchema = z
  .string()
  .min(1, "Enter the extra value's key")
  .max(64, "A key has at most 64 characters")
  .refine((k) => k.trim() === k, "Remove the spaces around the key")
  .refine((k) => !k.includes("."), "A key cannot contain “.”")
  .refine((k) => !k.includes("$"), "A key cannot contain “$”")
  // JavaScript objects cannot hold it as data (parsers drop it or treat it as the prototype).
  .refine((k) => k !== "__proto__", "“__proto__” is reserved: use another key");

/** A mapping's destination: a predefined identity field, or "custom:<custom field key>". */
export const mappingTargetSchema = z.string().refine(
  (t) =>
    (PREDEFINED_FIELDS as readonly string[]).includes(t) ||
    (t.startsWith("custom:") && fieldKeySchema.safeParse(t.slice("custom:".length)).success),
  "Choose a predefined field or a custom field",
);

export const mappingSchema = z.object({ key: extraValueKeySchema, field: mappingTargetSchema });
export type MappingInput = z.input<typeof mappingSchema>;

export const customTarget = (key: string) => `custom:${key}`;
export const customKeyOf = (target: string) => (target.startsWith("custom:") ? target.slice("custom:".length) : null);
