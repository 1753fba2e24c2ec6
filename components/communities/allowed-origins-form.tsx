"use client";
import { Controller } from "react-hook-form";
import { updateAllowedOriginsAction } from "@/lib/next/actions/community";
import { allowedOriginsFormSchema } from "@vouch/core/validations/community-settings";
import { Button } from "@/components/ui/button";
import { TextAreaField } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { useActionForm } from "@/components/ui/use-action-form";

export function AllowedOriginsForm({ slug, origins }: { slug: string; origins: string[] }) {
  const { form, status, onSubmit } = useActionForm({
    schema: allowedOriginsFormSchema,
    defaultValues: { allowed_origins: origins },
    submit: (values) => updateAllowedOriginsAction(slug, values),
    onSuccess: (data, _values, f) => f.reset(data), // the saved list: de-duplicated, trimmed
  });
  const { control, watch, formState } = form;
  const current = watch("allowed_origins");
  const errors = formState.errors.allowed_origins;
  const messages = [
    ...(errors?.message ? [errors.message] : []),
    ...(Array.isArray(errors) ? errors.flatMap((e, i) => (e?.message ? [`Line ${i + 1}: ${e.message}`] : [])) : []),
  ];

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-2 sm:max-w-xl">
      <Controller
        control={control}
        name="allowed_origins"
        render={({ field }) => (
          <TextAreaField
            label="Allowed origins (one per line)"
            rows={4}
            className="font-mono"
            placeholder={"https://shop.example.com\nhttp://localhost:8080"}
            hint="Websites whose pages may call the identity route from the browser, as scheme://host[:port]. Requests without an Origin header (servers, scripts) are always allowed: signatures, not CORS, are the security boundary."
            value={field.value.join("\n")}
            onChange={(e) => field.onChange(e.target.value.split("\n"))}
            onBlur={() => {
              field.onChange(field.value.map((o) => o.trim()).filter(Boolean));
              field.onBlur();
            }}
            error={messages.join("\n") || undefined}
          />
        )}
      />
      {current.includes("*") && (
        <p role="note" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          “*” lets any website call this community&apos;s identity route from a visitor&apos;s browser. Prefer listing
          your sites.
        </p>
      )}
      <FormStatus error={status.error} success={status.success} />
      <div>
        <Button type="submit" pending={formState.isSubmitting} disabled={!formState.isDirty}>
          {formState.isSubmitting ? "Saving…" : "Save origins"}
        </Button>
      </div>
    </form>
  );
}
