// The webhook events nothing else writes, looked for periodically by every instance (docs/reference.md,
// webhooks): key.expiring — a key expires within 14 days, at most once a day per key (a conditional write
// on the key decides which instance writes it); keyset.failing — this instance's fetches of a community's
// JWKS URL have failed for over an hour, at most once a day per community (a compare-and-set in
// vouch_setting). Each event is written in the transaction of that decision.
import { db } from "../db";
import { prismaCode } from "../errors";
import { failingKeysets } from "../jwks/cache";
import { KEY_EXPIRING_WINDOW_MS, KEYSET_FAILING_AFTER_MS } from "../webhooks/events";
import { enqueueEvent } from "./webhook-outbox";

const DAY_MS = 24 * 3_600_000;

/** key.expiring for every key expiring within 14 days not announced in the last day. Returns how many. */
export async function announceExpiringKeys(now = new Date()): Promise<number> {
  const dayAgo = new Date(now.getTime() - DAY_MS);
  const keys = await db().jwtKey.findMany({
    where: {
      expiresAt: { gt: now, lte: new Date(now.getTime() + KEY_EXPIRING_WINDOW_MS) },
      OR: [{ expiryNotifiedAt: null }, { expiryNotifiedAt: { lt: dayAgo } }],
      community: { webhookEndpoints: { some: { enabled: true } } },
    },
    select: {
      id: true,
      kid: true,
      algorithm: true,
      expiresAt: true,
      expiryNotifiedAt: true,
      community: { select: { id: true, slug: true } },
    },
  });
  let announced = 0;
  for (const k of keys) {
    await db().$transaction(async (tx) => {
      // Of several instances looking at once, the one whose write still finds the value it read wins.
      const { count } = await tx.jwtKey.updateMany({
        where: { id: k.id, expiryNotifiedAt: k.expiryNotifiedAt },
        data: { expiryNotifiedAt: now },
      });
      if (count !== 1) return;
      const expiresAt = k.expiresAt!;
      await enqueueEvent(tx, {
        communityId: k.community.id,
        type: "key.expiring",
        data: {
          community: k.community.slug,
          kid: k.kid,
          algorithm: k.algorithm,
          expires_at: expiresAt.toISOString(),
          days_left: Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / DAY_MS)),
        },
        at: now,
      });
      announced++;
    });
  }
  return announced;
}

/** keyset.failing for each community whose JWKS URL this instance has failed to fetch for over an hour. */
export async function announceFailingKeysets(now = new Date()): Promise<number> {
  let announced = 0;
  for (const f of failingKeysets(now.getTime() - KEYSET_FAILING_AFTER_MS)) {
    const key = `keyset_failing_notified:${f.communityId}`;
    await db()
      .$transaction(async (tx) => {
        const current = await tx.vouchSetting.findUnique({ where: { key } });
        if (current && now.getTime() - Date.parse(current.value) < DAY_MS) return;
        const value = now.toISOString();
        if (current) {
          const { count } = await tx.vouchSetting.updateMany({ where: { key, value: current.value }, data: { value } });
          if (count !== 1) return;
        } else await tx.vouchSetting.create({ data: { key, value } });
        const community = await tx.community.findUnique({
          where: { id: f.communityId },
          select: { slug: true, jwksUrl: true },
        });
        if (!community || community.jwksUrl !== f.url) return;
        await enqueueEvent(tx, {
          communityId: f.communityId,
          type: "keyset.failing",
          data: {
            community: community.slug,
            jwks_url: f.url,
            failing_since: new Date(f.failingSince).toISOString(),
            last_error: f.error,
          },
          at: now,
        });
        announced++;
      })
      .catch((err: unknown) => {
        if (prismaCode(err) !== "P2002") throw err; // P2002: another instance created the setting first; it announces
      });
  }
  return announced;
}
