// What the identity route observes but must not write on every request: per-key usage (last
// accepted token, hourly counts) and the verification log of refusals. Buffered in memory and
// flushed every FLUSH_INTERVAL_MS in a few statements; the log keeps RETENTION_DAYS of history. What
// administrators read of it is in lib/dal/telemetry-queries.ts.
import { db } from "../db";
import { uuidAuditLabel } from "./audit";
import { logger } from "../logger";

export const FLUSH_INTERVAL_MS = 2000;
export const RETENTION_DAYS = 14;
/** The identity route is public: whatever a caller sends, the log's size per community stays bounded. */
export const MAX_REFUSALS_PER_FLUSH_PER_COMMUNITY = 100;
export const MAX_LOG_ROWS_PER_COMMUNITY = 5000;
/** Each text a log row keeps (detail, origin, kid, the excerpt's JSON), in UTF-8 bytes (docs/security.md). */
export const MAX_LOG_TEXT_BYTES = 1024;
const ELLIPSIS = "…";

/** `text` cut to at most `max` UTF-8 bytes, ending in "…" when cut (never inside a character). */
export function capText(text: string, max = MAX_LOG_TEXT_BYTES): string {
  if (text.length <= max / 4 || Buffer.byteLength(text) <= max) return text;
  const budget = max - Buffer.byteLength(ELLIPSIS);
  let cut = text.slice(0, budget);
  while (Buffer.byteLength(cut) > budget)
    cut = cut.slice(0, Math.max(0, cut.length - Math.ceil((Buffer.byteLength(cut) - budget) / 4)));
  // Do not leave half of a surrogate pair behind.
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return cut + ELLIPSIS;
}

/** The excerpt as stored: JSON of at most MAX_LOG_TEXT_BYTES; lists shortened first, then dropped. */
export function capExcerpt(excerpt: Record<string, unknown>): string {
  let current = excerpt;
  for (let round = 0; round < 12; round++) {
    const json = JSON.stringify(current);
    if (Buffer.byteLength(json) <= MAX_LOG_TEXT_BYTES) return json;
    current = Object.fromEntries(
      Object.entries(current).map(([k, v]) => [
        k,
        Array.isArray(v) ? v.slice(0, Math.floor(v.length / 2)) : v && typeof v === "object" && round > 4 ? null : v,
      ]),
    );
  }
  return JSON.stringify({
    kind: typeof excerpt.kind === "string" ? capText(excerpt.kind, 64) : "unknown",
    truncated: true,
  });
}

export interface Refusal {
  communityId: string;
  code: string;
  detail: string;
  kid: string | null;
  origin: string | null;
  excerpt: Record<string, unknown>;
  /** The uuid the refused request named, or null (lib/api/identity-route.ts): what erasure finds it by. */
  uuid: string | null;
  at: Date;
}

const usage = new Map<string, { keyId: string; hour: Date; count: number; last: Date }>();
// Per (community, hour, outcome): bounded by the communities that exist times the outcomes of the contract.
const outcomes = new Map<string, { communityId: string; hour: Date; outcome: string; count: number }>();
export const STATS_RETENTION_DAYS = 90;
let statsPrunedAt = 0;
let refusals: BufferedRefusal[] = [];
const bufferedPerCommunity = new Map<string, number>();
let droppedRefusals = 0;
let timer: NodeJS.Timeout | undefined;

const hourMs = (d: Date) => Math.floor(d.getTime() / 3_600_000) * 3_600_000;

function ensureTimer() {
  if (timer || stopped) return;
  timer = setInterval(
    () => void flushRouteTelemetry().catch((err) => logger.warn({ err }, "telemetry flush failed")),
    FLUSH_INTERVAL_MS,
  );
  timer.unref();
}

let stopped = false;
/**
 * Stops the flush timer and writes what is buffered (shutdown; tests that must not race the timer).
 * Recording goes on buffering; nothing is written again until `flushRouteTelemetry` or `startRouteTelemetry`.
 */
export async function stopRouteTelemetry(): Promise<void> {
  stopped = true;
  if (timer) clearInterval(timer);
  timer = undefined;
  await flushRouteTelemetry();
}

