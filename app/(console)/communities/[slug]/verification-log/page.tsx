import type { Metadata } from "next";
import { listVerificationLog, RETENTION_DAYS } from "@/lib/dal/route-telemetry";
import { formatUtc } from "@/lib/format";
import { requireCommunityPage } from "@/lib/session";

export const metadata: Metadata = { title: "Verification log" };

export default async function VerificationLogPage({ params }: { params: Promise<{ slug: string }> }) {
  const { community } = await requireCommunityPage(params);
  const entries = await listVerificationLog(community.id);
  return (
    <div className="flex flex-col gap-3">
      <h2 className="text-lg font-semibold">Verification log</h2>
      <p className="text-sm text-slate-600">
        The last 100 requests the identity route refused, newest first ({RETENTION_DAYS} days kept), with what failed. Excerpts show
        the token header and claim names — never the signature or a secret.
      </p>
      {entries.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 p-4 text-sm text-slate-600">No refusals recorded.</p>
      ) : (
        <table className="w-full border-collapse rounded-lg bg-white text-left text-sm shadow-sm">
          <caption className="sr-only">Refused identity requests</caption>
          <thead className="bg-slate-100 text-slate-700">
            <tr>
              <th scope="col" className="px-3 py-2">When</th>
              <th scope="col" className="px-3 py-2">Code</th>
              <th scope="col" className="px-3 py-2">What failed</th>
              <th scope="col" className="px-3 py-2">Excerpt</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} className="border-t border-slate-200 align-top">
                <td className="whitespace-nowrap px-3 py-2"><time dateTime={e.createdAt.toISOString()}>{formatUtc(e.createdAt)}</time></td>
                <td className="px-3 py-2"><code>{e.code}</code>{e.kid && <div className="text-xs text-slate-600">key {e.kid}</div>}</td>
                <td className="px-3 py-2">{e.detail}{e.origin && <div className="text-xs text-slate-600">origin {e.origin}</div>}</td>
                <td className="max-w-xs break-all px-3 py-2 font-mono text-xs">{JSON.stringify(e.excerpt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
