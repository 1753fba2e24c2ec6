"use client";
import { signInAction } from "@/lib/next/actions/auth";
import { signInSchema } from "@vouch/core/validations/account";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { useActionForm } from "@/components/ui/use-action-form";

export function SignInForm({ next }: { next: string }) {
  // Success redirects (the action never returns): only errors come back.
  const { form, status, onSubmit } = useActionForm({
    schema: signInSchema,
    defaultValues: { email: "", password: "" },
    submit: (values) => signInAction(values, next),
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
        label="Password"
        type="password"
        autoComplete="current-password"
        {...register("password")}
        error={formState.errors.password?.message}
      />
      <FormStatus error={status.error} />
      <Button type="submit" pending={formState.isSubmitting}>
        {formState.isSubmitting ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