/** Re-arms the flush timer after `stopRouteTelemetry`. */
export function startRouteTelemetry() {
  stopped = false;
  if (usage.size > 0 || refusals.length > 0 || outcomes.size > 0) ensureTimer();
}

export function recordKeyUse(keyId: string, at = new Date()) {
  // (the hour as a number: a Date is made only for a new slot — this runs for every accepted request)
  const hour = hourMs(at);
  const slot = `${keyId}|${hour}`;
  const entry = usage.get(slot);
  if (entry) {
    entry.count++;
    if (at > entry.last) entry.last = at;
  } else usage.set(slot, { keyId, hour: new Date(hour), count: 1, last: at });
  ensureTimer();
}

/**
 * Counts one answer of the identity route for a known community (docs/operating.md): accepted_unsigned,
 * accepted_verified or a refusal code.
 */
export function recordOutcome(communityId: string, outcome: string, at = new Date()) {
  const hour = hourMs(at);
  const slot = `${communityId}|${hour}|${outcome}`;
  const entry = outcomes.get(slot);
  if (entry) entry.count++;
  else outcomes.set(slot, { communityId, hour: new Date(hour), outcome, count: 1 });
  ensureTimer();
}

interface BufferedRefusal extends Omit<Refusal, "excerpt"> {
  excerptJson: string;
}

/** Buffers one refusal for the log; every text already cut to its bound, so the buffer is bounded too. */
export function recordRefusal(refusal: Refusal) {
  const n = bufferedPerCommunity.get(refusal.communityId) ?? 0;
  if (n >= MAX_REFUSALS_PER_FLUSH_PER_COMMUNITY) droppedRefusals++;
  else {
    bufferedPerCommunity.set(refusal.communityId, n + 1);
    refusals.push({
      communityId: refusal.communityId,
      code: refusal.code,
      detail: capText(refusal.detail),
      kid: refusal.kid === null ? null : capText(refusal.kid),
      origin: refusal.origin === null ? null : capText(refusal.origin),
      excerptJson: capExcerpt(refusal.excerpt),
      uuid: refusal.uuid,
      at: refusal.at,
    });
  }
  ensureTimer();
}

let flushing: Promise<void> | null = null;

/** Writes what is buffered. Safe to call at any time (tests, shutdown). */
export async function flushRouteTelemetry(): Promise<void> {
  while (flushing) await flushing;
  flushing = doFlush().finally(() => (flushing = null));
  return flushing;
}

