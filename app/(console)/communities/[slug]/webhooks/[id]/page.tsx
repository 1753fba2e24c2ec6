import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { canManage } from "@vouch/core/authz";
import { getWebhookEndpoint, listWebhookMessages } from "@vouch/core/dal/webhooks";
import { formatUtc } from "@vouch/core/format";
import { DataTable, utcCell } from "@/components/ui/data-table";
import { EndpointActions, RedeliverButton } from "@/components/webhooks/endpoint-actions";
import { WebhookForm } from "@/components/webhooks/webhook-form";
import { requireCommunityPage } from "@/lib/next/session";
import { endpointState, successRate } from "@/components/webhooks/describe";

export const metadata: Metadata = { title: "Webhook endpoint" };

export default async function WebhookPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  const { actor, community } = await requireCommunityPage(slug);
  const endpoint = await getWebhookEndpoint(actor, community.slug, id).catch(() => notFound());
  const messages = await listWebhookMessages(actor, community.slug, id);
  const admin = canManage(actor);
  return (
    <div className="flex flex-col gap-8">
      <section aria-labelledby="endpoint-heading" className="flex flex-col gap-2">
        <Link href={`/communities/${community.slug}/webhooks`} className="text-sm text-brand-700 underline">
          ← Webhooks
        </Link>
        <h2 id="endpoint-heading" className="break-all font-mono text-lg font-semibold">
          {endpoint.url}
        </h2>
        <dl className="grid max-w-3xl grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-slate-600">Id</dt>
          <dd className="font-mono">{endpoint.id}</dd>
          <dt className="text-slate-600">State</dt>
          <dd>{endpointState(endpoint)}</dd>
          {endpoint.failingSince && (
            <>
              <dt className="text-slate-600">Failing since</dt>
              <dd>{formatUtc(endpoint.failingSince)} (disabled after 5 days of failures)</dd>
            </>
          )}
          <dt className="text-slate-600">Success (24 h)</dt>
          <dd>{successRate(endpoint)}</dd>
          <dt className="text-slate-600">Pending</dt>
          <dd>{endpoint.pending}</dd>
          {endpoint.previousSecretUntil && (
            <>
              <dt className="text-slate-600">Previous secret</dt>
              <dd>also signs until {formatUtc(endpoint.previousSecretUntil)}</dd>
            </>
          )}
        </dl>
        {admin && <EndpointActions slug={community.slug} id={endpoint.id} enabled={endpoint.enabled} />}
      </section>
      <section aria-labelledby="messages-heading" className="flex flex-col gap-3">
        <h2 id="messages-heading" className="text-lg font-semibold">
          Messages
        </h2>
        <p className="text-sm text-slate-600">
          The newest {messages.length === 50 ? "50" : ""} messages. Each is retried after 5 s, 5 min, 30 min, 2 h, 5 h,
          10 h and 10 h; its id is the <code>webhook-id</code> of every attempt. Kept 30 days.
        </p>
        <DataTable
          caption="Messages and their attempts"
          rows={messages}
          empty="No messages yet."
          columns={[
            { header: "Created", cell: (m) => utcCell(m.createdAt), className: "whitespace-nowrap" },
            {
              header: "Message",
              cell: (m) => (
                <>
                  <code>{m.type}</code>
                  <p className="font-mono text-xs text-slate-600">{m.id}</p>
                </>
              ),
            },
            {
              header: "Status",
              cell: (m) =>
                m.status === "pending" && m.nextAttemptAt
                  ? `pending · next ${formatUtc(m.nextAttemptAt)}`
                  : m.status === "delivered" && m.deliveredAt
                    ? `delivered ${formatUtc(m.deliveredAt)}`
                    : m.status,
            },
            {
              header: "Attempts",
              cell: (m) =>
                m.attempts.length === 0 ? (
                  "none yet"
                ) : (
                  <details>
                    <summary className="cursor-pointer">
                      {m.attempts.length} attempt{m.attempts.length === 1 ? "" : "s"}
                    </summary>
                    <ol className="mt-1 flex flex-col gap-1">
                      {m.attempts.map((a) => (
                        <li key={a.at.toISOString()} className="text-xs">
                          {formatUtc(a.at)} · {a.status ?? "no answer"} · {a.latencyMs} ms
                          {a.excerpt && (
                            <pre className="mt-0.5 max-w-md overflow-x-auto whitespace-pre-wrap break-all bg-slate-50 p-1">
                              {a.excerpt}
                            </pre>
                          )}
                        </li>
                      ))}
                    </ol>
                  </details>
                ),
            },
            ...(admin
              ? [
                  {
                    header: "Actions",
                    hideHeader: true,
                    className: "text-right",
                    cell: (m: (typeof messages)[number]) => (
                      <RedeliverButton slug={community.slug} id={endpoint.id} messageId={m.id} />
                    ),
                  },
                ]
              : []),
          ]}
        />
      </section>
      {admin && (
        <section aria-labelledby="edit-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <h2 id="edit-heading" className="mb-3 text-lg font-semibold">
            Edit endpoint
          </h2>
          <WebhookForm
            slug={community.slug}
            id={endpoint.id}
            initial={{ url: endpoint.url, events: endpoint.events, description: endpoint.description }}
          />
        </section>
      )}
    </div>
  );
}
