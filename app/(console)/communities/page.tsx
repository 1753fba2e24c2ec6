import type { Metadata } from "next";
import Link from "next/link";
import { CreateCommunityForm } from "@/components/communities/create-community-form";
import { canManage } from "@vouch/core/authz";
import { listCommunities } from "@vouch/core/dal/communities";
import { identityRoute, publicOrigin } from "@/lib/next/public-url";
import { requireActor } from "@/lib/next/session";
import { DataTable } from "@/components/ui/data-table";

export const metadata: Metadata = { title: "Communities" };

export default async function CommunitiesPage() {
  const actor = await requireActor();
  const [communities, origin] = await Promise.all([listCommunities(actor), publicOrigin()]);
  return (
    <div className="flex flex-col gap-8">
      <section aria-labelledby="communities-heading">
        <h1 id="communities-heading" className="text-2xl font-semibold">
          Communities
        </h1>
        <p className="mt-1 text-sm text-slate-600">Each community is one chat deployment: one website, one widget.</p>
        <div className="mt-4">
          <DataTable
            caption="Communities"
            rows={communities}
            empty={`No communities yet.${canManage(actor) ? " Create the first one below." : ""}`}
            columns={[
              {
                header: "Name",
                cell: (c) => (
                  <Link href={`/communities/${c.slug}`} className="font-medium text-brand-700 underline">
                    {c.name}
                  </Link>
                ),
              },
              { header: "Identifier", cell: (c) => c.slug, className: "font-mono" },
              {
                header: "Identity route",
                cell: (c) => identityRoute(origin, c.slug),
                className: "break-all font-mono text-xs text-slate-700",
              },
            ]}
          />
        </div>
      </section>
      {canManage(actor) && (
        <section aria-labelledby="create-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <h2 id="create-heading" className="text-lg font-semibold">
            New community
          </h2>
          <CreateCommunityForm />
        </section>
      )}
    </div>
  );
}
