// When each visitor was last seen (docs/reference.md, data lifecycle), without a write per request: an
// identity route request that changes nothing is recorded here, in memory, and every minute the
// buffer is written — one statement per 500 visitors, each row refreshed only if its stored instant is
// more than 10 minutes older (so a visitor's row changes at most every 10 minutes, whatever the
// traffic). A request that changes the identity writes the instant with the row instead. Bounded: at
// most MAX_BUFFERED visitors wait; when full, the buffer is written at once, and past that, newcomers
// are dropped until it is (counted). No framework imports.
import { rawDb } from "../db";
import type { RawParam } from "../db-raw";
import { logger } from "../logger";

export const LAST_SEEN_REFRESH_MS = 10 * 60_000;
export const LAST_SEEN_FLUSH_MS = 60_000;
export const MAX_BUFFERED = 100_000;
const CHUNK = 500;

const buffer = new Map<string, { communityId: string; uuid: string; at: Date }>();
/** Since start: rows refreshed, and sightings dropped because the buffer was full (/api/metrics). */
export const lastSeenCounts = { refreshed: 0, dropped: 0 };

let timer: NodeJS.Timeout | null = null;
let flushing: Promise<void> | null = null;

/** A visitor seen at `at` whose identity was not written (it had not changed). */
export function recordSeen(communityId: string, uuid: string, at: Date): void {
  const key = `${communityId}\u0000${uuid}`;
  const waiting = buffer.get(key);
  if (waiting) {
    waiting.at = at; // (seen again before the flush: the latest instant, nothing allocated)
    return;
  }
  if (buffer.size >= MAX_BUFFERED) {
    lastSeenCounts.dropped++;
    void flushLastSeen();
    return;
  }
  buffer.set(key, { communityId, uuid, at });
  if (buffer.size >= MAX_BUFFERED) void flushLastSeen();
  if (!timer) {
    timer = setInterval(() => void flushLastSeen(), LAST_SEEN_FLUSH_MS);
    timer.unref();
  }
}

/** Forgets what is buffered for a visitor (an erasure: nothing of them is written afterwards). */
export function forgetSeen(communityId: string, uuid: string): void {
  buffer.delete(`${communityId}\u0000${uuid}`);
}

/** Writes the buffer now (the timer, a full buffer, a clean stop, tests). Never throws. */
export function flushLastSeen(): Promise<void> {
  flushing ??= (async () => {
    try {
      while (buffer.size > 0) {
        const entries = [...buffer.values()].slice(0, CHUNK);
        for (const e of entries) buffer.delete(`${e.communityId}\u0000${e.uuid}`);
        lastSeenCounts.refreshed += await rawDb().execute(refreshSql(entries.length), entries.flatMap(paramsOf));
      }
    } catch (err) {
      logger.warn({ err }, "last seen: refreshing identities' last_seen_at failed");
    } finally {
      flushing = null;
    }
  })();
  return flushing;
}

const paramsOf = (e: { communityId: string; uuid: string; at: Date }): RawParam[] => [
  e.communityId,
  e.uuid,
  e.at,
  new Date(e.at.getTime() - LAST_SEEN_REFRESH_MS),
];

/** One statement, the same on both databases (PostgreSQL needs the instants typed). */
function refreshSql(n: number): string {
  const instant = rawDb().dialect === "postgres" ? "CAST(? AS TIMESTAMP(3))" : "?";
  const row = `(?, ?, ${instant}, ${instant})`;
  return `WITH v("communityId", "uuid", "at", "before") AS (VALUES ${Array(n).fill(row).join(", ")})
    UPDATE "identity" SET "lastSeenAt" = v."at" FROM v
     WHERE "identity"."communityId" = v."communityId" AND "identity"."uuid" = v."uuid" AND "identity"."lastSeenAt" < v."before"`;
}
