"use client";
import { deleteJwtKeyAction } from "@/app/(console)/communities/[slug]/signed-identities/actions";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { formatAgo, formatUtc } from "@vouch/core/format";
import { EmptyState } from "../ui/empty-state";

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
  if (keys.length === 0) {
    return <EmptyState>No JWT keys yet.</EmptyState>;
  }
  return (
    <table className="w-full border-collapse rounded-lg bg-white text-left text-sm shadow-sm">
      <caption className="sr-only">JWT keys</caption>
      <thead className="bg-slate-100 text-slate-700">
        <tr>
          <th scope="col" className="px-3 py-2">
            Key ID
          </th>
          <th scope="col" className="px-3 py-2">
            Algorithm
          </th>
          <th scope="col" className="px-3 py-2">
            Key
          </th>
          <th scope="col" className="px-3 py-2">
            Created
          </th>
          <th scope="col" className="px-3 py-2">
            Last accepted token
          </th>
          <th scope="col" className="px-3 py-2">
            Last 24 h
          </th>
          {editable && (
            <th scope="col" className="px-3 py-2">
              <span className="sr-only">Actions</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {keys.map((k) => {
          const lastUsed = k.lastUsedAt ? new Date(k.lastUsedAt) : null;
          const recent = lastUsed !== null && now - lastUsed.getTime() < RECENT_MS;
          return (
            <tr key={k.kid} className="border-t border-slate-200 align-top">
              <td className="px-3 py-2 font-mono">{k.kid}</td>
              <td className="px-3 py-2">{k.algorithm === "HS256" ? "HS256 (HMAC SHA-256)" : "RS256 (RSA SHA-256)"}</td>
              <td className="px-3 py-2 text-xs">
                {k.algorithm === "HS256" ? (
                  <span>
                    Secret <span className="font-mono">{k.maskedSecret ?? "(hidden)"}</span>
                  </span>
                ) : (
                  <span>
                    {k.keyBits} bits
                    <br />
                    <span className="break-all font-mono">{k.fingerprint}</span>
                  </span>
                )}
              </td>
              <td className="px-3 py-2">
                <time dateTime={k.createdAt}>{formatUtc(new Date(k.createdAt))}</time>
              </td>
              <td className="px-3 py-2">
                {lastUsed ? (
                  <time dateTime={k.lastUsedAt!} title={formatUtc(lastUsed)}>
                    {formatAgo(lastUsed)}
                  </time>
                ) : (
                  "never"
                )}
              </td>
              <td className="px-3 py-2">
                {k.uses24h} {k.uses24h === 1 ? "token" : "tokens"}
              </td>
              {editable && (
                <td className="px-3 py-2 text-right">
                  <ConfirmAction
                    title={`Delete key “${k.kid}”?`}
                    confirmLabel="Delete key"
                    action={() => deleteJwtKeyAction(slug, { kid: k.kid })}
                  >
                    <p>
                      {recent
                        ? `This key was last used ${formatAgo(lastUsed)} (${k.uses24h} tokens in the last 24 hours): tokens signed with it are still arriving and will be refused once it is deleted.`
                        : lastUsed
                          ? `This key was last used ${formatAgo(lastUsed)}; nothing signed with it arrived in the last 24 hours.`
                          : "No token signed with this key has ever been accepted."}
                    </p>
                    {mode === "require" && keys.length === 1 && (
                      <p className="mt-2 font-medium">
                        It is the only key while signed identities are required: deleting it will be refused.
                      </p>
                    )}
                  </ConfirmAction>
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
