"use client";
import { addMappingAction, deleteMappingAction } from "@/lib/next/actions/mappings";
import { mappingSchema } from "@vouch/core/validations/mapping";
import { Button } from "@/components/ui/button";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { SelectField, TextField } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { useActionForm } from "@/components/ui/use-action-form";
import { DataTable } from "@/components/ui/data-table";
import { customKeyOf, customTarget, PREDEFINED_FIELDS } from "@vouch/core/identity/vocabulary";

interface Props {
  slug: string;
  mappings: { key: string; field: string }[];
  customFields: { key: string; label: string }[];
  editable: boolean;
}

export function MappingsEditor({ slug, mappings, customFields, editable }: Props) {
  const { form, status, onSubmit } = useActionForm({
    schema: mappingSchema,
    defaultValues: { key: "", field: "" },
    submit: (values) => addMappingAction(slug, values),
    onSuccess: (_data, _values, f) => f.reset(), // an empty row for the next mapping
  });
  const { register, formState } = form;
  const labelOf = (field: string) => customFields.find((f) => customTarget(f.key) === field)?.label ?? field;
  const taken = new Set(mappings.map((m) => m.field));

  return (
    <div className="flex flex-col gap-6">
      <DataTable
        caption="Extra value mappings"
        rows={mappings.map((m) => ({ id: m.key, ...m }))}
        empty="No mappings yet."
        columns={[
          { header: "Extra value key", cell: (m) => m.key, className: "font-mono" },
          {
            header: "Goes to",
            cell: (m) => (customKeyOf(m.field) !== null ? `${labelOf(m.field)} (custom)` : m.field),
          },
          ...(editable
            ? [
                {
                  header: "Actions",
                  hideHeader: true,
                  className: "text-right",
                  cell: (m: { key: string; field: string }) => (
                    <ConfirmAction
                      title={`Delete the mapping of “${m.key}”?`}
                      confirmLabel="Delete mapping"
                      action={() => deleteMappingAction(slug, { key: m.key })}
                    >
                      <p>
                        New identities will keep “{m.key}” only as a raw extra value; {labelOf(m.field)} will no longer
                        be filled from it.
                      </p>
                    </ConfirmAction>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editable && (
        <section
          aria-labelledby="new-mapping-heading"
          className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
        >
          <h2 id="new-mapping-heading" className="mb-3 text-lg font-semibold">
            New mapping
          </h2>
          <form onSubmit={onSubmit} noValidate className="grid gap-4 md:grid-cols-2">
            <TextField
              label="Extra value key"
              className="font-mono"
              hint="As sent in extra_values, e.g. cell_number; uuid takes the visitor's UUID."
              {...register("key")}
              error={formState.errors.key?.message}
            />
            <SelectField label="Destination field" {...register("field")} error={formState.errors.field?.message}>
              <option value="">Choose a field…</option>
              <optgroup label="Predefined fields">
                {PREDEFINED_FIELDS.map((f) => (
                  <option key={f} value={f} disabled={taken.has(f)}>
                    {f}
                    {taken.has(f) ? " (mapped)" : ""}
                  </option>
                ))}
              </optgroup>
              {customFields.length > 0 && (
                <optgroup label="Custom fields">
                  {customFields.map((f) => {
                    const t = customTarget(f.key);
                    return (
                      <option key={t} value={t} disabled={taken.has(t)}>
                        {f.label}
                        {taken.has(t) ? " (mapped)" : ""}
                      </option>
                    );
                  })}
                </optgroup>
              )}
            </SelectField>
            <div className="md:col-span-2">
              <FormStatus error={status.error} success={status.success} />
            </div>
            <div>
              <Button type="submit" pending={formState.isSubmitting}>
                {formState.isSubmitting ? "Adding…" : "Add mapping"}
              </Button>
            </div>
          </form>
        </section>
      )}
    </div>
  );
}
