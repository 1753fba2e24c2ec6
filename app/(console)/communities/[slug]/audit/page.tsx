import type { Metadata } from "next";
import { listAuditLog } from "@/lib/dal/audit";
import { formatUtc } from "@/lib/format";
import { requireCommunityPage } from "@/lib/session";

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
  const { community } = await requireCommunityPage(params);
  const entries = await listAuditLog(community.id);
  return (
    <div className="flex flex-col gap-3">
      <h2 className="text-lg font-semibold">Audit log</h2>
      <p className="text-sm text-slate-600">Every configuration change, newest first: who, when, what. Secret values are never recorded.</p>
      {entries.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 p-4 text-sm text-slate-600">No changes recorded.</p>
      ) : (
        <table className="w-full border-collapse rounded-lg bg-white text-left text-sm shadow-sm">
          <caption className="sr-only">Configuration changes</caption>
          <thead className="bg-slate-100 text-slate-700">
            <tr>
              <th scope="col" className="px-3 py-2">When</th>
              <th scope="col" className="px-3 py-2">Who</th>
              <th scope="col" className="px-3 py-2">What</th>
              <th scope="col" className="px-3 py-2">Details</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} className="border-t border-slate-200 align-top">
                <td className="whitespace-nowrap px-3 py-2"><time dateTime={e.createdAt.toISOString()}>{formatUtc(e.createdAt)}</time></td>
                <td className="px-3 py-2">{e.actorEmail}</td>
                <td className="px-3 py-2"><code>{e.action}</code>{e.targetLabel && <> · <span className="font-mono">{e.targetLabel}</span></>}</td>
                <td className="px-3 py-2 font-mono text-xs">
                  {describe(e.details).map((line) => <div key={line} className="break-all">{line}</div>)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
