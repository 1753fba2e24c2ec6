// Retention (docs/reference.md): identities not seen for their community's identity_retention_days are deleted
// (and webhook messages older than 30 days),
// in batches (each its own short statement, never one long lock), by one instance at a time — a lease in
// vouch_setting taken with a conditional write, so it works alike on SQLite and PostgreSQL. Run by a
// timer in `npm start` (every 6 hours, so at least daily) and by `npm run vouch -- identity prune`.
import crypto from "node:crypto";
import { db } from "../db";
import { logger } from "../logger";
import { MESSAGE_RETENTION_MS } from "../webhooks/events";
import { flushLastSeen } from "./last-seen";

export const PRUNE_BATCH = 500;
export const PRUNE_INTERVAL_MS = 6 * 3_600_000;
const LEASE_KEY = "retention.lease";
const LEASE_MS = 15 * 60_000;
const instance = crypto.randomBytes(8).toString("hex");

/** Takes the lease unless another instance holds an unexpired one; true when this instance may prune. */
async function takeLease(now: Date): Promise<boolean> {
  const value = `${instance} ${now.getTime() + LEASE_MS}`;
  const current = await db().vouchSetting.findUnique({ where: { key: LEASE_KEY } });
  if (!current) {
    try {
      await db().vouchSetting.create({ data: { key: LEASE_KEY, value } });
      return true;
    } catch {
      return false; // another instance created it first
    }
  }
  const [holder, until] = current.value.split(" ");
  if (holder !== instance && Number(until) > now.getTime()) return false;
  // Compare-and-set on the value read: of two instances racing for an expired lease, one wins.
  const { count } = await db().vouchSetting.updateMany({
    where: { key: LEASE_KEY, value: current.value },
    data: { value },
  });
  return count === 1;
}

async function releaseLease() {
  await db().vouchSetting.deleteMany({ where: { key: LEASE_KEY, value: { startsWith: `${instance} ` } } });
}

export interface PruneResult {
  deleted: number;
  batches: number;
  /** Webhook messages past their 30 days. */
  messages: number;
  /** False when another instance holds the lease (nothing done). */
  ran: boolean;
}

export async function pruneIdentities({ now = new Date(), batch = PRUNE_BATCH } = {}): Promise<PruneResult> {
  if (!(await takeLease(now))) return { deleted: 0, batches: 0, messages: 0, ran: false };
  await flushLastSeen(); // this instance's sightings first: a visitor seen a moment ago is not deleted
  let deleted = 0;
  let batches = 0;
  let messages = 0;
  try {
    const communities = await db().community.findMany({ select: { id: true, identityRetentionDays: true } });
    for (const c of communities) {
      const cutoff = new Date(now.getTime() - c.identityRetentionDays * 86_400_000);
      for (;;) {
        const ids = (
          await db().identity.findMany({
            where: { communityId: c.id, lastSeenAt: { lt: cutoff } },
            select: { id: true },
            take: batch,
          })
        ).map((r) => r.id);
        if (ids.length === 0) break;
        deleted += (await db().identity.deleteMany({ where: { id: { in: ids } } })).count;
        batches++;
      }
    }
    // Webhook messages (with their attempts) are kept 30 days.
    const messagesBefore = new Date(now.getTime() - MESSAGE_RETENTION_MS);
    for (;;) {
      const ids = (
        await db().webhookMessage.findMany({
          where: { createdAt: { lt: messagesBefore } },
          select: { id: true },
          take: batch,
        })
      ).map((r) => r.id);
      if (ids.length === 0) break;
      messages += (await db().webhookMessage.deleteMany({ where: { id: { in: ids } } })).count;
    }
  } finally {
    await releaseLease();
  }
  if (deleted) logger.info({ deleted, batches }, "retention: identities past their community's retention deleted");
  if (messages) logger.info({ messages }, "retention: webhook messages older than 30 days deleted");
  return { deleted, batches, messages, ran: true };
}

let timer: NodeJS.Timeout | undefined;
/** The background job: a first pass a minute after start, then every 6 hours. */
export function startRetentionJob() {
  if (timer) return;
  const run = () => void pruneIdentities().catch((err) => logger.warn({ err }, "retention: prune failed"));
  setTimeout(run, 60_000).unref();
  timer = setInterval(run, PRUNE_INTERVAL_MS);
  timer.unref();
}
