"use client";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { setupAction } from "@/app/(auth)/actions";
import { PASSWORD_MIN, setupSchema, type SetupInput } from "@/lib/validations/account";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { applyServerErrors } from "@/components/ui/server-errors";

export function SetupForm() {
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, formState } = useForm<SetupInput>({
    resolver: zodResolver(setupSchema),
    defaultValues: { email: "", name: "", password: "" },
  });
  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    const result = await setupAction(values);
    if (result && !result.ok) setFormError(applyServerErrors(setError, result));
  });
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      <TextField label="E-mail address" type="email" autoComplete="username" {...register("email")} error={formState.errors.email?.message} />
      <TextField label="Name (optional)" autoComplete="name" {...register("name")} error={formState.errors.name?.message} />
      <TextField
        label="Password"
        type="password"
        autoComplete="new-password"
        hint={`At least ${PASSWORD_MIN} characters.`}
        {...register("password")}
        error={formState.errors.password?.message}
      />
      <FormStatus error={formError} />
      <Button type="submit" pending={formState.isSubmitting}>
        {formState.isSubmitting ? "Creating…" : "Create administrator"}
      </Button>
    </form>
  );
}
