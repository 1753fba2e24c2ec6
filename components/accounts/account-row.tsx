"use client";
import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import {
  changeAccountRoleAction,
  deleteAccountAction,
  endAccountSessionsAction,
  setAccountDisabledAction,
} from "@/lib/next/actions/accounts";
import { Button } from "@/components/ui/button";
import { isRole, type Role } from "@vouch/core/authz";
import { ConfirmAction } from "@/components/ui/confirm-action";

export function AccountRow({
  account,
  editable,
  self,
}: {
  account: { id: string; email: string; name: string; role: Role; disabled: boolean };
  editable: boolean;
  self: boolean;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const errorId = useId();

  async function changeRole(role: string) {
    if (!isRole(role)) return;
    setPending(true);
    setError(null);
    const result = await changeAccountRoleAction({ id: account.id, role });
    setPending(false);
    if (result.ok) return; // the action revalidates the page
    setError(result.fieldErrors?.role?.[0] ?? result.formError ?? "Could not change the role.");
    router.refresh(); // put the select back to the stored role
  }

  return (
    <tr className="border-t border-slate-200 align-top">
      <td className="px-3 py-2">
        {account.email}
        {self && <span className="ml-1 text-xs text-slate-600">(you)</span>}
        {account.disabled && (
          <span className="ml-2 rounded bg-slate-200 px-1.5 py-0.5 text-xs font-medium text-slate-800">disabled</span>
        )}
      </td>
      <td className="px-3 py-2">{account.name}</td>
      <td className="px-3 py-2">
        {editable ? (
          <>
            <select
              aria-label={`Role of ${account.email}`}
              defaultValue={account.role}
              key={account.role}
              disabled={pending}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? errorId : undefined}
              onChange={(e) => changeRole(e.target.value)}
              className="rounded-md border border-slate-300 bg-white px-2 py-1"
            >
              <option value="admin">admin</option>
              <option value="viewer">viewer</option>
            </select>
            {error && (
              <p id={errorId} role="alert" className="mt-1 text-xs text-red-700">
                {error}
              </p>
            )}
          </>
        ) : (
          account.role
        )}
      </td>
      {editable && (
        <td className="flex justify-end gap-2 px-3 py-2">
          <ConfirmAction
            trigger="End sessions…"
            title={`End every session of ${account.email}?`}
            confirmLabel="End sessions"
            action={() => endAccountSessionsAction({ id: account.id })}
          >
            <p>
              {self ? "This is your own account: you will be signed out here too. " : ""}
              Every browser signed in to this account is sent to sign-in at its next page. The account itself is kept
              and can sign in again.
            </p>
          </ConfirmAction>
          {account.disabled ? (
            <Button
              variant="secondary"
              pending={pending}
              onClick={async () => {
                setPending(true);
                setError(null);
                const result = await setAccountDisabledAction({ id: account.id, disabled: false });
                setPending(false);
                if (!result.ok) setError(result.formError ?? "Could not enable the account.");
              }}
            >
              Enable
            </Button>
          ) : (
            !self && (
              <ConfirmAction
                trigger="Disable…"
                title={`Disable ${account.email}?`}
                confirmLabel="Disable account"
                action={() => setAccountDisabledAction({ id: account.id, disabled: true })}
              >
                <p>
                  The account can no longer sign in and every session of it ends at once. Its settings and history are
                  kept: enable it again at any time.
                </p>
              </ConfirmAction>
            )
          )}
          <ConfirmAction
            title={`Delete ${account.email}?`}
            confirmLabel="Delete account"
            action={() => deleteAccountAction({ id: account.id })}
          >
            <p>
              {self ? "This is your own account: you will be signed out at once. " : ""}
              The account can no longer sign in and its open sessions end immediately.
            </p>
          </ConfirmAction>
        </td>
      )}
    </tr>
  );
}
