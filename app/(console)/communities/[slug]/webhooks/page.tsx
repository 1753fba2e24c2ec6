import type { Metadata } from "next";
import Link from "next/link";
import { canManage } from "@vouch/core/authz";
import { listWebhookEndpoints } from "@vouch/core/dal/webhooks";
import { endpointState, successRate } from "@/components/webhooks/describe";
import { DataTable, utcCell } from "@/components/ui/data-table";
import { WebhookForm } from "@/components/webhooks/webhook-form";
import { requireCommunityPage } from "@/lib/next/session";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage({ params }: { params: Promise<{ slug: string }> }) {
  const { actor, community } = await requireCommunityPage((await params).slug);
  const endpoints = await listWebhookEndpoints(actor, community.slug);
  const base = `/communities/${community.slug}/webhooks`;
  return (
    <div className="flex flex-col gap-8">
      <section aria-labelledby="webhooks-heading" className="flex flex-col gap-3">
        <h2 id="webhooks-heading" className="text-lg font-semibold">
          Webhooks
        </h2>
        <p className="max-w-3xl text-sm text-slate-600">
          Vouch sends this community&apos;s events to your systems, signed per{" "}
          <a href="https://www.standardwebhooks.com/" className="text-brand-700 underline">
            Standard Webhooks
          </a>{" "}
          (<code>webhook-id</code>, <code>webhook-timestamp</code>, <code>webhook-signature</code>): verify them with
          its libraries and the endpoint&apos;s secret. Failed deliveries are retried for about a day and a half.
        </p>
        <DataTable
          caption="Webhook endpoints"
          rows={endpoints}
          empty="No webhook endpoints yet."
          columns={[
            {
              header: "Endpoint",
              cell: (e) => (
                <>
                  <Link href={`${base}/${e.id}`} className="font-mono text-brand-700 underline">
                    {e.url}
                  </Link>
                  {e.description && <p className="text-xs text-slate-600">{e.description}</p>}
                </>
              ),
            },
            { header: "Events", cell: (e) => e.events.join(", ") },
            { header: "State", cell: endpointState },
            { header: "Success (24 h)", cell: successRate },
            {
              header: "Last delivery",
              cell: (e) =>
                e.lastAttempt ? (
                  <>
                    {utcCell(e.lastAttempt.at)} · {e.lastAttempt.ok ? "ok" : "failed"}
                    {e.lastAttempt.status !== null && ` (${e.lastAttempt.status})`}
                  </>
                ) : (
                  "never"
                ),
            },
            { header: "Pending", cell: (e) => e.pending },
          ]}
        />
      </section>
      {canManage(actor) ? (
        <section
          aria-labelledby="new-webhook-heading"
          className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
        >
          <h2 id="new-webhook-heading" className="mb-3 text-lg font-semibold">
            Add an endpoint
          </h2>
          <WebhookForm slug={community.slug} />
        </section>
      ) : (
        <p className="text-sm text-slate-600">Administrators add and change endpoints; you can read them.</p>
      )}
    </div>
  );
}
