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

/** One problem of an input, at its path (`community.jwt_keys[1].public_key`, a form field, a flag). */
export interface Problem {
  path: string;
  message: string;
}

/** A whole configuration document that does not validate: every problem with its JSON path. */
export class ConfigValidationError extends Error {
  override name = "ConfigValidationError";
  constructor(readonly issues: Problem[]) {
    super(`The configuration has ${issues.length} problem${issues.length === 1 ? "" : "s"}`);
  }
}

/** A zod issue's path as JSON path text: `community.jwt_keys[1].kid`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    "",
  );
}

/**
 * What went wrong, in the one vocabulary every boundary maps from — server actions (form errors), the
 * admin API (HTTP statuses: `HTTP_STATUS`) and the CLI (stderr, exit 1): invalid input with each problem
 * at its path, or a domain refusal. null: nothing a caller can be told (a bug, an outage).
 */
export type ClassifiedError =
  | { kind: "invalid"; message: string; problems: Problem[]; document: boolean }
  | { kind: Exclude<DomainErrorCode, "invalid">; message: string; field?: string };

export function classifyError(err: unknown): ClassifiedError | null {
  // Decided here, beside the classes: the core is one package (scripts/build.mjs), while code Next.js
  // bundles holds its own copy of zod, whose ZodError would not match an error the core threw.
  if (err instanceof ConfigValidationError)
    return { kind: "invalid", message: err.message, problems: err.issues, document: true };
  if (err instanceof z.ZodError) {
    const problems = err.issues.map((i) => ({ path: jsonPath(i.path), message: i.message }));
    const message = `The request has ${problems.length} problem${problems.length === 1 ? "" : "s"}`;
    return { kind: "invalid", message, problems, document: false };
  }
  if (err instanceof DomainError) {
    return err.code === "invalid"
      ? {
          kind: "invalid",
          message: err.message,
          problems: [{ path: err.field ?? "", message: err.message }],
          document: false,
        }
      : { kind: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) };
  }
  return null;
}

/** The HTTP status of each kind (the admin API). */
export const HTTP_STATUS: Record<ClassifiedError["kind"], number> = {
  invalid: 422,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  throttled: 429,
};

/** What a form can show of `err` (server actions): its problems under their fields, or the refusal. */
export function explainError(err: unknown): { formError: string; fieldErrors?: FieldErrors } | null {
  if (err instanceof z.ZodError) return invalidFields(err);
  const c = classifyError(err);
  if (!c) return null;
  if (c.kind !== "invalid")
    return c.field
      ? { formError: "Check the highlighted fields.", fieldErrors: { [c.field]: [c.message] } }
      : { formError: c.message };
  const fielded = c.problems.filter((p) => p.path);
  if (fielded.length === 0) return { formError: c.message };
  const fieldErrors: FieldErrors = {};
  for (const p of fielded) (fieldErrors[p.path] ??= []).push(p.message);
  return { formError: "Check the highlighted fields.", fieldErrors };
}

export function invalidFields(err: z.ZodError): { formError: string; fieldErrors: FieldErrors } {
  return { formError: "Check the highlighted fields.", fieldErrors: z.flattenError(err).fieldErrors as FieldErrors };
}
