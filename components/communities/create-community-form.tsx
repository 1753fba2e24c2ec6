"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { createCommunityAction } from "@/lib/next/actions/communities";
import { communityCreateSchema, slugify } from "@vouch/core/validations/community";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { useActionForm } from "@/components/ui/use-action-form";

export function CreateCommunityForm() {
  const router = useRouter();
  const [slugEdited, setSlugEdited] = useState(false);
  const { form, status, onSubmit } = useActionForm({
    schema: communityCreateSchema,
    defaultValues: { name: "", slug: "" },
    submit: createCommunityAction,
    onSuccess: (data, _values, f) => {
      f.reset();
      setSlugEdited(false);
      router.push(`/communities/${data.slug}`);
    },
  });
  const { register, setValue, formState } = form;
  const name = register("name", {
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => {
      if (!slugEdited) setValue("slug", slugify(e.target.value));
    },
  });
  const slug = register("slug", { onChange: () => setSlugEdited(true) });

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
