"use client";
import { createAccountAction } from "@/lib/next/actions/accounts";
import { accountCreateSchema, PASSWORD_MIN } from "@vouch/core/validations/account";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { useActionForm } from "@/components/ui/use-action-form";

export function CreateAccountForm() {
  const { form, status, onSubmit } = useActionForm({
    schema: accountCreateSchema,
    defaultValues: { email: "", name: "", password: "", role: "viewer" },
    submit: createAccountAction,
    onSuccess: (_data, _values, f) => f.reset(), // an empty form for the next account
  });
  const { register, formState } = form;
  return (
    <form onSubmit={onSubmit} noValidate className="mt-3 grid gap-4 sm:grid-cols-2">
      <TextField
        label="E-mail address"
        type="email"
        autoComplete="off"
        {...register("email")}
        error={formState.errors.email?.message}
      />
      <TextField
        label="Name (optional)"
        autoComplete="off"
        {...register("name")}
        error={formState.errors.name?.message}
      />
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
