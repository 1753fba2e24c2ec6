"use client";
import { useState } from "react";
import { ChoiceChips } from "../ui/choice-chips";
import { CopyButton } from "../ui/copy-button";
import { integrationSnippet, SNIPPET_KINDS, type SnippetKind } from "@vouch/core/widget/snippet";

export function InstallSnippet({ origin, slug, initial }: { origin: string; slug: string; initial: SnippetKind }) {
  const [kind, setKind] = useState<SnippetKind>(initial);
  const code = integrationSnippet(kind, origin, slug);
  return (
    <div className="flex flex-col gap-3 text-sm">
      <div className="flex flex-wrap items-center gap-3">
        <ChoiceChips label="Visitors" name="snippet-kind" options={SNIPPET_KINDS} value={kind} onChange={setKind} />
        <CopyButton text={code} label="Copy snippet" className="ml-auto" />
      </div>
      <pre
        tabIndex={0}
        aria-label="Integration snippet"
        data-testid="integration-snippet"
        className="overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100"
      >
        {code}
      </pre>
    </div>
  );
}
