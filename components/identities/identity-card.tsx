import type { ReactNode } from "react";
import type { IdentityDto } from "@vouch/core/dal/identities";
import { formatAgo, formatUtc } from "@vouch/core/format";

const show = (v: unknown) => (Array.isArray(v) ? v.join(", ") : typeof v === "string" ? v : JSON.stringify(v));
const sourceLabel = (s: unknown) =>
  s === "attribute" ? "sent as attribute" : s === "uuid" ? "from the uuid" : `mapped from ${String(s)}`;

/** One identity as agents see it: its attributes, where each came from, verified or not. */
export function IdentityCard({ identity: i, title }: { identity: IdentityDto; title?: ReactNode }) {
  const entries = [
    ...Object.entries(i.fields).map(([k, v]) => ({ name: k, value: v, source: i.sources[k] })),
    ...Object.entries(i.customFields).map(([k, v]) => ({
      name: `${k} (custom)`,
      value: v,
      source: i.sources[`custom:${k}`],
    })),
  ];
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm">
      <div className="flex flex-wrap items-center gap-2">
        {title ?? <code className="font-semibold">{i.uuid}</code>}
        {i.verified ? (
          <span className="rounded bg-green-100 px-1.5 py-0.5 text-xs font-medium text-green-900">
            Verified · key {i.kid}
          </span>
        ) : (
          <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">Unverified</span>
        )}
        {i.automatedUuid && (
          <span className="rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-900">Automated UUID</span>
        )}
        <span className="ml-auto text-xs text-slate-600">
          seen{" "}
          <time dateTime={i.lastSeenAt.toISOString()} title={formatUtc(i.lastSeenAt)}>
            {formatAgo(i.lastSeenAt)}
          </time>
          {" · "}updated{" "}
          <time dateTime={i.updatedAt.toISOString()} title={formatUtc(i.updatedAt)}>
            {formatAgo(i.updatedAt)}
          </time>
        </span>
      </div>
      {entries.length > 0 && (
        <dl className="mt-2 grid grid-cols-[max-content_1fr_max-content] gap-x-4 gap-y-0.5">
          {entries.map((e) => (
            <div key={e.name} className="contents">
              <dt className="text-slate-600">{e.name}</dt>
              <dd className="break-all">{show(e.value)}</dd>
              <dd className="text-xs text-slate-600">{sourceLabel(e.source)}</dd>
            </div>
          ))}
        </dl>
      )}
      {Object.keys(i.extraValues).length > 0 && (
        <p className="mt-2 break-all text-xs text-slate-600">
          Extra values: <code>{JSON.stringify(i.extraValues)}</code>
        </p>
      )}
    </div>
  );
}
