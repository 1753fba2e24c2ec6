"use client";
import { endOtherSessionsAction } from "@/lib/next/actions/accounts";
import { ConfirmAction } from "@/components/ui/confirm-action";

export function EndOtherSessions({ others }: { others: number }) {
  if (others === 0) return <p className="text-sm text-slate-600">This browser is your only session.</p>;
  return (
    <ConfirmAction
      trigger="Sign out other sessions…"
      title="Sign out your other sessions?"
      confirmLabel="Sign out other sessions"
      action={() => endOtherSessionsAction({})}
    >
      <p>
        {others === 1 ? "The other browser" : `The ${others} other browsers`} signed in to your account will be sent to
        sign-in at their next page. This browser stays signed in.
      </p>
    </ConfirmAction>
  );
}
