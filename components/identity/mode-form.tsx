"use client";
import { useId } from "react";
import { updateSignedIdentitiesAction } from "@/lib/next/actions/signed-identities";
import { signedIdentitySettingsSchema } from "@vouch/core/validations/community-settings";
import { Button } from "@/components/ui/button";
import { ConfirmDialog, useConfirmDialog } from "@/components/ui/confirm-dialog";
import { TextField } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { useActionForm } from "@/components/ui/use-action-form";
import { MODE_TEXT } from "./mode-text";
import { type SignedIdentityMode } from "@vouch/core/identity/vocabulary";

export function ModeForm({
  slug,
  mode,
  clockSkewSeconds,
  keyCount,
  lastWeek,
}: {
  slug: string;
  mode: SignedIdentityMode;
  clockSkewSeconds: number;
  keyCount: number;
  /** Identities accepted in the last 7 days (docs/operating.md): the guard on switching to require. */
  lastWeek: { verified: number; unsigned: number };
}) {
  const confirmRequire = useConfirmDialog();
  const errorId = useId();
  const {
    form,
    status,
    onSubmit: save,
  } = useActionForm({
    schema: signedIdentitySettingsSchema,
    defaultValues: { signed_identities: mode, clock_skew_seconds: clockSkewSeconds },
    submit: (values) => updateSignedIdentitiesAction(slug, values),
    onSuccess: (data, _values, f) => f.reset(data),
  });
  const { register, watch, formState } = form;
  const selected = watch("signed_identities");

  const onSubmit = (e: React.FormEvent) => {
    e.preventDefault();
    // Switching to "require" refuses every unsigned visitor from now on: confirm first.
    if (selected === "require" && mode !== "require") confirmRequire.open();
    else void save();
  };

  const modeError = formState.errors.signed_identities?.message;
  // docs/operating.md: below 99% verified over the last 7 days, the confirmation says what requiring would refuse.
  const accepted = lastWeek.verified + lastWeek.unsigned;
  const belowGuard = accepted > 0 && lastWeek.verified / accepted < 0.99;
  const verifiedPercent = accepted ? Math.floor((1000 * lastWeek.verified) / accepted) / 10 : 0;
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      <fieldset
        role="radiogroup"
        aria-invalid={modeError ? true : undefined}
        aria-describedby={modeError ? errorId : undefined}
      >
        <legend className="text-sm font-medium text-slate-800">Signed identities mode</legend>
        <div className="mt-2 grid gap-2 md:grid-cols-3">
          {(Object.keys(MODE_TEXT) as SignedIdentityMode[]).map((m) => (
            <label
              key={m}
              className={`flex cursor-pointer items-start gap-2 rounded-md border p-3 text-sm ${selected === m ? "border-brand-600 bg-brand-50" : "border-slate-300 bg-white"}`}
            >
              <input type="radio" value={m} {...register("signed_identities")} className="mt-1" />
              <span>
                <span className="block font-medium">
                  {MODE_TEXT[m].title} <code className="text-xs text-slate-600">{m}</code>
                  {m === "reject" && <span className="ml-1 text-xs text-slate-600">(default)</span>}
                </span>
                <span className="mt-1 block text-slate-700">{MODE_TEXT[m].body}</span>
                {m === "accept" && (
                  <strong className="mt-1 block text-amber-800">
                    Not recommended for production: unsigned data can be edited by anyone.
                  </strong>
                )}
              </span>
            </label>
          ))}
        </div>
        {modeError && (
          <p id={errorId} className="mt-2 text-sm text-red-700">
            {modeError}
          </p>
        )}
        {keyCount === 0 && !modeError && (
          <p className="mt-2 text-xs text-slate-600">
            “accept” and “require” need at least one JWT key: add one below first.
          </p>
        )}
      </fieldset>
      <div className="max-w-xs">
        <TextField
          label="Clock skew leeway (seconds)"
          type="number"
          min={0}
          max={300}
          inputMode="numeric"
          hint="0–300. Tolerance for the exp, nbf and iat checks when clocks disagree."
          {...register("clock_skew_seconds", { valueAsNumber: true })}
          error={formState.errors.clock_skew_seconds?.message}
        />
      </div>
      <FormStatus error={status.error} success={status.success} />
      <div>
        <Button type="submit" pending={formState.isSubmitting} disabled={!formState.isDirty}>
          {formState.isSubmitting ? "Saving…" : "Save mode"}
        </Button>
      </div>
      <ConfirmDialog
        dialog={confirmRequire.dialog}
        title="Require signed identities?"
        confirmLabel="Require signed identities"
        onConfirm={async () => {
          void save(); // the form reports the outcome, as for any other save
          return null;
        }}
      >
        <p>
          From now on, unsigned identities are refused with <code>signed_identity_required</code>. Widgets on pages
          whose backend does not sign identities with one of this community&apos;s keys will stop identifying visitors.
        </p>
        {belowGuard && (
          <p className="mt-2 font-medium text-red-800">
            Only {verifiedPercent}% of the identities accepted in the last 7 days were verified: {lastWeek.unsigned} of{" "}
            {accepted} were unsigned and would have been refused.
          </p>
        )}
      </ConfirmDialog>
    </form>
  );
}
