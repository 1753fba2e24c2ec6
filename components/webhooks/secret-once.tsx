"use client";
import { CopyButton } from "@/components/ui/copy-button";

/** A secret shown this once, with a copy button. */
export function SecretOnce({ secret, what, note }: { secret: string; what: string; note?: string }) {
  return (
    <div role="status" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
      <p className="font-medium">Copy {what} now: it will not be shown again.</p>
      {note && <p className="mt-1">{note}</p>}
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <input
          readOnly
          aria-label={what}
          value={secret}
          className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-2 py-1 font-mono"
        />
        <CopyButton text={secret} label="Copy secret" />
      </div>
    </div>
  );
}
