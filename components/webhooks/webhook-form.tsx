"use client";
import { useState } from "react";
import { createWebhookAction, updateWebhookAction } from "@/lib/next/actions/webhooks";
import { webhookFormSchema, type WebhookFormInput } from "@vouch/core/validations/webhook";
import { EVENT_DESCRIPTIONS, SUBSCRIBABLE_EVENT_TYPES } from "@vouch/core/webhooks/events";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { useActionForm } from "@/components/ui/use-action-form";
import { SecretOnce } from "./secret-once";

/** Adding an endpoint (no `id`) or editing one: URL, event types, description. */
export function WebhookForm({ slug, id, initial }: { slug: string; id?: string; initial?: WebhookFormInput }) {
  const [secret, setSecret] = useState<string | null>(null);
  const empty: WebhookFormInput = { url: "", events: [], description: "" };
  const { form, status, onSubmit } = useActionForm({
    schema: webhookFormSchema,
    defaultValues: initial ?? empty,
    submit: (values) => {
      setSecret(null);
      return id ? updateWebhookAction(slug, { ...values, id }) : createWebhookAction(slug, values);
    },
    onSuccess: (data, values, f) => {
      if (data && "secret" in data) {
        setSecret(data.secret);
        f.reset(empty);
      } else f.reset(values);
    },
  });
  const { register, formState } = form;
  const eventsError = formState.errors.events?.message ?? formState.errors.events?.root?.message;
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      <div className="grid max-w-3xl gap-4 md:grid-cols-2">
        <TextField
          label="Endpoint URL"
          placeholder="https://crm.example.com/hooks/vouch"
          hint="https, on a public address (checked now and at every delivery)."
          {...register("url")}
          error={formState.errors.url?.message}
        />
        <TextField
          label="Description (optional)"
          hint="What receives it, e.g. CRM sync."
          {...register("description")}
          error={formState.errors.description?.message}
        />
      </div>
      <fieldset
        className="flex flex-col gap-1"
        aria-describedby={eventsError ? `events-error-${id ?? "new"}` : undefined}
        aria-invalid={eventsError ? true : undefined}
      >
        <legend className="mb-1 text-sm font-medium text-slate-800">Event types</legend>
        {SUBSCRIBABLE_EVENT_TYPES.map((t) => (
          <label key={t} className="flex items-start gap-2 text-sm">
            <input type="checkbox" value={t} {...register("events")} className="mt-1" />
            <span>
              <code>{t}</code> <span className="text-slate-600">— {EVENT_DESCRIPTIONS[t]}</span>
            </span>
          </label>
        ))}
        {eventsError && (
          <p id={`events-error-${id ?? "new"}`} className="text-sm text-red-700">
            {eventsError}
          </p>
        )}
      </fieldset>
      <FormStatus error={status.error} success={status.success} />
      {secret && <SecretOnce secret={secret} what="this endpoint's signing secret" />}
      <div>
        <Button type="submit" pending={formState.isSubmitting}>
          {id ? "Save endpoint" : "Add endpoint"}
        </Button>
      </div>
    </form>
  );
}
