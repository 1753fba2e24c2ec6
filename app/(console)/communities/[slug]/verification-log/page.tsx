import type { Metadata } from "next";
import Link from "next/link";
import { RETENTION_DAYS } from "@vouch/core/dal/route-telemetry";
import { searchVerificationLog } from "@vouch/core/dal/telemetry-queries";
import { LOG_CODES, verificationLogQuerySchema } from "@vouch/core/validations/verification-log";
import { DataTable, utcCell } from "@/components/ui/data-table";
import { requireCommunityPage } from "@/lib/next/session";
import { firstValues, type SearchParams } from "@/lib/next/search-params";

export const metadata: Metadata = { title: "Verification log" };

const FIELDS = ["code", "kid", "origin", "from", "to"] as const;
const input = "rounded-md border border-slate-300 bg-white px-2 py-1";

export default async function VerificationLogPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: SearchParams;
}) {
  const { actor, community } = await requireCommunityPage((await params).slug);
  const raw = await firstValues(searchParams);
  const parsed = verificationLogQuerySchema.safeParse(raw);
  const query = parsed.success ? parsed.data : verificationLogQuerySchema.parse({});
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => `${String(i.path[0] ?? "filter")}: ${i.message}`);
  const { entries, total, page, pageSize } = await searchVerificationLog(actor, community.id, query);
  const base = `/communities/${community.slug}/verification-log`;
  const pageLink = (p: number) => {
    const q = new URLSearchParams();
    for (const f of FIELDS) if (query[f]) q.set(f, String(query[f]));
    if (p > 1) q.set("page", String(p));
    const s = q.toString();
    return s ? `${base}?${s}` : base;
  };
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <div className="flex flex-col gap-3">
      <h2 className="text-lg font-semibold">Verification log</h2>
      <p className="text-sm text-slate-600">
        Requests the identity route refused, newest first (the last {RETENTION_DAYS} days, at most 5,000), with what
        failed. Excerpts show the token header and claim names — never the signature or a secret.
      </p>
      <form method="get" action={base} className="flex flex-wrap items-end gap-3 text-sm" aria-label="Filter the log">
        <label className="flex flex-col gap-1">
          Code
          <select name="code" defaultValue={query.code ?? ""} className={input}>
            <option value="">any</option>
            {LOG_CODES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          Key ID
          <input name="kid" defaultValue={query.kid ?? ""} className={`${input} font-mono`} maxLength={128} />
        </label>
        <label className="flex flex-col gap-1">
          Origin
          <input name="origin" defaultValue={query.origin ?? ""} className={input} maxLength={256} />
        </label>
        <label className="flex flex-col gap-1">
          From (UTC)
          <input type="datetime-local" name="from" defaultValue={query.from ?? ""} className={input} />
        </label>
        <label className="flex flex-col gap-1">
          To (UTC)
          <input type="datetime-local" name="to" defaultValue={query.to ?? ""} className={input} />
        </label>
        <button type="submit" className="rounded-md bg-brand-700 px-3 py-1.5 font-medium text-white">
          Filter
        </button>
        <Link href={base} className="py-1.5 text-brand-700 underline">
          Clear
        </Link>
      </form>
      {problems.length > 0 && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          These filters were not applied — {problems.join("; ")}.
        </p>
      )}
      <p className="text-sm" role="status">
        {total === 0 ? "No refusals match." : `Refusals ${first}–${last} of ${total}.`}
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
      {total > pageSize && (
        <nav aria-label="Pages of the log" className="flex gap-4 text-sm">
          {page > 1 && (
            <Link href={pageLink(page - 1)} className="text-brand-700 underline">
              Newer
            </Link>
          )}
          {last < total && (
            <Link href={pageLink(page + 1)} className="text-brand-700 underline">
              Older
            </Link>
          )}
        </nav>
      )}
    </div>
  );
}