async function doFlush() {
  const slots = [...usage.values()];
  usage.clear();
  const counted = [...outcomes.values()];
  outcomes.clear();
  for (const o of counted) {
    try {
      await db().identityStat.upsert({
        where: { communityId_hour_outcome: { communityId: o.communityId, hour: o.hour, outcome: o.outcome } },
        create: o,
        update: { count: { increment: o.count } },
      });
    } catch (err) {
      if (String((err as { code?: unknown }).code) === "P2002") {
        // Another instance created the row first: add to it.
        await db().identityStat.update({
          where: { communityId_hour_outcome: { communityId: o.communityId, hour: o.hour, outcome: o.outcome } },
          data: { count: { increment: o.count } },
        });
      } else if (String((err as { code?: unknown }).code) !== "P2003") throw err; // P2003: community deleted meanwhile
    }
  }
  if (Date.now() - statsPrunedAt > 3_600_000) {
    statsPrunedAt = Date.now();
    await db().identityStat.deleteMany({
      where: { hour: { lt: new Date(Date.now() - STATS_RETENTION_DAYS * 86_400_000) } },
    });
  }
  let logs = refusals;
  refusals = [];
  bufferedPerCommunity.clear();
  if (droppedRefusals > 0) {
    logger.warn({ dropped: droppedRefusals }, "verification log: refusals over the per-community rate not recorded");
    droppedRefusals = 0;
  }
  const lastByKey = new Map<string, Date>();
  for (const s of slots) {
    if (!lastByKey.has(s.keyId) || s.last > lastByKey.get(s.keyId)!) lastByKey.set(s.keyId, s.last);
    try {
      await db().keyUsage.upsert({
        where: { jwtKeyId_hour: { jwtKeyId: s.keyId, hour: s.hour } },
        create: { jwtKeyId: s.keyId, hour: s.hour, count: s.count },
        update: { count: { increment: s.count } },
      });
    } catch (err) {
      if (!["P2003", "P2025"].includes(String((err as { code?: unknown }).code))) throw err; // key deleted meanwhile
    }
  }
  for (const [keyId, last] of lastByKey) {
    await db().jwtKey.updateMany({
      where: { id: keyId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: last } }] },
      data: { lastUsedAt: last },
    });
  }
  if (logs.length > 0) {
    const erased = await erasedMeanwhile(logs);
    if (erased.size > 0) logs = logs.filter((l) => !erased.has(l));
  }
  if (logs.length > 0) {
    const existing = new Set(
      (
        await db().community.findMany({
          where: { id: { in: [...new Set(logs.map((l) => l.communityId))] } },
          select: { id: true },
        })
      ).map((c) => c.id),
    );
    await db().verificationLog.createMany({
      data: logs
        .filter((l) => existing.has(l.communityId))
        .map((l) => ({
          communityId: l.communityId,
          code: l.code,
          detail: l.detail,
          kid: l.kid,
          origin: l.origin,
          excerpt: l.excerptJson,
          uuid: l.uuid,
          createdAt: l.at,
        })),
    });
    await db().verificationLog.deleteMany({
      where: { createdAt: { lt: new Date(Date.now() - RETENTION_DAYS * 86_400_000) } },
    });
    for (const communityId of existing) {
      const cutoff = await db().verificationLog.findFirst({
        where: { communityId },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        skip: MAX_LOG_ROWS_PER_COMMUNITY - 1,
        select: { createdAt: true },
      });
      if (cutoff)
        await db().verificationLog.deleteMany({ where: { communityId, createdAt: { lt: cutoff.createdAt } } });
    }
  }
}

/**
 * Erasure (docs/reference.md, data lifecycle): drops this instance's buffered refusals for one uuid, then
 * waits for a flush under way (whose entries the erasure's delete then finds). Entries buffered by other
 * instances are dropped when they flush (`erasedMeanwhile`).
 */
export async function forgetBufferedRefusals(communityId: string, uuid: string): Promise<number> {
  const before = refusals.length;
  refusals = refusals.filter((r) => !(r.communityId === communityId && r.uuid === uuid));
  const dropped = before - refusals.length;
  if (dropped > 0) {
    bufferedPerCommunity.set(communityId, Math.max(0, (bufferedPerCommunity.get(communityId) ?? 0) - dropped));
  }
  while (flushing) await flushing;
  return dropped;
}

/**
 * The buffered entries whose uuid was erased (on any instance) after they were recorded: an erasure's audit
 * entry carries the uuid's digest (`uuidAuditLabel`), so one indexed read per flush finds them.
 */
async function erasedMeanwhile(logs: BufferedRefusal[]): Promise<Set<BufferedRefusal>> {
  const named = logs.filter((l) => l.uuid !== null);
  if (named.length === 0) return new Set();
  const since = new Date(Math.min(...named.map((l) => l.at.getTime())));
  const erasures = await db().auditLog.findMany({
    where: {
      communityId: { in: [...new Set(named.map((l) => l.communityId))] },
      action: "identity.erase",
      createdAt: { gte: since },
    },
    select: { communityId: true, targetLabel: true, createdAt: true },
  });
  if (erasures.length === 0) return new Set();
  const at = new Map<string, Date>();
  for (const e of erasures) {
    const key = `${e.communityId}|${e.targetLabel}`;
    if (!(at.get(key)! >= e.createdAt)) at.set(key, e.createdAt);
  }
  return new Set(
    named.filter((l) => {
      const erasedAt = at.get(`${l.communityId}|${uuidAuditLabel(l.uuid!)}`);
      return erasedAt !== undefined && l.at <= erasedAt;
    }),
  );
}
