"use client";

/** A radio group drawn as chips: arrow keys move the choice; the focused chip shows a ring. */
export function ChoiceChips<K extends string>({
  label,
  name,
  options,
  value,
  onChange,
}: {
  label: string;
  name: string;
  options: Record<K, string>;
  value: K;
  onChange: (value: K) => void;
}) {
  return (
    <div role="radiogroup" aria-label={label} className="flex flex-wrap gap-1">
      {(Object.keys(options) as K[]).map((k) => (
        <label
          key={k}
          className={`cursor-pointer rounded-md border px-2 py-1 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-600 ${value === k ? "border-brand-600 bg-brand-50" : "border-slate-300"}`}
        >
          <input
            type="radio"
            name={name}
            value={k}
            checked={value === k}
            onChange={() => onChange(k)}
            className="sr-only"
          />
          {options[k]}
        </label>
      ))}
    </div>
  );
}
