"use client";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { eraseIdentityAction } from "@/lib/next/actions/identities";

/**
 * Erasure behind a confirmation (docs/reference.md, data lifecycle): the identity, when one is stored, and
 * every verification-log entry recorded for its uuid.
 */
export function EraseIdentityButton({
  slug,
  uuid,
  stored,
  then,
}: {
  slug: string;
  uuid: string;
  /** Whether an identity is stored for the uuid (else only its log entries are deleted). */
  stored: boolean;
  then: string;
}) {
  return (
    <ConfirmAction
      trigger="Erase…"
      title={stored ? "Erase this identity?" : "Erase what is recorded for this uuid?"}
      confirmLabel={stored ? "Erase identity" : "Erase log entries"}
      action={() => eraseIdentityAction(slug, { uuid })}
      then={then}
    >
      <p>
        This deletes {stored ? "the identity" : "what was recorded for the uuid"}{" "}
        <code className="break-all">{uuid}</code>
        {stored ? " and" : ":"} every verification-log entry recorded for its uuid (exactly this uuid, nothing of
        another visitor). It cannot be undone; the audit log records that a uuid was erased, never its data. If the
        visitor comes back, the widget registers them again.
      </p>
    </ConfirmAction>
  );
}
