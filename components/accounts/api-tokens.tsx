"use client";
import { useState } from "react";
import { createApiTokenAction, revokeApiTokenAction } from "@/lib/next/actions/api-tokens";
import { apiTokenCreateSchema } from "@vouch/core/validations/api-token";
import { formatUtc } from "@vouch/core/format";
import { Button } from "@/components/ui/button";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { CopyButton } from "@/components/ui/copy-button";
import { DataTable } from "@/components/ui/data-table";
import { TextField } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { useActionForm } from "@/components/ui/use-action-form";

export interface ApiTokenRow {
  id: string;
  name: string;
  role: string;
  createdByEmail: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const when = (iso: string | null, none: string) => (iso ? formatUtc(new Date(iso)) : none);

export function ApiTokenList({ tokens, now }: { tokens: ApiTokenRow[]; now: number }) {
  const state = (t: ApiTokenRow) =>
    t.revokedAt ? "revoked" : t.expiresAt && Date.parse(t.expiresAt) <= now ? "expired" : "active";
  return (
    <DataTable
      caption="API tokens"
      rows={tokens}
      empty="No API tokens yet."
      columns={[
        { header: "Name", cell: (t) => t.name },
        { header: "Role", cell: (t) => t.role },
        { header: "State", cell: (t) => state(t) },
        { header: "Created", cell: (t) => `${when(t.createdAt, "")} by ${t.createdByEmail}` },
        { header: "Last used", cell: (t) => when(t.lastUsedAt, "never") },
        { header: "Expires", cell: (t) => when(t.expiresAt, "never") },
        {
          header: "Actions",
          hideHeader: true,
          className: "text-right",
          cell: (t) =>
            state(t) === "active" ? (
              <ConfirmAction
                trigger="Revoke…"
                title={`Revoke the API token “${t.name}”?`}
                confirmLabel="Revoke token"
                action={() => revokeApiTokenAction({ id: t.id })}
              >
                <p>Requests with it are refused from now on (401). This cannot be undone.</p>
              </ConfirmAction>
            ) : null,
        },
      ]}
    />
  );
}

export function CreateApiTokenForm() {
  const [created, setCreated] = useState<{ token: string; name: string } | null>(null);
  const { form, status, onSubmit } = useActionForm({
    schema: apiTokenCreateSchema,
    defaultValues: { name: "", role: "admin", expires_days: "" },
    submit: (values) => {
      setCreated(null);
      return createApiTokenAction(values);
    },
    onSuccess: (data, _values, f) => {
      setCreated(data);
      f.reset({ name: "", role: "admin", expires_days: "" });
    },
  });
  const { register, formState } = form;
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      <div className="grid max-w-2xl gap-4 md:grid-cols-3">
        <TextField
          label="Name"
          hint="What uses it, e.g. ci or vault-rotation."
          {...register("name")}
          error={formState.errors.name?.message}
        />
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">
          Role
          <select {...register("role")} className="rounded-md border border-slate-300 bg-white px-2 py-2 font-normal">
            <option value="admin">admin (changes configuration)</option>
            <option value="viewer">viewer (reads)</option>
          </select>
        </label>
        <TextField
          label="Expires after (days, optional)"
          inputMode="numeric"
          hint="1–3650. Empty: never."
          {...register("expires_days")}
          error={formState.errors.expires_days?.message}
        />
      </div>
      <FormStatus error={status.error} success={status.success} />
      {created && (
        <div role="status" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
          <p className="font-medium">Copy the token “{created.name}” now: it will not be shown again.</p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <input
              readOnly
              aria-label={`API token ${created.name}`}
              value={created.token}
              className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-2 py-1 font-mono"
            />
            <CopyButton text={created.token} label="Copy token" />
          </div>
        </div>
      )}
      <div>
        <Button type="submit" pending={formState.isSubmitting}>
          Create token
        </Button>
      </div>
    </form>
  );
}
