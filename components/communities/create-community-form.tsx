"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { createCommunityAction } from "@/app/(console)/communities/actions";
import { communityCreateSchema, slugify, type CommunityCreateInput } from "@/lib/validations/community";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { applyServerErrors } from "@/components/ui/server-errors";

export function CreateCommunityForm() {
  const router = useRouter();
  const [status, setStatus] = useState<{ error?: string; success?: string }>({});
  const [slugEdited, setSlugEdited] = useState(false);
  const { register, handleSubmit, setError, setValue, reset, formState } = useForm<CommunityCreateInput>({
    resolver: zodResolver(communityCreateSchema),
    defaultValues: { name: "", slug: "" },
  });
  const name = register("name", {
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => {
      if (!slugEdited) setValue("slug", slugify(e.target.value));
    },
  });
  const slug = register("slug", { onChange: () => setSlugEdited(true) });

  const onSubmit = handleSubmit(async (values) => {
    setStatus({});
    const result = await createCommunityAction(values);
    if (!result.ok) return setStatus({ error: applyServerErrors(setError, result) });
    reset();
    setSlugEdited(false);
    setStatus({ success: result.message });
    router.push(`/communities/${result.data.slug}`);
  });

  return (
    <form onSubmit={onSubmit} noValidate className="mt-3 grid gap-4 sm:grid-cols-2">
      <TextField label="Name" {...name} error={formState.errors.name?.message} />
      <TextField
        label="Identifier"
        {...slug}
        hint="Used in the URL your widget calls; cannot be changed later."
        className="font-mono"
        error={formState.errors.slug?.message}
      />
      <div className="sm:col-span-2">
        <FormStatus error={status.error} success={status.success} />
      </div>
      <div>
        <Button type="submit" pending={formState.isSubmitting}>
          {formState.isSubmitting ? "Creating…" : "Create community"}
        </Button>
      </div>
    </form>
  );
}
