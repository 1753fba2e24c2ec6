"use client";
import { useState } from "react";
import { deleteCustomFieldAction } from "@/lib/next/actions/custom-fields";
import { Button } from "@/components/ui/button";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { CustomFieldForm, type FieldValues } from "./custom-field-form";
import { EmptyState } from "../ui/empty-state";

export function CustomFieldList({
  slug,
  fields,
  editable,
}: {
  slug: string;
  fields: (FieldValues & { regex: string })[];
  editable: boolean;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  if (fields.length === 0) return <EmptyState>No custom fields yet.</EmptyState>;
  return (
    <ul className="flex flex-col gap-2">
      {fields.map((f) => (
        <li key={f.key} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          {editing === f.key ? (
            <CustomFieldForm slug={slug} initial={f} onDone={() => setEditing(null)} />
          ) : (
            <div className="flex flex-wrap items-start gap-4">
              <dl className="grid flex-1 grid-cols-[max-content_1fr] gap-x-4 gap-y-0.5 text-sm">
                <dt className="text-slate-600">Label</dt>
                <dd className="font-medium">{f.label}</dd>
                <dt className="text-slate-600">Key</dt>
                <dd className="font-mono">{f.key}</dd>
                <dt className="text-slate-600">Type</dt>
                <dd>
                  {f.type}
                  {f.choices.length > 0 && `: ${f.choices.join(", ")}`}
                </dd>
                <dt className="text-slate-600">Regex</dt>
                <dd className="font-mono">{f.regex || "—"}</dd>
              </dl>
              {editable && (
                <div className="flex gap-2">
                  <Button variant="secondary" onClick={() => setEditing(f.key)} aria-label={`Edit ${f.label}`}>
                    Edit
                  </Button>
                  <ConfirmAction
                    title={`Delete custom field “${f.label}”?`}
                    confirmLabel="Delete field"
                    action={() => deleteCustomFieldAction(slug, { key: f.key })}
                  >
                    <p>
                      Agents will no longer see “{f.label}” on identities. A field used by a mapping cannot be deleted.
                    </p>
                  </ConfirmAction>
                </div>
              )}
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
