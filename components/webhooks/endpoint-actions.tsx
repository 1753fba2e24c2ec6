"use client";
import { useState } from "react";
import {
  deleteWebhookAction,
  redeliverAction,
  rotateWebhookSecretAction,
  sendTestEventAction,
  setWebhookEnabledAction,
} from "@/lib/next/actions/webhooks";
import { formatUtc } from "@vouch/core/format";
import { Button } from "@/components/ui/button";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormStatus } from "@/components/ui/form-status";
import { SecretOnce } from "./secret-once";

/** An admin's buttons for one endpoint: test, enable/disable, rotate the secret, delete. */
export function EndpointActions({ slug, id, enabled }: { slug: string; id: string; enabled: boolean }) {
  const [status, setStatus] = useState<{ error?: string; success?: string }>({});
  const [pending, setPending] = useState(false);
  const [rotated, setRotated] = useState<{ secret: string; previousSecretUntil: string } | null>(null);
  const act = async (run: () => Promise<{ ok: boolean; formError?: string; message?: string }>) => {
    setPending(true);
    setStatus({});
    const r = await run();
    setPending(false);
    setStatus(r.ok ? { success: r.message } : { error: r.formError ?? "Nothing was changed. Try again." });
  };
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap gap-2">
        <Button
          variant="secondary"
          pending={pending}
          disabled={!enabled}
          onClick={() => act(() => sendTestEventAction(slug, { id }))}
        >
          Send test event
        </Button>
        <Button
          variant="secondary"
          pending={pending}
          onClick={() => act(() => setWebhookEnabledAction(slug, { id, enabled: !enabled }))}
        >
          {enabled ? "Disable" : "Enable"}
        </Button>
        <ConfirmDialog
          trigger="Rotate secret…"
          title="Rotate this endpoint's signing secret?"
          confirmLabel="Rotate secret"
          onConfirm={async () => {
            const r = await rotateWebhookSecretAction(slug, { id });
            if (!r.ok) return r.formError ?? "Nothing was changed. Try again.";
            setRotated(r.data);
            return null;
          }}
        >
          <p>
            A new secret is made and shown once. For 24 hours every message is signed with both the new and the old
            secret, so the receiver can switch without losing a message; then with the new one only.
          </p>
        </ConfirmDialog>
        <ConfirmAction
          trigger="Delete…"
          title="Delete this webhook endpoint?"
          confirmLabel="Delete endpoint"
          action={() => deleteWebhookAction(slug, { id })}
          then={`/communities/${slug}/webhooks`}
        >
          <p>Its pending messages are dropped and its delivery history deleted. This cannot be undone.</p>
        </ConfirmAction>
      </div>
      <FormStatus error={status.error} success={status.success} />
      {rotated && (
        <SecretOnce
          secret={rotated.secret}
          what="the new signing secret"
          note={`The previous secret also signs until ${formatUtc(new Date(rotated.previousSecretUntil))}.`}
        />
      )}
    </div>
  );
}

/** "Redeliver" for one message (the same webhook-id). */
export function RedeliverButton({ slug, id, messageId }: { slug: string; id: string; messageId: string }) {
  const [status, setStatus] = useState<{ error?: string; success?: string }>({});
  const [pending, setPending] = useState(false);
  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        variant="secondary"
        pending={pending}
        aria-label={`Redeliver ${messageId}`}
        onClick={async () => {
          setPending(true);
          const r = await redeliverAction(slug, { id, messageId });
          setPending(false);
          setStatus(r.ok ? { success: "Queued again." } : { error: r.formError ?? "Try again." });
        }}
      >
        Redeliver
      </Button>
      <FormStatus error={status.error} success={status.success} />
    </div>
  );
}
