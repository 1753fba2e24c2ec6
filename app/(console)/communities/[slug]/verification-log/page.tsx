import type { Metadata } from "next";
import { listVerificationLog, RETENTION_DAYS } from "@vouch/core/dal/route-telemetry";
import { DataTable, utcCell } from "@/components/ui/data-table";
import { requireCommunityPage } from "@/lib/next/session";

export const metadata: Metadata = { title: "Verification log" };

export default async function VerificationLogPage({ params }: { params: Promise<{ slug: string }> }) {
  const { actor, community } = await requireCommunityPage((await params).slug);
  const entries = await listVerificationLog(actor, community.id);
  return (
    <div className="flex flex-col gap-3">
      <h2 className="text-lg font-semibold">Verification log</h2>
      <p className="text-sm text-slate-600">
        The last 100 requests the identity route refused, newest first ({RETENTION_DAYS} days kept), with what failed.
        Excerpts show the token header and claim names — never the signature or a secret.
      </p>
      <DataTable
        caption="Refused identity requests"
        rows={entries}
        empty="No refusals recorded."
        columns={[
          { header: "When", cell: (e) => utcCell(e.createdAt), className: "whitespace-nowrap" },
          {
            header: "Code",
            cell: (e) => (
              <>
                <code>{e.code}</code>
                {e.kid && <div className="text-xs text-slate-600">key {e.kid}</div>}
              </>
            ),
          },
          {
            header: "What failed",
            cell: (e) => (
              <>
                {e.detail}
                {e.origin && <div className="text-xs text-slate-600">origin {e.origin}</div>}
              </>
            ),
          },
          {
            header: "Excerpt",
            cell: (e) => JSON.stringify(e.excerpt),
            className: "max-w-xs break-all font-mono text-xs",
          },
        ]}
      />
    </div>
  );
}
