"use client";
import { useState } from "react";
import { testIdentityAction } from "@/lib/next/actions/test-console";
import type { TokenTestResult } from "@vouch/core/dal/token-test";
import { Button } from "@/components/ui/button";
import { TextAreaField } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { useActionForm } from "@/components/ui/use-action-form";
import { tokenTestSchema } from "@vouch/core/validations/token-test";

const STEP_NAMES: Record<string, string> = {
  format: "1. Well-formed JWT, allowed algorithm",
  key: "2. Key ID known, algorithm matches",
  signature: "3. Signature",
  expiry: "4. Expiry (at least 1 hour ahead) and not-before",
  uuid: "5. uuid present",
};

export function TokenTestConsole({ slug }: { slug: string }) {
  const [result, setResult] = useState<TokenTestResult | null>(null);
  const { form, status, onSubmit } = useActionForm({
    schema: tokenTestSchema,
    defaultValues: { input: "" },
    submit: (values) => {
      setResult(null);
      return testIdentityAction(slug, values);
    },
    onSuccess: (data) => setResult(data), // the input stays, to edit and test again
  });
  const { register, formState } = form;
  const inputError = formState.errors.input?.message;

  return (
    <div className="flex flex-col gap-4">
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-2">
        <TextAreaField
          label="JWT or JSON identity"
          rows={6}
          className="font-mono"
          placeholder={'eyJhbGciOiJIUzI1NiIsImtpZCI6…\nor {"uuid": "54579fed6d617868b3010000", "firstname": "John"}'}
          hint="Checked exactly as the identity route would, with this community's current settings. Nothing is stored."
          {...register("input")}
          error={inputError}
        />
        <FormStatus error={status.error} />
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
