"use client";
import { Button } from "@/components/ui/button";

/** Downloads one identity's JSON document (docs/reference.md): the page already holds it, no second request. */
export function ExportIdentityButton({ fileName, document }: { fileName: string; document: unknown }) {
  return (
    <Button
      type="button"
      variant="secondary"
      onClick={() => {
        const blob = new Blob([`${JSON.stringify(document, null, 2)}\n`], { type: "application/json" });
        const url = URL.createObjectURL(blob);
        const a = Object.assign(window.document.createElement("a"), { href: url, download: fileName });
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
      }}
    >
      Export JSON
    </Button>
  );
}
