import type { Metadata } from "next";
import Link from "next/link";
import { canManage } from "@vouch/core/authz";
import { listApiTokens } from "@vouch/core/dal/api-tokens";
import { requireActor } from "@/lib/next/session";
import { ApiTokenList, CreateApiTokenForm } from "@/components/accounts/api-tokens";

export const metadata: Metadata = { title: "API tokens" };

export default async function ApiTokensPage() {
  const actor = await requireActor();
  if (!canManage(actor)) {
    return (
      <div className="flex flex-col gap-3">
        <h1 className="text-2xl font-semibold">API tokens</h1>
        <p className="text-sm">Only administrators see and manage API tokens.</p>
      </div>
    );
  }
  const tokens = await listApiTokens(actor);
  return (
    <div className="flex flex-col gap-8">
      <section aria-labelledby="tokens-heading" className="flex flex-col gap-3">
        <h1 id="tokens-heading" className="text-2xl font-semibold">
          API tokens
        </h1>
        <p className="text-sm text-slate-600">
          For scripts and CI: <code>Authorization: Bearer &lt;token&gt;</code> on <code>/api/v1/admin/</code> (see the{" "}
          <Link href="/docs/api" className="text-brand-700 underline">
            API reference
          </Link>
          ). A viewer token reads; an admin token changes configuration. The audit log names the token.
        </p>
        <ApiTokenList
          tokens={tokens.map((t) => ({
            id: t.id,
            name: t.name,
            role: t.role,
            createdByEmail: t.createdByEmail,
            createdAt: t.createdAt.toISOString(),
            expiresAt: t.expiresAt?.toISOString() ?? null,
            lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
            revokedAt: t.revokedAt?.toISOString() ?? null,
          }))}
          now={new Date().getTime()}
        />
      </section>
      <section
        aria-labelledby="new-token-heading"
        className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
      >
        <h2 id="new-token-heading" className="mb-3 text-lg font-semibold">
          New API token
        </h2>
        <CreateApiTokenForm />
      </section>
    </div>
  );
}
