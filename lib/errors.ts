// Domain errors: thrown by the data access layer, turned into action results, CLI messages or
// HTTP errors at the boundaries. Pure: no framework imports.
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
