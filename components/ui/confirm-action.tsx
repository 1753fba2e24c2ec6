"use client";
import type { ReactNode } from "react";
import { useRouter } from "next/navigation";
import { ConfirmDialog } from "./confirm-dialog";

/**
 * A destructive server action behind a confirmation: runs it, shows its error inside the dialog,
 * otherwise closes and refreshes the page (or goes to `then`).
 */
export function ConfirmAction({
  trigger = "Delete…",
  title,
  confirmLabel,
  action,
  then,
  children,
}: {
  trigger?: string;
  title: string;
  confirmLabel: string;
  action: () => Promise<{ ok: boolean; formError?: string }>;
  then?: string;
  children: ReactNode;
}) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={trigger}
      title={title}
      confirmLabel={confirmLabel}
      onConfirm={async () => {
        const result = await action();
        if (!result.ok) return result.formError ?? "Nothing was changed. Try again.";
        if (then) router.push(then); // otherwise the action has revalidated this page
        return null;
      }}
    >
      {children}
    </ConfirmDialog>
  );
}
