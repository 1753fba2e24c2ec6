"use client";
import { updateRateLimitAction } from "@/app/(console)/communities/[slug]/actions";
import { rateLimitFormSchema } from "@vouch/core/validations/community-settings";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { useActionForm } from "@/components/ui/use-action-form";

export function RateLimitForm({ slug, limit }: { slug: string; limit: number }) {
  const { form, status, onSubmit } = useActionForm({
    schema: rateLimitFormSchema,
    defaultValues: { rate_limit_per_minute: limit },
    submit: (values) => updateRateLimitAction(slug, values),
  });
  const { register, formState } = form;

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-2 sm:max-w-xl">
      <div className="max-w-xs">
        <TextField
          label="Identity calls per minute per visitor address"
          type="number"
          min={0}
          max={1_000_000}
          inputMode="numeric"
          hint="0 turns the limit off; 1–1,000,000 otherwise. Beyond it the route answers 429 rate_limited with Retry-After, and the widget waits and retries."
          {...register("rate_limit_per_minute", { valueAsNumber: true })}
          error={formState.errors.rate_limit_per_minute?.message}
        />
      </div>
      <FormStatus error={status.error} success={status.success} />
      <div>
        <Button type="submit" pending={formState.isSubmitting} disabled={!formState.isDirty}>
          {formState.isSubmitting ? "Saving…" : "Save limit"}
        </Button>
      </div>
    </form>
  );
}
