"use client";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { revokeCommunityTokensAction } from "@/lib/next/actions/signed-identities";

/** "Revoke all tokens" of a community (a leaked key or tokens), behind a confirmation that says what it does. */
export function RevokeAllTokensButton({ slug, verified }: { slug: string; verified: number }) {
  return (
    <ConfirmAction
      trigger="Revoke all tokens…"
      title="Revoke every token of this community?"
      confirmLabel="Revoke all tokens"
      action={() => revokeCommunityTokensAction(slug, {})}
    >
      <p>
        Every signed token issued before now is refused from now on (<code>token_revoked</code>), for every visitor, on
        every instance within a second. {verified} verified {verified === 1 ? "identity becomes" : "identities become"}{" "}
        unverified until a new token arrives. Widgets ask your pages for new tokens; tokens issued from now on are
        accepted. Use it after a key or tokens may have leaked — and replace the key too.
      </p>
    </ConfirmAction>
  );
}
