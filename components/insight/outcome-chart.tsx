// The Overview's rollout chart (docs/operating.md): server-rendered SVG (no script, nothing for the CSP to allow),
// stacked bars of verified, unsigned and refused identities, and the same numbers as a table.
import Link from "next/link";
import type { OutcomeSummary } from "@vouch/core/dal/telemetry-queries";

export interface Bucket {
  label: string;
  verified: number;
  unsigned: number;
  refused: number;
}

/** Hourly rows into `n` buckets of `size` hours ending at `end` (exclusive), oldest first. */
export function buckets(summary: OutcomeSummary, end: Date, n: number, size: number, label: (d: Date) => string) {
  const hourMs = 3_600_000;
  const last = Math.floor(end.getTime() / hourMs) * hourMs;
  const first = last - (n * size - 1) * hourMs;
  const out: Bucket[] = Array.from({ length: n }, (_, i) => ({
    label: label(new Date(first + i * size * hourMs)),
    verified: 0,
    unsigned: 0,
    refused: 0,
  }));
  for (const h of summary.hours) {
    const i = Math.floor((h.hour.getTime() - first) / (size * hourMs));
    const b = out[i];
    if (!b) continue;
    for (const [outcome, count] of Object.entries(h.counts)) {
      if (outcome === "accepted_verified") b.verified += count;
      else if (outcome === "accepted_unsigned") b.unsigned += count;
      else b.refused += count;
    }
  }
  return out;
}

const COLORS = { verified: "#15803d", unsigned: "#d97706", refused: "#b91c1c" } as const;

export function OutcomeChart({ title, data }: { title: string; data: Bucket[] }) {
  const max = Math.max(1, ...data.map((b) => b.verified + b.unsigned + b.refused));
  const width = 600;
  const height = 120;
  const barW = width / data.length;
  return (
    <figure className="flex flex-col gap-2">
      <figcaption className="text-sm font-medium">{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} className="h-32 w-full" role="img" aria-label={`${title}: bar chart`}>
        {data.map((b, i) => {
          let y = height;
          return (["verified", "unsigned", "refused"] as const).map((kind) => {
            const h = (b[kind] / max) * (height - 4);
            y -= h;
            return h > 0 ? (
              <rect
                key={`${i}${kind}`}
                x={i * barW + 1}
                y={y}
                width={Math.max(1, barW - 2)}
                height={h}
                fill={COLORS[kind]}
              />
            ) : null;
          });
        })}
      </svg>
      <p className="flex gap-4 text-xs text-slate-700" aria-hidden="true">
        {(["verified", "unsigned", "refused"] as const).map((kind) => (
          <span key={kind} className="flex items-center gap-1">
            <svg width="10" height="10" aria-hidden="true">
              <rect width="10" height="10" fill={COLORS[kind]} />
            </svg>
            {kind}
          </span>
        ))}
      </p>
      <details className="text-sm">
        <summary className="cursor-pointer text-brand-700 underline">{title}: the numbers as a table</summary>
        <table className="mt-2 w-full border-collapse text-left text-xs">
          <caption className="sr-only">{title}</caption>
          <thead className="bg-slate-100">
            <tr>
              <th scope="col" className="px-2 py-1">
                Period
              </th>
              <th scope="col" className="px-2 py-1 text-right">
                Verified
              </th>
              <th scope="col" className="px-2 py-1 text-right">
                Unsigned
              </th>
              <th scope="col" className="px-2 py-1 text-right">
                Refused
              </th>
            </tr>
          </thead>
          <tbody>
            {data.map((b) => (
              <tr key={b.label} className="border-t border-slate-200">
                <th scope="row" className="px-2 py-1 font-normal">
                  {b.label}
                </th>
                <td className="px-2 py-1 text-right">{b.verified}</td>
                <td className="px-2 py-1 text-right">{b.unsigned}</td>
                <td className="px-2 py-1 text-right">{b.refused}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** "97.5%", or null with nothing accepted. */
export const verifiedShare = (s: Pick<OutcomeSummary, "acceptedVerified" | "acceptedUnsigned">) => {
  const accepted = s.acceptedVerified + s.acceptedUnsigned;
  return accepted ? `${((100 * s.acceptedVerified) / accepted).toFixed(1)}%` : null;
};

export function TopRefusals({ slug, summary }: { slug: string; summary: OutcomeSummary }) {
  if (summary.refusals.length === 0) return <p className="text-sm">No refusals in the last 7 days.</p>;
  return (
    <ul className="flex flex-col gap-1 text-sm">
      {summary.refusals.slice(0, 5).map((r) => (
        <li key={r.code}>
          <Link
            href={`/communities/${slug}/verification-log?code=${encodeURIComponent(r.code)}`}
            className="text-brand-700 underline"
          >
            <code>{r.code}</code>
          </Link>
          : {r.count}
        </li>
      ))}
    </ul>
  );
}
