import type { FieldValues, Path, UseFormSetError } from "react-hook-form";

/** Copies a failed action's field errors under their fields; returns the form-level message. */
export function applyServerErrors<T extends FieldValues>(
  setError: UseFormSetError<T>,
  result: { formError?: string; fieldErrors?: Record<string, string[] | undefined> },
): string {
  for (const [field, messages] of Object.entries(result.fieldErrors ?? {})) {
    if (messages?.[0]) setError(field as Path<T>, { type: "server", message: messages[0] }, { shouldFocus: true });
  }
  return result.formError ?? "Something went wrong.";
}
