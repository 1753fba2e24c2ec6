"use client";
import { useState } from "react";
import { CopyButton } from "../ui/copy-button";
import { integrationSnippet, SNIPPET_KINDS, type SnippetKind } from "@/lib/widget/snippet";

export function InstallSnippet({ origin, slug, initial }: { origin: string; slug: string; initial: SnippetKind }) {
  const [kind, setKind] = useState<SnippetKind>(initial);
  const code = integrationSnippet(kind, origin, slug);
  return (
    <div className="flex flex-col gap-3 text-sm">
      <div className="flex flex-wrap items-center gap-3">
        <div role="radiogroup" aria-label="Visitors" className="flex flex-wrap gap-1">
          {(Object.keys(SNIPPET_KINDS) as SnippetKind[]).map((k) => (
            <label key={k} className={`cursor-pointer rounded-md border px-2 py-1 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-600 ${kind === k ? "border-brand-600 bg-brand-50" : "border-slate-300"}`}>
              <input type="radio" name="snippet-kind" value={k} checked={kind === k} onChange={() => setKind(k)} className="sr-only" />
              {SNIPPET_KINDS[k]}
            </label>
          ))}
        </div>
        <CopyButton text={code} label="Copy snippet" className="ml-auto" />
      </div>
      <pre tabIndex={0} aria-label="Integration snippet" data-testid="integration-snippet" className="overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100">{code}</pre>
    </div>
  );
}
