"use client";
import { updateRateLimitAction, updateRetentionAction } from "@/lib/next/actions/community";
import { rateLimitFormSchema, retentionFormSchema } from "@vouch/core/validations/community-settings";
import type { z } from "zod";
import type { ActionResult } from "@/lib/next/action";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { useActionForm } from "@/components/ui/use-action-form";

/** The Overview's whole-number settings: each with its schema, server action, bounds and words. */
const SETTINGS = {
  rate_limit_per_minute: {
    schema: rateLimitFormSchema,
    action: updateRateLimitAction,
    label: "Identity calls per minute per visitor address",
    min: 0,
    max: 1_000_000,
    hint: "0 turns the limit off; 1–1,000,000 otherwise. Beyond it the route answers 429 rate_limited with Retry-After, and the widget waits and retries.",
    save: "Save limit",
  },
  identity_retention_days: {
    schema: retentionFormSchema,
    action: updateRetentionAction,
    label: "Keep identities for (days)",
    min: 1,
    max: 3650,
    hint: "1–3,650. Identities of visitors not seen for that long are deleted (checked at least daily).",
    save: "Save retention",
  },
} as const;

type Values = Record<string, number>;

export function NumberSettingForm({
  slug,
  setting,
  value,
}: {
  slug: string;
  setting: keyof typeof SETTINGS;
  value: number;
}) {
  const s = SETTINGS[setting];
  const { form, status, onSubmit } = useActionForm({
    schema: s.schema as unknown as z.ZodType<Values, Values>,
    defaultValues: { [setting]: value },
    submit: (values: Values): Promise<ActionResult<unknown>> => s.action(slug, values as never),
  });
  const { register, formState } = form;

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-2 sm:max-w-xl">
      <div className="max-w-xs">
        <TextField
          label={s.label}
          type="number"
          min={s.min}
          max={s.max}
          inputMode="numeric"
          hint={s.hint}
          {...register(setting, { valueAsNumber: true })}
          error={formState.errors[setting]?.message}
        />
      </div>
      <FormStatus error={status.error} success={status.success} />
      <div>
        <Button type="submit" pending={formState.isSubmitting} disabled={!formState.isDirty}>
          {formState.isSubmitting ? "Saving…" : s.save}
        </Button>
      </div>
    </form>
  );
}
