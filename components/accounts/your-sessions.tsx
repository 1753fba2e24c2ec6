import type { SessionDto } from "@vouch/core/dal/sessions";
import { formatAgo, formatUtc } from "@vouch/core/format";
import { DataTable, utcCell } from "@/components/ui/data-table";
import { EndOtherSessions } from "./end-other-sessions";

/** Accounts → "Your sessions": where this account is signed in, and a way to end the others. */
export function YourSessions({ sessions }: { sessions: SessionDto[] }) {
  return (
    <section aria-labelledby="sessions-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="sessions-heading" className="text-lg font-semibold">
        Your sessions
      </h2>
      <p className="mt-1 mb-4 text-sm text-slate-600">
        Every browser signed in to your account. A session lasts 12 hours; ending one sends that browser to sign-in at
        its next page.
      </p>
      <DataTable
        caption="Your sessions"
        rows={sessions}
        empty="No session."
        columns={[
          {
            header: "Browser",
            cell: (s) => (
              <>
                {s.browser}
                {s.current && <span className="ml-1 text-xs text-slate-600">(this browser)</span>}
              </>
            ),
          },
          { header: "Address", cell: (s) => s.address ?? "unknown", className: "font-mono text-xs" },
          { header: "Signed in", cell: (s) => utcCell(s.createdAt) },
          {
            header: "Last seen",
            cell: (s) => (
              <time dateTime={s.lastSeenAt.toISOString()} title={formatUtc(s.lastSeenAt)}>
                {s.current ? "now" : formatAgo(s.lastSeenAt)}
              </time>
            ),
          },
        ]}
      />
      <div className="mt-4">
        <EndOtherSessions others={sessions.filter((s) => !s.current).length} />
      </div>
    </section>
  );
}
