// Domain errors: thrown by the data access layer, turned into action results, CLI messages or
// HTTP errors at the boundaries. Pure: no framework imports.
import { z } from "zod";

export type DomainErrorCode = "forbidden" | "not_found" | "conflict" | "invalid" | "throttled";

export class DomainError extends Error {
  override name = "DomainError";
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The input field the error is about, when there is one. */
    readonly field?: string,
  ) {
    super(message);
  }
}

export const forbidden = (what = "change this") =>
  new DomainError("forbidden", `Your role does not allow you to ${what}. Ask an administrator.`);

/** Prisma's known errors share their codes across providers. */
export function prismaCode(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err && typeof err.code === "string"
    ? err.code
    : undefined;
}

export type FieldErrors = Record<string, string[] | undefined>;

/** What a person can be told about `err`: invalid input (per field) or a domain refusal; null for anything else. */
export function explainError(err: unknown): { formError: string; fieldErrors?: FieldErrors } | null {
  // Decided here, beside the classes: the core is one package (scripts/build.mjs), while code Next.js
  // bundles holds its own copy of zod, whose ZodError would not match an error the core threw.
  if (err instanceof z.ZodError) return invalidFields(err);
  if (err instanceof DomainError) {
    return err.field
      ? { formError: "Check the highlighted fields.", fieldErrors: { [err.field]: [err.message] } }
      : { formError: err.message };
  }
  return null;
}

export function invalidFields(err: z.ZodError): { formError: string; fieldErrors: FieldErrors } {
  return { formError: "Check the highlighted fields.", fieldErrors: z.flattenError(err).fieldErrors as FieldErrors };
}
