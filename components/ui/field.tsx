import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";

interface FieldShellProps {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
}

/** Label, control, hint and error, with the error tied to the control by aria-describedby. */
function FieldShell({ id, label, hint, error, children }: FieldShellProps) {
  // Several problems (e.g. one per line of a list) come as separate paragraphs.
  const errors = error ? error.split("\n") : [];
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      {children}
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
      )}
      {errors.length > 0 && (
        <div id={`${id}-error`} className="text-sm text-red-700">
          {errors.map((e) => (
            <p key={e}>{e}</p>
          ))}
        </div>
      )}
    </div>
  );
}

/** What every field's control carries: its id, the invalid state and the hint/error it is described by. */
function useControl(givenId: string | undefined, hint: unknown, error: unknown, className?: string) {
  const generated = useId();
  const id = givenId ?? generated;
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return {
    id,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy,
    className: `rounded-md border bg-white px-3 py-2 text-sm shadow-sm aria-[invalid=true]:border-red-600 border-slate-300 ${className ?? ""}`,
  } as const;
}

interface FieldProps<E> {
  label: string;
  hint?: ReactNode;
  /** One problem per line. */
  error?: string;
  ref?: Ref<E>;
}

export function TextField({
  label,
  hint,
  error,
  ref,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & FieldProps<HTMLInputElement>) {
  const control = useControl(props.id, hint, error, props.className);
  return (
    <FieldShell id={control.id} label={label} hint={hint} error={error}>
      <input ref={ref} {...props} {...control} />
    </FieldShell>
  );
}

export function SelectField({
  label,
  hint,
  error,
  ref,
  children,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & FieldProps<HTMLSelectElement>) {
  const control = useControl(props.id, hint, error);
  return (
    <FieldShell id={control.id} label={label} hint={hint} error={error}>
      <select ref={ref} {...props} {...control}>
        {children}
      </select>
    </FieldShell>
  );
}

/** A multi-line text control (PEM keys, lists one per line, tokens), labelled like every other field. */
export function TextAreaField({
  label,
  hint,
  error,
  ref,
  ...props
}: TextareaHTMLAttributes<HTMLTextAreaElement> & FieldProps<HTMLTextAreaElement>) {
  const control = useControl(props.id, hint, error, props.className);
  return (
    <FieldShell id={control.id} label={label} hint={hint} error={error}>
      <textarea ref={ref} spellCheck={false} {...props} {...control} />
    </FieldShell>
  );
}
