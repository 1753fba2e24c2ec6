// One result type for every server action, and one wrapper doing session → parse → domain call →
// error mapping, so no action can forget the session check.
import "server-only";
import { z } from "zod";
import { getActor } from "./session";
import { explainError, invalidFields, type FieldErrors } from "@vouch/core/errors";
import type { Actor } from "@vouch/core/authz";
import { logger } from "@vouch/core/logger";

export type { FieldErrors };
export type ActionResult<T = undefined> =
  { ok: true; data: T; message?: string } | { ok: false; formError?: string; fieldErrors?: FieldErrors };

export const failure = (formError: string, fieldErrors?: FieldErrors): ActionResult<never> => ({
  ok: false,
  formError,
  fieldErrors,
});

export function fromError(err: unknown): ActionResult<never> {
  const explained = explainError(err);
  if (explained) return { ok: false, ...explained };
  logger.error({ err }, "server action failed");
  return { ok: false, formError: "Something went wrong on our side. Nothing was changed; try again." };
}

/** The fields a failed parse named (the same answer as an invalid input met in the core). */
export const invalidInput = (err: z.ZodError): ActionResult<never> => ({ ok: false, ...invalidFields(err) });

async function runAuthed<S extends z.ZodType, T>(
  schema: S,
  raw: unknown,
  run: (input: z.output<S>, actor: Actor) => Promise<ActionResult<T>>,
): Promise<ActionResult<T>> {
  const actor = await getActor();
  if (!actor) return failure("Your session has ended. Sign in again.");
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    return await run(parsed.data, actor);
  } catch (err) {
    return fromError(err);
  }
}

/** A server action that needs a signed-in account. Role checks happen in the data access layer. */
export function authedAction<S extends z.ZodType, T>(
  schema: S,
  run: (input: z.output<S>, actor: Actor) => Promise<ActionResult<T>>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return (raw) => runAuthed(schema, raw, run);
}

/**
 * A server action on one community: called as `action(slug, values)`, so the form's schema is the
 * whole input and its errors land on the form's own fields.
 */
export function communityAction<S extends z.ZodType, T>(
  schema: S,
  run: (slug: string, input: z.output<S>, actor: Actor) => Promise<ActionResult<T>>,
): (slug: string, input: z.input<S>) => Promise<ActionResult<T>> {
  return (slug, raw) =>
    runAuthed(schema, raw, (input, actor) =>
      typeof slug === "string" && slug.length <= 64
        ? run(slug, input, actor)
        : Promise.resolve(failure("Unknown community")),
    );
}
