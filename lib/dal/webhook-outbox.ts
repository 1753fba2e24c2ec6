// The webhook outbox (docs/reference.md, webhooks): an event becomes one message per enabled endpoint of
// its community subscribed to its type, written in the transaction of the change that caused it — so
// what was acknowledged is never without its event, and nothing is written for an event nobody wants.
// lib/webhooks/delivery.ts sends them.
import type { Tx } from "../db";
import type { RawParam, RawStatements } from "../db-raw";
import { newMessageId, webhookPayload, type WebhookEventType } from "../webhooks/events";
import { parseJsonArray, parseJsonObject } from "./row-format";
import { identityDocument } from "./identities";

export interface WebhookEvent {
  communityId: string;
  type: WebhookEventType;
  data: Record<string, unknown>;
  /** The visitor an identity event is about (an erasure deletes the messages about them). */
  uuid?: string | null;
  at?: Date;
}

/** An identity row as the identity route's write compares it (JSON columns as stored text). */
export interface StoredIdentityState {
  communityId: string;
  uuid: string;
  automatedUuid: boolean;
  verified: boolean;
  kid: string | null;
  fields: string;
  customFields: string;
  extraValues: string;
  sources: string;
  createdAt: Date;
  updatedAt: Date;
}

/** The identity document the admin API returns (docs/admin-api.md), from a stored state. */
export function identityEventData(s: StoredIdentityState): Record<string, unknown> {
  return identityDocument({
    ...s,
    fields: parseJsonObject(s.fields),
    customFields: parseJsonObject(s.customFields),
    extraValues: parseJsonObject(s.extraValues),
    sources: parseJsonObject(s.sources),
  });
}

/** A JSON text's value with object keys in order, so two texts of one value compare equal. */
function canonical(text: string): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  try {
    return JSON.stringify(sort(JSON.parse(text)));
  } catch {
    return text;
  }
}
const sameJson = (a: string, b: string) => a === b || canonical(a) === canonical(b);

/**
 * What a write of `next` over `old` means (docs/reference.md, webhooks): identity.created the first time
 * a uuid is stored; identity.verified when a stored unverified identity becomes verified;
 * identity.updated when its attributes (fields, custom fields, extra values) change. Nothing when
 * nothing changed.
 */
export function identityEventsOf(old: StoredIdentityState | undefined, next: StoredIdentityState): WebhookEvent[] {
  const event = (type: WebhookEventType): WebhookEvent => ({
    communityId: next.communityId,
    type,
    data: identityEventData(next),
    uuid: next.uuid,
    at: next.updatedAt,
  });
  if (!old) return [event("identity.created")];
  const events: WebhookEvent[] = [];
  if (!old.verified && next.verified) events.push(event("identity.verified"));
  if (
    !sameJson(old.fields, next.fields) ||
    !sameJson(old.customFields, next.customFields) ||
    !sameJson(old.extraValues, next.extraValues)
  )
    events.push(event("identity.updated"));
  return events;
}

const MESSAGE_COLUMNS = `"id", "endpointId", "communityId", "type", "payload", "uuid", "status", "attemptCount", "nextAttemptAt", "createdAt"`;
const MESSAGE_ROW = "(?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)";
const INSERT_CHUNK = 200;

/** The enabled endpoints of these communities, with the event types each receives. */
async function subscribers(
  sql: RawStatements,
  communityIds: string[],
): Promise<{ id: string; communityId: string; events: Set<string> }[]> {
  const rows = await sql.queryRows(
    `SELECT "id", "communityId", "events" FROM "webhook_endpoint" WHERE "enabled" = TRUE AND "communityId" IN (${communityIds.map(() => "?").join(", ")})`,
    communityIds,
  );
  return rows.map((r) => ({
    id: r.id as string,
    communityId: r.communityId as string,
    events: new Set(parseJsonArray(r.events as string)),
  }));
}

/**
 * Writes the messages of these events (one per subscribed, enabled endpoint) with the statements of an
 * open transaction. Returns how many were written.
 */
export async function writeMessages(sql: RawStatements, events: WebhookEvent[], endpointId?: string): Promise<number> {
  if (events.length === 0) return 0;
  const endpoints = await subscribers(sql, [...new Set(events.map((e) => e.communityId))]);
  const rows: RawParam[][] = [];
  for (const e of events) {
    const at = e.at ?? new Date();
    const payload = webhookPayload(e.type, e.data, at);
    for (const ep of endpoints) {
      if (ep.communityId !== e.communityId) continue;
      if (endpointId ? ep.id !== endpointId : !ep.events.has(e.type)) continue;
      rows.push([newMessageId(), ep.id, e.communityId, e.type, payload, e.uuid ?? null, at, at]);
    }
  }
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK);
    await sql.execute(
      `INSERT INTO "webhook_message" (${MESSAGE_COLUMNS}) VALUES ${chunk.map(() => MESSAGE_ROW).join(", ")}`,
      chunk.flat(),
    );
  }
  if (rows.length > 0) outboxWritten();
  return rows.length;
}

/**
 * The same inside a Prisma transaction (erasure, revocation, configuration changes, test events):
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
  // Called before COMMIT: the loop looks a moment later, and its poll catches anything it missed.
  if (wake) setTimeout(wake, 5).unref?.();
}
