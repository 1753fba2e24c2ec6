import type { Metadata } from "next";
import Link from "next/link";
import { AccountRow } from "@/components/accounts/account-row";
import { CreateAccountForm } from "@/components/accounts/create-account-form";
import { canManage } from "@vouch/core/authz";
import { listAccounts } from "@vouch/core/dal/accounts";
import { YourSessions } from "@/components/accounts/your-sessions";
import { listOwnSessions } from "@vouch/core/dal/sessions";
import { getSessionId, requireActor } from "@/lib/next/session";

export const metadata: Metadata = { title: "Accounts" };

export default async function AccountsPage() {
  const actor = await requireActor();
  const [accounts, sessions] = await Promise.all([listAccounts(actor), listOwnSessions(actor, await getSessionId())]);
  const admin = canManage(actor);
  return (
    <div className="flex flex-col gap-8">
      <section aria-labelledby="accounts-heading">
        <h1 id="accounts-heading" className="text-2xl font-semibold">
          Accounts
        </h1>
        <p className="mt-1 text-sm text-slate-600">
          Administrators can change everything; viewers can read configuration but see no secrets and change nothing.
          {admin && (
            <>
              {" "}
              Scripts and CI use{" "}
              <Link href="/accounts/api-tokens" className="text-brand-700 underline">
                API tokens
              </Link>
              .
            </>
          )}
        </p>
        <table className="mt-4 w-full border-collapse rounded-lg bg-white text-left text-sm shadow-sm">
          <thead className="bg-slate-100 text-slate-700">
            <tr>
              <th scope="col" className="px-3 py-2">
                E-mail
              </th>
              <th scope="col" className="px-3 py-2">
                Name
              </th>
              <th scope="col" className="px-3 py-2">
                Role
              </th>
              {admin && (
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <AccountRow
                key={a.id}
                account={{ id: a.id, email: a.email, name: a.name, role: a.role, disabled: a.disabled }}
                editable={admin}
                self={a.id === actor.id}
              />
            ))}
          </tbody>
        </table>
      </section>
      <YourSessions sessions={sessions} />
      {admin && (
        <section
          aria-labelledby="new-account-heading"
          className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
        >
          <h2 id="new-account-heading" className="text-lg font-semibold">
            New account
          </h2>
          <CreateAccountForm />
        </section>
      )}
    </div>
  );
}
