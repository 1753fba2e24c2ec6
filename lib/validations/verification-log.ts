// The verification log's filters (docs/operating.md): code, kid, origin, time range (UTC), page — from the page's
// address, so every filtered view can be linked to (the Overview links each refusal code to one).
import { z } from "zod";
import { ERROR_STATUS, type ErrorCode } from "../identity/codes";

const CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];
const blankAsUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
const instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "Give a date and time such as 2027-03-01T12:00 (UTC)")
  .refine((v) => !Number.isNaN(Date.parse(`${v}:00Z`)), "Give a date and time such as 2027-03-01T12:00 (UTC)");

export const verificationLogQuerySchema = z.object({
  code: z.preprocess(blankAsUndefined, z.enum(CODES, "Choose a code from the list").optional()),
  kid: z.preprocess(blankAsUndefined, z.string().trim().max(128, "At most 128 characters").optional()),
  origin: z.preprocess(blankAsUndefined, z.string().trim().max(256, "At most 256 characters").optional()),
  from: z.preprocess(blankAsUndefined, instant.optional()),
  to: z.preprocess(blankAsUndefined, instant.optional()),
  page: z.preprocess(blankAsUndefined, z.coerce.number().int().min(1).max(1000).default(1)),
});
export type VerificationLogQuery = z.output<typeof verificationLogQuerySchema>;
export const LOG_CODES = CODES;
