import { z } from "zod";
import { RE2JS } from "re2js";
import { toIdentifier } from "./identifier";
import { CHOICE_TYPES, FIELD_TYPES } from "../identity/vocabulary";

export const REGEX_MAX_LENGTH = 500;

export const fieldKeySchema = z
  .string()
  .min(1, "Enter a key")
  .max(64, "A key has at most 64 characters")
  .regex(/^[a-z0-9_]+$/, "Use lower-case letters, digits and _ only (no spaces)");

/** "Customer ID" → "customer_id". */
export function fieldKeyFromLabel(label: string): string {
  return toIdentifier(label, "_", 64);
}

/** Compiles a custom regex with the linear-time engine; the error message when it does not compile. */
export function regexProblem(pattern: string): string | null {
  try {
    RE2JS.compile(pattern);
    return null;
  } catch (err) {
    const detail = err instanceof Error ? err.message.replace(/^error parsing regexp: /, "") : String(err);
    return `Invalid regular expression: ${detail}`;
  }
}

const customFieldObject = z.object({
  label: z.string().trim().min(1, "Enter a label").max(100, "A label has at most 100 characters"),
  /** Empty: derived from the label. */
  key: z.string().trim().max(64, "A key has at most 64 characters").optional().default(""),
  type: z.enum(FIELD_TYPES, "Choose a type"),
  choices: z
    .array(z.string().trim().min(1, "A choice cannot be empty").max(100, "A choice has at most 100 characters"))
    .max(100, "At most 100 choices")
    .optional()
    .default([]),
  regex: z
    .string()
    .max(REGEX_MAX_LENGTH, `A regex has at most ${REGEX_MAX_LENGTH} characters`)
    .nullable()
    .optional()
    .default(""),
});

/** A custom field as the form and the config document give it; the key is filled in from the label. */
export const customFieldSchema = customFieldObject
  .superRefine((f, ctx) => {
    const key = f.key || fieldKeyFromLabel(f.label);
    const keyCheck = fieldKeySchema.safeParse(key);
    if (!keyCheck.success) {
      ctx.addIssue({
        code: "custom",
        path: ["key"],
        message: f.key
          ? keyCheck.error.issues[0]!.message
          : "Enter a key: the label has no letters or digits to make one from",
      });
    }
    const isChoice = CHOICE_TYPES.includes(f.type);
    if (isChoice && f.choices.length === 0)
      ctx.addIssue({ code: "custom", path: ["choices"], message: "Add at least one choice" });
    if (!isChoice && f.choices.length > 0)
      ctx.addIssue({ code: "custom", path: ["choices"], message: "Only choice types have choices" });
    const seen = new Set<string>();
    f.choices.forEach((c, i) => {
      if (seen.has(c)) ctx.addIssue({ code: "custom", path: ["choices", i], message: `"${c}" is listed twice` });
      seen.add(c);
    });
    if (f.regex) {
      const problem = regexProblem(f.regex);
      if (problem) ctx.addIssue({ code: "custom", path: ["regex"], message: problem });
    }
  })
  .transform((f) => ({ ...f, key: f.key || fieldKeyFromLabel(f.label), regex: f.regex || null }));
export type CustomFieldInput = z.input<typeof customFieldSchema>;

/** Runs a field's regex on a sample value the way the identity route will (search, linear time). */
export function regexMatches(pattern: string, value: string): boolean {
  return RE2JS.compile(pattern).matcher(value).find();
}
