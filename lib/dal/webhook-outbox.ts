// The webhook outbox (docs/reference.md, webhooks): an event becomes one message per enabled endpoint of
// its community subscribed to its type, written in the transaction of the change that caused it — so
// what was acknowledged is never without its event, and nothing is written for an event nobody wants.
// lib/webhooks/delivery.ts sends them.
import type { Tx } from "../db";
import { newMessageId, webhookPayload, type WebhookEventType } from "../webhooks/events";
import { parseJsonArray } from "./row-format";

export interface WebhookEvent {
  communityId: string;
  type: WebhookEventType;
  data: Record<string, unknown>;
  /** The visitor an identity event is about (an erasure deletes the messages about them). */
  uuid?: string | null;
  at?: Date;
}

/**
 * Writes an event's messages (one per enabled endpoint of its community subscribed to its type) inside
 * a Prisma transaction: erasure, revocation, configuration changes, test events — the identity route's
 * identity.created / verified / updated are decided in SQL with its upsert (lib/dal/identity-writes.ts).
 * `endpointId` sends the event to that endpoint only, subscribed or not (webhook.test). Returns the
 * messages' ids.
 */
export async function enqueueEvent(tx: Tx, event: WebhookEvent, endpointId?: string): Promise<string[]> {
  const endpoints = await tx.webhookEndpoint.findMany({
    where: { communityId: event.communityId, enabled: true, ...(endpointId && { id: endpointId }) },
    select: { id: true, events: true },
  });
  const at = event.at ?? new Date();
  const payload = webhookPayload(event.type, event.data, at);
  const chosen = endpoints.filter((ep) => endpointId || parseJsonArray(ep.events).includes(event.type));
  if (chosen.length === 0) return [];
  const ids = chosen.map(() => newMessageId());
  await tx.webhookMessage.createMany({
    data: chosen.map((ep, i) => ({
      id: ids[i]!,
      endpointId: ep.id,
      communityId: event.communityId,
      type: event.type,
      payload,
      uuid: event.uuid ?? null,
      nextAttemptAt: at,
      createdAt: at,
    })),
  });
  outboxWritten();
  return ids;
}

// This process's delivery loop, told that messages were written (it also polls: other instances write too).
let wake: (() => void) | null = null;
export function onOutboxWritten(fn: (() => void) | null) {
  wake = fn;
}
export function outboxWritten() {
  // Often called just before COMMIT: the loop looks a moment later, and its poll catches anything missed.
  if (wake) setTimeout(wake, 5).unref?.();
}
