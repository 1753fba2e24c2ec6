import type { ReactNode } from "react";

/** What a list or table shows when it has nothing yet. */
export function EmptyState({ children, className = "" }: { children: ReactNode; className?: string }) {
  return (
    <p className={`rounded-md border border-dashed border-slate-300 p-4 text-sm text-slate-600 ${className}`}>
      {children}
    </p>
  );
}
