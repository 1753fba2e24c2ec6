"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { createAccountAction } from "@/app/(console)/accounts/actions";
import { accountCreateSchema, PASSWORD_MIN, type AccountCreateInput } from "@/lib/validations/account";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { applyServerErrors } from "@/components/ui/server-errors";

export function CreateAccountForm() {
  const router = useRouter();
  const [status, setStatus] = useState<{ error?: string; success?: string }>({});
  const { register, handleSubmit, setError, reset, formState } = useForm<AccountCreateInput>({
    resolver: zodResolver(accountCreateSchema),
    defaultValues: { email: "", name: "", password: "", role: "viewer" },
  });
  const onSubmit = handleSubmit(async (values) => {
    setStatus({});
    const result = await createAccountAction(values);
    if (!result.ok) return setStatus({ error: applyServerErrors(setError, result) });
    reset();
    setStatus({ success: result.message });
    router.refresh();
  });
  return (
    <form onSubmit={onSubmit} noValidate className="mt-3 grid gap-4 sm:grid-cols-2">
      <TextField label="E-mail address" type="email" autoComplete="off" {...register("email")} error={formState.errors.email?.message} />
      <TextField label="Name (optional)" autoComplete="off" {...register("name")} error={formState.errors.name?.message} />
      <TextField
        label="Initial password"
        type="password"
        autoComplete="new-password"
        hint={`At least ${PASSWORD_MIN} characters. Share it over a safe channel.`}
        {...register("password")}
        error={formState.errors.password?.message}
      />
      <SelectField label="Role" {...register("role")} error={formState.errors.role?.message}>
        <option value="viewer">viewer — read-only, sees no secrets</option>
        <option value="admin">admin — can change everything</option>
      </SelectField>
      <div className="sm:col-span-2">
        <FormStatus error={status.error} success={status.success} />
      </div>
      <div>
        <Button type="submit" pending={formState.isSubmitting}>
          {formState.isSubmitting ? "Creating…" : "Create account"}
        </Button>
      </div>
    </form>
  );
}
