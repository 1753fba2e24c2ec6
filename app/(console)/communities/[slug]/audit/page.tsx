import type { Metadata } from "next";
import { listAuditLog } from "@vouch/core/dal/audit";
import { DataTable, utcCell } from "@/components/ui/data-table";
import { requireCommunityPage } from "@/lib/next/session";

export const metadata: Metadata = { title: "Audit log" };

function describe(details: Record<string, unknown>): string[] {
  return Object.entries(details).map(([k, v]) => {
    if (v && typeof v === "object" && "from" in v && "to" in v) {
      return `${k}: ${JSON.stringify((v as { from: unknown }).from)} → ${JSON.stringify((v as { to: unknown }).to)}`;
    }
    return `${k}: ${JSON.stringify(v)}`;
  });
}

export default async function AuditPage({ params }: { params: Promise<{ slug: string }> }) {
  const { actor, community } = await requireCommunityPage((await params).slug);
  const entries = await listAuditLog(actor, community.id);
  return (
    <div className="flex flex-col gap-3">
      <h2 className="text-lg font-semibold">Audit log</h2>
      <p className="text-sm text-slate-600">
        Every configuration change, newest first: who, when, what. Secret values are never recorded.
      </p>
      <DataTable
        caption="Configuration changes"
        rows={entries}
        empty="No changes recorded."
        columns={[
          { header: "When", cell: (e) => utcCell(e.createdAt), className: "whitespace-nowrap" },
          { header: "Who", cell: (e) => e.actorEmail },
          {
            header: "What",
            cell: (e) => (
              <>
                <code>{e.action}</code>
                {e.targetLabel && (
                  <>
                    {" "}
                    · <span className="font-mono">{e.targetLabel}</span>
                  </>
                )}
              </>
            ),
          },
          {
            header: "Details",
            cell: (e) =>
              describe(e.details).map((line) => (
                <div key={line} className="break-all">
                  {line}
                </div>
              )),
            className: "font-mono text-xs",
          },
        ]}
      />
    </div>
  );
}
