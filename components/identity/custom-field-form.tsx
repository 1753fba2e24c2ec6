"use client";
import { Controller } from "react-hook-form";
import { createCustomFieldAction, updateCustomFieldAction } from "@/lib/next/actions/custom-fields";
import { customFieldSchema, fieldKeyFromLabel } from "@vouch/core/validations/custom-field";
import { Button } from "@/components/ui/button";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { useActionForm } from "@/components/ui/use-action-form";
import { RegexTester } from "./regex-tester";
import { CHOICE_TYPES, FIELD_TYPES, type FieldType } from "@vouch/core/identity/vocabulary";

export type FieldValues = { label: string; key: string; type: FieldType; choices: string[]; regex: string };
const TYPE_LABELS: Record<FieldType, string> = {
  string: "Text (one line)",
  text: "Text (several lines)",
  integer: "Whole number",
  float: "Decimal number",
  boolean: "Yes / no",
  single_choice: "Single choice",
  multiple_choice: "Multiple choice",
};

export function CustomFieldForm({
  slug,
  initial,
  onDone,
}: {
  slug: string;
  initial?: FieldValues;
  onDone?: () => void;
}) {
  const editing = initial !== undefined;
  const blank: FieldValues = { label: "", key: "", type: "string", choices: [], regex: "" };
  const { form, status, onSubmit } = useActionForm({
    schema: customFieldSchema,
    defaultValues: initial ?? blank,
    submit: (values: FieldValues) => (editing ? updateCustomFieldAction : createCustomFieldAction)(slug, values),
    onSuccess: (data, _values, f) => {
      f.reset(editing ? { ...data, regex: data.regex ?? "" } : blank);
      onDone?.();
    },
  });
  const { register, watch, control, formState } = form;
  const [label, key, type, regex] = watch(["label", "key", "type", "regex"]);

  const choicesError =
    formState.errors.choices?.message ?? formState.errors.choices?.find?.((e) => e?.message)?.message;
  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4 md:grid-cols-2">
      <TextField label="Label" {...register("label")} error={formState.errors.label?.message} />
      <TextField
        label="Key"
        className="font-mono"
        disabled={editing}
        placeholder={fieldKeyFromLabel(label ?? "") || "customer_id"}
        hint={
          editing
            ? "The key cannot change: mappings and stored values use it."
            : `Leave empty to use “${fieldKeyFromLabel(label ?? "") || "…"}”.`
        }
        {...register("key")}
        error={formState.errors.key?.message}
      />
      <SelectField label="Type" {...register("type")} error={formState.errors.type?.message}>
        {FIELD_TYPES.map((t) => (
          <option key={t} value={t}>
            {TYPE_LABELS[t]}
          </option>
        ))}
      </SelectField>
      {CHOICE_TYPES.includes(type) && (
        <Controller
          control={control}
          name="choices"
          render={({ field }) => (
            <TextAreaField
              label="Choices (one per line)"
              rows={4}
              value={field.value.join("\n")}
              onChange={(e) => field.onChange(e.target.value.split("\n"))}
              onBlur={() => {
                field.onChange(field.value.map((c) => c.trim()).filter(Boolean));
                field.onBlur();
              }}
              error={choicesError}
            />
          )}
        />
      )}
      <div className="flex flex-col gap-3 md:col-span-2">
        <TextField
          label="Custom regex (optional)"
          className="font-mono"
          spellCheck={false}
          hint="RE2 syntax, run in linear time. Values that do not match are not stored in this field."
          {...register("regex")}
          error={formState.errors.regex?.message}
        />
        <RegexTester pattern={regex ?? ""} />
      </div>
      <div className="md:col-span-2">
        <FormStatus error={status.error} success={status.success} />
      </div>
      <div className="flex gap-2">
        <Button type="submit" pending={formState.isSubmitting}>
          {formState.isSubmitting ? "Saving…" : editing ? `Save “${key}”` : "Add custom field"}
        </Button>
        {onDone && (
          <Button variant="secondary" onClick={onDone}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
