import type { Metadata } from "next";
import Link from "next/link";
import { CreateCommunityForm } from "@/components/communities/create-community-form";
import { canManage } from "@/lib/authz";
import { listCommunities } from "@/lib/dal/communities";
import { identityRoute, publicOrigin } from "@/lib/public-url";
import { requireActor } from "@/lib/session";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Communities" };

export default async function CommunitiesPage() {
  const actor = await requireActor();
  const [communities, origin] = await Promise.all([listCommunities(), publicOrigin()]);
  return (
    <div className="flex flex-col gap-8">
      <section aria-labelledby="communities-heading">
        <h1 id="communities-heading" className="text-2xl font-semibold">
          Communities
        </h1>
        <p className="mt-1 text-sm text-slate-600">Each community is one chat deployment: one website, one widget.</p>
        {communities.length === 0 ? (
          <EmptyState className="mt-4">
            No communities yet.{canManage(actor) ? " Create the first one below." : ""}
          </EmptyState>
        ) : (
          <table className="mt-4 w-full border-collapse overflow-hidden rounded-lg bg-white text-left text-sm shadow-sm">
            <thead className="bg-slate-100 text-slate-700">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Name
                </th>
                <th scope="col" className="px-3 py-2">
                  Identifier
                </th>
                <th scope="col" className="px-3 py-2">
                  Identity route
                </th>
              </tr>
            </thead>
            <tbody>
              {communities.map((c) => (
                <tr key={c.id} className="border-t border-slate-200">
                  <td className="px-3 py-2">
                    <Link href={`/communities/${c.slug}`} className="font-medium text-brand-700 underline">
                      {c.name}
                    </Link>
                  </td>
                  <td className="px-3 py-2 font-mono">{c.slug}</td>
                  <td className="break-all px-3 py-2 font-mono text-xs text-slate-700">
                    {identityRoute(origin, c.slug)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
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
