"use client";
import { updateRetentionAction } from "@/app/(console)/communities/[slug]/actions";
import { retentionFormSchema } from "@vouch/core/validations/community-settings";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { useActionForm } from "@/components/ui/use-action-form";

export function RetentionForm({ slug, days }: { slug: string; days: number }) {
  const { form, status, onSubmit } = useActionForm({
    schema: retentionFormSchema,
    defaultValues: { identity_retention_days: days },
    submit: (values) => updateRetentionAction(slug, values),
  });
  const { register, formState } = form;
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-2 sm:max-w-xl">
      <div className="max-w-xs">
        <TextField
          label="Keep identities for (days)"
          type="number"
          min={1}
          max={3650}
          inputMode="numeric"
          hint="1–3,650. Identities not updated for that long are deleted (checked at least daily)."
          {...register("identity_retention_days", { valueAsNumber: true })}
          error={formState.errors.identity_retention_days?.message}
        />
      </div>
      <FormStatus error={status.error} success={status.success} />
      <div>
        <Button type="submit" pending={formState.isSubmitting} disabled={!formState.isDirty}>
          {formState.isSubmitting ? "Saving…" : "Save retention"}
        </Button>
      </div>
    </form>
  );
}
