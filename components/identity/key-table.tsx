"use client";
import { deleteJwtKeyAction } from "@/app/(console)/communities/[slug]/signed-identities/actions";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { formatAgo, formatUtc } from "@vouch/core/format";
import { DataTable, utcCell, type Column } from "@/components/ui/data-table";

export interface KeyRow {
  kid: string;
  algorithm: "HS256" | "RS256";
  maskedSecret: string | null;
  fingerprint: string | null;
  keyBits: number | null;
  createdAt: string;
  lastUsedAt: string | null;
  uses24h: number;
}

const RECENT_MS = 24 * 3600_000;

type Row = KeyRow & { id: string; lastUsed: Date | null; recent: boolean };

/** `now`: when the page was rendered (ms), so "recently used" is decided once, not on every render. */
export function KeyTable({
  slug,
  keys,
  editable,
  mode,
  now,
}: {
  slug: string;
  keys: KeyRow[];
  editable: boolean;
  mode: string;
  now: number;
}) {
  const rows: Row[] = keys.map((k) => {
    const lastUsed = k.lastUsedAt ? new Date(k.lastUsedAt) : null;
    return { ...k, id: k.kid, lastUsed, recent: lastUsed !== null && now - lastUsed.getTime() < RECENT_MS };
  });
  const columns: Column<Row>[] = [
    { header: "Key ID", cell: (k) => k.kid, className: "font-mono" },
    { header: "Algorithm", cell: (k) => (k.algorithm === "HS256" ? "HS256 (HMAC SHA-256)" : "RS256 (RSA SHA-256)") },
    {
      header: "Key",
      className: "text-xs",
      cell: (k) =>
        k.algorithm === "HS256" ? (
          <span>
            Secret <span className="font-mono">{k.maskedSecret ?? "(hidden)"}</span>
          </span>
        ) : (
          <span>
            {k.keyBits} bits
            <br />
            <span className="break-all font-mono">{k.fingerprint}</span>
          </span>
        ),
    },
    { header: "Created", cell: (k) => utcCell(new Date(k.createdAt)) },
    {
      header: "Last accepted token",
      cell: (k) =>
        k.lastUsed ? (
          <time dateTime={k.lastUsedAt!} title={formatUtc(k.lastUsed)}>
            {formatAgo(k.lastUsed)}
          </time>
        ) : (
          "never"
        ),
    },
    { header: "Last 24 h", cell: (k) => `${k.uses24h} ${k.uses24h === 1 ? "token" : "tokens"}` },
  ];
  if (editable) {
    columns.push({
      header: "Actions",
      hideHeader: true,
      className: "text-right",
      cell: (k) => (
        <ConfirmAction
          title={`Delete key “${k.kid}”?`}
          confirmLabel="Delete key"
          action={() => deleteJwtKeyAction(slug, { kid: k.kid })}
        >
          <p>
            {k.recent
              ? `This key was last used ${formatAgo(k.lastUsed!)} (${k.uses24h} tokens in the last 24 hours): tokens signed with it are still arriving and will be refused once it is deleted.`
              : k.lastUsed
                ? `This key was last used ${formatAgo(k.lastUsed)}; nothing signed with it arrived in the last 24 hours.`
                : "No token signed with this key has ever been accepted."}
          </p>
          {mode === "require" && keys.length === 1 && (
            <p className="mt-2 font-medium">
              It is the only key while signed identities are required: deleting it will be refused.
            </p>
          )}
        </ConfirmAction>
      ),
    });
  }
  return <DataTable caption="JWT keys" rows={rows} columns={columns} empty="No JWT keys yet." />;
}
