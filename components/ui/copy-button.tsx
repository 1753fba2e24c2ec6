"use client";
import { useEffect, useState } from "react";

/** Copies `text` to the clipboard and says so (politely, for screen readers too). */
export function CopyButton({
  text,
  label = "Copy",
  className = "",
}: {
  text: string;
  label?: string;
  className?: string;
}) {
  const [status, setStatus] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (status === "idle") return;
    const t = setTimeout(() => setStatus("idle"), 2500);
    return () => clearTimeout(t);
  }, [status]);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setStatus("copied");
    } catch {
      setStatus("failed");
    }
  }
  return (
    <span className={`inline-flex items-center gap-2 ${className}`}>
      <button
        type="button"
        onClick={copy}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm hover:bg-slate-100"
      >
        {label}
      </button>
      <span role="status" className="text-xs text-slate-700">
        {status === "copied" ? "Copied" : status === "failed" ? "Copy failed: select the text and copy it" : ""}
      </span>
    </span>
  );
}
