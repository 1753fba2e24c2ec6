"use client";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { renameCommunityAction } from "@/app/(console)/communities/actions";
import { communityRenameSchema, type CommunityRenameInput } from "@/lib/validations/community";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { applyServerErrors } from "@/components/ui/server-errors";

export function RenameCommunityForm({ slug, name }: { slug: string; name: string }) {
  const [status, setStatus] = useState<{ error?: string; success?: string }>({});
  const { register, handleSubmit, setError, reset, formState } = useForm<CommunityRenameInput>({
    resolver: zodResolver(communityRenameSchema),
    defaultValues: { slug, name },
  });
  const onSubmit = handleSubmit(async (values) => {
    setStatus({});
    const result = await renameCommunityAction(values);
    if (!result.ok) return setStatus({ error: applyServerErrors(setError, result) });
    reset({ slug, name: result.data.name });
    setStatus({ success: result.message });
  });
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
