"use client";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { eraseIdentityAction } from "@/app/(console)/communities/[slug]/identities/actions";

/** Erasure behind a confirmation (SPEC §9): the identity and the verification-log entries naming it. */
export function EraseIdentityButton({ slug, uuid, then }: { slug: string; uuid: string; then: string }) {
  return (
    <ConfirmAction
      trigger="Erase…"
      title="Erase this identity?"
      confirmLabel="Erase identity"
      action={() => eraseIdentityAction(slug, { uuid })}
      then={then}
    >
      <p>
        This deletes the identity <code className="break-all">{uuid}</code> and every verification-log entry naming its
        uuid. It cannot be undone; the audit log records that an identity was erased, never its data. If the visitor
        comes back, the widget registers them again.
      </p>
    </ConfirmAction>
  );
}
