"use client";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { revokeIdentityAction } from "@/lib/next/actions/identities";

/** "Sign out everywhere" for one visitor, behind a confirmation that says what it does. */
export function RevokeIdentityButton({ slug, uuid }: { slug: string; uuid: string }) {
  return (
    <ConfirmAction
      trigger="Sign out everywhere…"
      title="Sign this visitor out everywhere?"
      confirmLabel="Sign out everywhere"
      action={() => revokeIdentityAction(slug, { uuid })}
    >
      <p>
        Every signed token for <code className="break-all">{uuid}</code> issued before now is refused from now on (
        <code>token_revoked</code>), on every instance within a second, and the identity becomes unverified. The widget
        forgets the visitor and asks your page for a new token; tokens your website issues from now on are accepted
        again.
      </p>
    </ConfirmAction>
  );
}
