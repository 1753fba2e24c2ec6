"use client";
import { useId, useState } from "react";
import { useForm } from "react-hook-form";
import { testIdentityAction } from "@/app/(console)/communities/[slug]/test-console/actions";
import type { TokenTestResult } from "@/lib/dal/token-test";
import { Button } from "@/components/ui/button";
import { FormStatus } from "@/components/ui/form-status";

const STEP_NAMES: Record<string, string> = {
  format: "1. Well-formed JWT, allowed algorithm",
  key: "2. Key ID known, algorithm matches",
  signature: "3. Signature",
  expiry: "4. Expiry (at least 1 hour ahead) and not-before",
  uuid: "5. uuid present",
};

export function TokenTestConsole({ slug }: { slug: string }) {
  const [result, setResult] = useState<TokenTestResult | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const id = useId();
  const { register, handleSubmit, formState, setError } = useForm<{ input: string }>({ defaultValues: { input: "" } });
  const inputError = formState.errors.input?.message;

  const onSubmit = handleSubmit(async ({ input }) => {
    setFormError(null);
    setResult(null);
    const r = await testIdentityAction(slug, { input });
    if (r.ok) setResult(r.data);
    else if (r.fieldErrors?.input?.[0]) setError("input", { message: r.fieldErrors.input[0] });
    else setFormError(r.formError ?? "Could not run the test.");
  });

  return (
    <div className="flex flex-col gap-4">
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-2">
        <label htmlFor={id} className="text-sm font-medium text-slate-800">
          JWT or JSON identity
        </label>
        <textarea
          id={id}
          rows={6}
          spellCheck={false}
          placeholder={'eyJhbGciOiJIUzI1NiIsImtpZCI6…\nor {"uuid": "54579fed6d617868b3010000", "firstname": "John"}'}
          aria-invalid={inputError ? true : undefined}
          aria-describedby={`${id}-hint${inputError ? ` ${id}-error` : ""}`}
          className="rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-xs aria-[invalid=true]:border-red-600"
          {...register("input", { required: "Paste a JWT or a JSON identity" })}
        />
        <p id={`${id}-hint`} className="text-xs text-slate-600">
          Checked exactly as the identity route would, with this community&apos;s current settings. Nothing is stored.
        </p>
        {inputError && (
          <p id={`${id}-error`} className="text-sm text-red-700">
            {inputError}
          </p>
        )}
        <FormStatus error={formError} />
        <div>
          <Button type="submit" pending={formState.isSubmitting}>
            {formState.isSubmitting ? "Testing…" : "Test"}
          </Button>
        </div>
      </form>
      <section aria-live="polite" aria-label="Test result">
        {result && (
          <div className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm">
            <p className={result.outcome.ok ? "font-semibold text-green-800" : "font-semibold text-red-800"}>
              {result.outcome.ok
                ? `Accepted (200): the identity below would be stored${result.kind === "signed" ? " as verified" : ""}.`
                : `Refused (${result.outcome.status} ${result.outcome.code}): ${result.outcome.detail ?? result.outcome.message}`}
            </p>
            <p className="text-xs text-slate-600">
              {result.kind === "signed" ? "Signed identity" : "Unsigned identity"}, community mode “{result.mode}”.
            </p>
            {result.steps.length > 0 && (
              <ol className="flex flex-col gap-1">
                {result.steps.map((s) => (
                  <li key={s.step} className={s.ok ? "text-green-900" : "text-red-900"}>
                    <span aria-hidden="true">{s.ok ? "✓" : "✗"}</span> <strong>{STEP_NAMES[s.step]}</strong>:{" "}
                    {s.ok ? "passed" : "failed"} — {s.message}
                  </li>
                ))}
              </ol>
            )}
            {result.outcome.ok && (
              <div>
                <p className="font-medium">Would be stored and returned:</p>
                <pre
                  tabIndex={0}
                  aria-label="Identity that would be stored"
                  className="mt-1 overflow-x-auto rounded bg-slate-50 p-2 text-xs"
                >
                  {JSON.stringify(result.outcome.response, null, 2)}
                </pre>
              </div>
            )}
          </div>
        )}
      </section>
    </div>
  );
}
