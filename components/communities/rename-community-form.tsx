"use client";
import { renameCommunityAction } from "@/lib/next/actions/communities";
import { communityRenameSchema } from "@vouch/core/validations/community";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { useActionForm } from "@/components/ui/use-action-form";

export function RenameCommunityForm({ slug, name }: { slug: string; name: string }) {
  const { form, status, onSubmit } = useActionForm({
    schema: communityRenameSchema,
    defaultValues: { slug, name },
    submit: renameCommunityAction,
    onSuccess: (data, _values, f) => f.reset({ slug, name: data.name }),
  });
  const { register, formState } = form;
  return (
    <form onSubmit={onSubmit} noValidate className="mt-3 flex flex-col gap-3 sm:max-w-md">
      <input type="hidden" {...register("slug")} />
      <TextField label="Community name" {...register("name")} error={formState.errors.name?.message} />
      <FormStatus error={status.error} success={status.success} />
      <div>
        <Button type="submit" pending={formState.isSubmitting} disabled={!formState.isDirty}>
          {formState.isSubmitting ? "Saving…" : "Save name"}
        </Button>
      </div>
    </form>
  );
}
