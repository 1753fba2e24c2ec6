"use client";
import { deleteJwtKeyAction } from "@/lib/next/actions/signed-identities";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { formatAgo, formatUtc } from "@vouch/core/format";
import { ALGORITHM_NAMES, type JwtAlgorithm } from "@vouch/core/identity/vocabulary";
import type { KeyHealth } from "@vouch/core/identity/key-health";
import { KeyExpiryDialog } from "./key-expiry-dialog";
import { DataTable, utcCell, type Column } from "@/components/ui/data-table";

export interface KeyRow {
  kid: string;
  algorithm: JwtAlgorithm;
  maskedSecret: string | null;
  fingerprint: string | null;
  keyBits: number | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  /** Decided on the server (lib/identity/key-health.ts), when the page was rendered. */
  health: KeyHealth;
  uses24h: number;
}

const HEALTH_STYLE: Record<KeyHealth["state"], string> = {
  ok: "",
  expired: "text-red-800",
  expiring: "text-amber-800",
  unused: "text-slate-700",
};

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
    { header: "Algorithm", cell: (k) => `${k.algorithm} (${ALGORITHM_NAMES[k.algorithm]})` },
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
            {k.algorithm === "RS256" ? `${k.keyBits} bits` : k.algorithm === "ES256" ? "P-256" : "Ed25519"}
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
    {
      header: "Expires",
      cell: (k) => (
        <span className="flex flex-col gap-1">
          {k.expiresAt ? utcCell(new Date(k.expiresAt)) : "never"}
          {k.health.state !== "ok" && (
            <strong className={`text-xs font-medium ${HEALTH_STYLE[k.health.state]}`}>{k.health.message}</strong>
          )}
        </span>
      ),
    },
  ];
  if (editable) {
    columns.push({
      header: "Actions",
      hideHeader: true,
      className: "text-right",
      cell: (k) => (
        <span className="flex justify-end gap-2">
          <KeyExpiryDialog slug={slug} kid={k.kid} expiresAt={k.expiresAt} />
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
        </span>
      ),
    });
  }
  return <DataTable caption="JWT keys" rows={rows} columns={columns} empty="No JWT keys yet." />;
}
