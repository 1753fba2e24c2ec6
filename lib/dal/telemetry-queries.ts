// What administrators read of the identity route's telemetry (written by lib/dal/route-telemetry.ts):
// per-key usage, the hourly outcome counts (rollout insight) and the verification log.
import { db } from "../db";
import type { Actor } from "../authz";
import { assertReader } from "./access";
import { parseJsonObject } from "./row-format";
import type { VerificationLogQuery } from "../validations/verification-log";

const hourOf = (d: Date) => new Date(Math.floor(d.getTime() / 3_600_000) * 3_600_000);

/** Tokens accepted per key over the last 24 hours (flushed counts). */
export async function keyUseLast24h(
  actor: Actor | null,
  keyIds: string[],
  now = new Date(),
): Promise<Map<string, number>> {
  assertReader(actor);
  const since = hourOf(new Date(now.getTime() - 23 * 3_600_000));
  const rows = await db().keyUsage.groupBy({
    by: ["jwtKeyId"],
    where: { jwtKeyId: { in: keyIds }, hour: { gte: since } },
    _sum: { count: true },
  });
  return new Map(rows.map((r) => [r.jwtKeyId, r._sum.count ?? 0]));
}

export async function listVerificationLog(actor: Actor | null, communityId: string, take = 100) {
  assertReader(actor);
  const rows = await db().verificationLog.findMany({ where: { communityId }, orderBy: { createdAt: "desc" }, take });
  return rows.map((r) => ({ ...r, excerpt: parseJsonObject(r.excerpt) }));
}

export interface OutcomeSummary {
  /** Hour (epoch ms) → outcome → count, oldest first. */
  hours: { hour: Date; counts: Record<string, number> }[];
  acceptedUnsigned: number;
  acceptedVerified: number;
  /** Refusal codes, most frequent first. */
  refusals: { code: string; count: number }[];
}

/** The flushed hourly outcome counts of the last `hours` hours (docs/operating.md): the Overview, the mode guard. */
export async function outcomeSummary(
  actor: Actor | null,
  communityId: string,
  hours: number,
  now = new Date(),
): Promise<OutcomeSummary> {
  assertReader(actor);
  const since = hourOf(new Date(now.getTime() - (hours - 1) * 3_600_000));
  const rows = await db().identityStat.findMany({
    where: { communityId, hour: { gte: since } },
    orderBy: { hour: "asc" },
  });
  const byHour = new Map<number, Record<string, number>>();
  const refusals = new Map<string, number>();
  let acceptedUnsigned = 0;
  let acceptedVerified = 0;
  for (const r of rows) {
    const counts = byHour.get(r.hour.getTime()) ?? {};
    counts[r.outcome] = (counts[r.outcome] ?? 0) + r.count;
    byHour.set(r.hour.getTime(), counts);
    if (r.outcome === "accepted_unsigned") acceptedUnsigned += r.count;
    else if (r.outcome === "accepted_verified") acceptedVerified += r.count;
    else refusals.set(r.outcome, (refusals.get(r.outcome) ?? 0) + r.count);
  }
  return {
    hours: [...byHour].map(([hour, counts]) => ({ hour: new Date(hour), counts })),
    acceptedUnsigned,
    acceptedVerified,
    refusals: [...refusals]
      .map(([code, count]) => ({ code, count }))
      .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1)),
  };
}

/** Verification-log entries recorded for one uuid (what erasing it would delete, besides the identity). */
export async function countLogEntriesFor(actor: Actor | null, communityId: string, uuid: string): Promise<number> {
  assertReader(actor);
  return db().verificationLog.count({ where: { communityId, uuid } });
}

export const LOG_PAGE_SIZE = 50;

/** The verification log filtered and paged (newest first), the query parsed by lib/validations/verification-log.ts. */
export async function searchVerificationLog(actor: Actor | null, communityId: string, query: VerificationLogQuery) {
  assertReader(actor);
  const where = {
    communityId,
    ...(query.code ? { code: query.code } : {}),
    ...(query.kid ? { kid: query.kid } : {}),
    ...(query.origin ? { origin: query.origin } : {}),
    ...(query.from || query.to
      ? {
          createdAt: {
            ...(query.from ? { gte: new Date(`${query.from}:00Z`) } : {}),
            ...(query.to ? { lte: new Date(`${query.to}:59.999Z`) } : {}),
          },
        }
      : {}),
  };
  const [total, rows] = await Promise.all([
    db().verificationLog.count({ where }),
    db().verificationLog.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (query.page - 1) * LOG_PAGE_SIZE,
      take: LOG_PAGE_SIZE,
    }),
  ]);
  return {
    total,
    page: query.page,
    pageSize: LOG_PAGE_SIZE,
    entries: rows.map((r) => ({ ...r, excerpt: parseJsonObject(r.excerpt) })),
  };
}
