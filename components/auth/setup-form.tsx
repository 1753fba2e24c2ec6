"use client";
import { setupAction } from "@/lib/next/actions/auth";
import { PASSWORD_MIN, setupSchema } from "@vouch/core/validations/account";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { useActionForm } from "@/components/ui/use-action-form";

export function SetupForm() {
  // Success redirects (the action never returns): only errors come back.
  const { form, status, onSubmit } = useActionForm({
    schema: setupSchema,
    defaultValues: { email: "", name: "", password: "" },
    submit: (values) => setupAction(values),
  });
  const { register, formState } = form;
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      <TextField
        label="E-mail address"
        type="email"
        autoComplete="username"
        {...register("email")}
        error={formState.errors.email?.message}
      />
      <TextField
        label="Name (optional)"
        autoComplete="name"
        {...register("name")}
        error={formState.errors.name?.message}
      />
      <TextField
        label="Password"
        type="password"
        autoComplete="new-password"
        hint={`At least ${PASSWORD_MIN} characters.`}
        {...register("password")}
        error={formState.errors.password?.message}
      />
      <FormStatus error={status.error} />
      <Button type="submit" pending={formState.isSubmitting}>
        {formState.isSubmitting ? "Creating…" : "Create administrator"}
      </Button>
    </form>
  );
}
