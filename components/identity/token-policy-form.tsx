"use client";
import { updateTokenPolicyAction } from "@/lib/next/actions/signed-identities";
import { tokenPolicyFormSchema, type TokenPolicy } from "@vouch/core/validations/community-settings";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { useActionForm } from "@/components/ui/use-action-form";

/** Who signed tokens must be made for, and how long they may live (docs/reference.md, token policy). */
export function TokenPolicyForm({ slug, policy }: { slug: string; policy: TokenPolicy }) {
  const { form, status, onSubmit } = useActionForm({
    schema: tokenPolicyFormSchema,
    defaultValues: {
      expected_issuer: policy.expected_issuer ?? "",
      expected_audience: policy.expected_audience ?? "",
      max_token_lifetime_minutes: policy.max_token_lifetime_minutes ?? "",
    },
    submit: (values) => updateTokenPolicyAction(slug, values),
    onSuccess: (saved, _values, f) =>
      f.reset({
        expected_issuer: saved.expected_issuer ?? "",
        expected_audience: saved.expected_audience ?? "",
        max_token_lifetime_minutes: saved.max_token_lifetime_minutes ?? "",
      }),
  });
  const { register, formState } = form;
  const error = (name: keyof TokenPolicy) => formState.errors[name]?.message as string | undefined;
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      <div className="grid gap-4 md:grid-cols-3">
        <TextField
          label="Expected issuer (iss)"
          hint="Leave empty to accept any. Tokens must carry exactly this iss."
          maxLength={256}
          {...register("expected_issuer")}
          error={error("expected_issuer")}
        />
        <TextField
          label="Expected audience (aud)"
          hint="Leave empty to accept any. The token's aud (a string or a list) must contain it."
          maxLength={256}
          {...register("expected_audience")}
          error={error("expected_audience")}
        />
        <TextField
          label="Longest token lifetime (minutes)"
          type="number"
          min={60}
          max={43200}
          inputMode="numeric"
          hint="60–43,200, or empty for no cap. Tokens then need iat, and exp − iat may not exceed it."
          {...register("max_token_lifetime_minutes", {
            setValueAs: (v: unknown) => (v === "" || v === null ? "" : Number(v)),
          })}
          error={error("max_token_lifetime_minutes")}
        />
      </div>
      <FormStatus error={status.error} success={status.success} />
      <div>
        <Button type="submit" pending={formState.isSubmitting} disabled={!formState.isDirty}>
          {formState.isSubmitting ? "Saving…" : "Save token policy"}
        </Button>
      </div>
    </form>
  );
}
