// Webhook endpoints and their messages (docs/reference.md, webhooks), for the console, the admin API and
// the CLI: admins change, both roles read. Every change goes through changeCommunity (role check,
// audit, configuration version — the identity route learns within a second whether a community has
// identity-event subscribers); the secret is returned once, sealed at rest, never in a read or the audit.
import { db } from "../db";
import { canManage, type Actor } from "../authz";
import { DomainError, forbidden } from "../errors";
import { env } from "../env";
import { assertSealingKey, encryptionKey, openWebhookSecret, sealWebhookSecret } from "../encryption-key";
import { checkOutgoingUrl, OutgoingError, type OutgoingOptions } from "../net/outgoing";
import {
  webhookCreateSchema,
  webhookUpdateSchema,
  endpointIdSchema,
  messageIdSchema,
  type WebhookCreateInput,
  type WebhookUpdateInput,
} from "../validations/webhook";
import { newEndpointId, PREVIOUS_SECRET_MS, type SubscribableEventType } from "../webhooks/events";
import { newWebhookSecret } from "../webhooks/standard";
import { assertReader } from "./access";
import { audit } from "./audit";
import { changeCommunity, type ChangeActor } from "./community-change";
import { communityIdOf } from "./communities";
import { enqueueEvent } from "./webhook-outbox";
import { parseJsonArray } from "./row-format";

/** Endpoints per community (each one is a delivery queue and a secret to keep). */
export const MAX_ENDPOINTS = 20;

let outgoing: OutgoingOptions | null = null;
/** The guard's options for webhook URLs: from the environment unless a test configured otherwise. */
export const webhookOutgoingOptions = (): OutgoingOptions => (outgoing ??= { allowPrivate: env().allowPrivateUrls });
export function configureWebhookOutgoing(next: OutgoingOptions | null) {
  outgoing = next;
}

async function checkUrl(url: string): Promise<void> {
  try {
    await checkOutgoingUrl(url, webhookOutgoingOptions(), "The webhook URL");
  } catch (err) {
    if (err instanceof OutgoingError) throw new DomainError("invalid", err.message, "url");
    throw err;
  }
}

export interface WebhookEndpointDto {
  id: string;
  url: string;
  description: string;
  events: SubscribableEventType[];
  enabled: boolean;
  disabledReason: string | null;
  failingSince: Date | null;
  /** A rotation's previous secret signs beside the current one until then; null when none. */
  previousSecretUntil: Date | null;
  createdAt: Date;
  /** Last 24 hours: attempts and how many succeeded. */
  attempts24h: number;
  succeeded24h: number;
  lastAttempt: { at: Date; ok: boolean; status: number | null } | null;
  pending: number;
}

type EndpointRow = {
  id: string;
  url: string;
  description: string;
  events: string;
  enabled: boolean;
  disabledReason: string | null;
  failingSince: Date | null;
  previousSecretUntil: Date | null;
  createdAt: Date;
};
const endpointSelect = {
  id: true,
  url: true,
  description: true,
  events: true,
  enabled: true,
  disabledReason: true,
  failingSince: true,
  previousSecretUntil: true,
  createdAt: true,
} as const;

async function withStats(rows: EndpointRow[], now = new Date()): Promise<WebhookEndpointDto[]> {
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return [];
  const since = new Date(now.getTime() - 24 * 3_600_000);
  const [byResult, pending, last] = await Promise.all([
    db().webhookAttempt.groupBy({
      by: ["endpointId", "ok"],
      where: { endpointId: { in: ids }, at: { gte: since } },
      _count: { _all: true },
    }),
    db().webhookMessage.groupBy({
      by: ["endpointId"],
      where: { endpointId: { in: ids }, status: "pending" },
      _count: { _all: true },
    }),
    Promise.all(
      ids.map((id) =>
        db().webhookAttempt.findFirst({
          where: { endpointId: id },
          orderBy: { at: "desc" },
          select: { endpointId: true, at: true, ok: true, status: true },
        }),
      ),
    ),
  ]);
  return rows.map((r) => {
    const counts = byResult.filter((b) => b.endpointId === r.id);
    const lastAttempt = last.find((l) => l?.endpointId === r.id);
    return {
      ...r,
      events: parseJsonArray(r.events) as SubscribableEventType[],
      previousSecretUntil: r.previousSecretUntil && r.previousSecretUntil > now ? r.previousSecretUntil : null,
      attempts24h: counts.reduce((n, c) => n + c._count._all, 0),
      succeeded24h: counts.filter((c) => c.ok).reduce((n, c) => n + c._count._all, 0),
      lastAttempt: lastAttempt ? { at: lastAttempt.at, ok: lastAttempt.ok, status: lastAttempt.status } : null,
      pending: pending.find((p) => p.endpointId === r.id)?._count._all ?? 0,
    };
  });
}

export async function listWebhookEndpoints(actor: Actor | null, slug: string): Promise<WebhookEndpointDto[]> {
  assertReader(actor);
  const communityId = await communityIdOf(slug);
  const rows = await db().webhookEndpoint.findMany({
    where: { communityId },
    orderBy: { createdAt: "asc" },
    select: endpointSelect,
  });
  return withStats(rows);
}

export async function getWebhookEndpoint(actor: Actor | null, slug: string, id: string): Promise<WebhookEndpointDto> {
  assertReader(actor);
  const row = await findEndpoint(await communityIdOf(slug), id);
  return (await withStats([row]))[0]!;
}

async function findEndpoint(communityId: string, id: string): Promise<EndpointRow> {
  const parsed = endpointIdSchema.safeParse(id);
  const row = parsed.success
    ? await db().webhookEndpoint.findFirst({ where: { id, communityId }, select: endpointSelect })
    : null;
  if (!row) throw new DomainError("not_found", "There is no webhook endpoint with this id in this community");
  return row;
}

/** Adds an endpoint; its secret (whsec_…) is in the answer, this once. */
export async function createWebhookEndpoint(
  actor: ChangeActor,
  slug: string,
  raw: WebhookCreateInput,
): Promise<{ endpoint: WebhookEndpointDto; secret: string }> {
  if (actor && !canManage(actor)) throw forbidden("add webhook endpoints");
  const input = webhookCreateSchema.parse(raw);
  await checkUrl(input.url);
  const secret = newWebhookSecret();
  const id = newEndpointId();
  await changeCommunity(actor, slug, "add webhook endpoints", async (tx, community) => {
    if ((await tx.webhookEndpoint.count({ where: { communityId: community.id } })) >= MAX_ENDPOINTS)
      throw new DomainError(
        "invalid",
        `A community has at most ${MAX_ENDPOINTS} webhook endpoints; delete one first`,
        "url",
      );
    const key = await assertSealingKey(tx);
    await tx.webhookEndpoint.create({
      data: {
        id,
        communityId: community.id,
        url: input.url,
        description: input.description,
        events: JSON.stringify(input.events),
        enabled: input.enabled,
        disabledReason: input.enabled ? null : "disabled by an administrator",
        secretCiphertext: sealWebhookSecret(key, id, "current", secret),
      },
    });
    return {
      result: null,
      action: "webhook.create",
      target: id,
      details: { url: input.url, events: input.events, enabled: input.enabled },
      event: null,
    };
  });
  return { endpoint: await getWebhookEndpoint(null, slug, id), secret };
}

export async function updateWebhookEndpoint(
  actor: ChangeActor,
  slug: string,
  id: string,
  raw: WebhookUpdateInput,
): Promise<WebhookEndpointDto> {
  if (actor && !canManage(actor)) throw forbidden("change webhook endpoints");
  const input = webhookUpdateSchema.parse(raw);
  if (input.url !== undefined) await checkUrl(input.url);
  await changeCommunity(actor, slug, "change webhook endpoints", async (tx, community) => {
    const row = await tx.webhookEndpoint.findFirst({ where: { id, communityId: community.id } });
    if (!row) throw new DomainError("not_found", "There is no webhook endpoint with this id in this community");
    const changes: Record<string, unknown> = {};
    if (input.url !== undefined && input.url !== row.url) changes.url = input.url;
    if (input.events !== undefined && JSON.stringify(input.events) !== row.events) changes.events = input.events;
    if (input.description !== undefined && input.description !== row.description)
      changes.description = input.description;
    if (input.enabled !== undefined && input.enabled !== row.enabled) changes.enabled = input.enabled;
    if (Object.keys(changes).length === 0) return { result: null, unchanged: true };
    await tx.webhookEndpoint.update({
      where: { id },
      data: {
        ...(changes.url !== undefined && { url: input.url }),
        ...(changes.events !== undefined && { events: JSON.stringify(input.events) }),
        ...(changes.description !== undefined && { description: input.description }),
        ...(changes.enabled !== undefined &&
          (input.enabled
            ? { enabled: true, disabledReason: null, failingSince: null }
            : { enabled: false, disabledReason: "disabled by an administrator" })),
      },
    });
    return { result: null, action: "webhook.update", target: id, details: changes, event: null };
  });
  return getWebhookEndpoint(null, slug, id);
}

/** Deletes an endpoint with its messages and attempts. */
export async function deleteWebhookEndpoint(actor: ChangeActor, slug: string, id: string): Promise<void> {
  await changeCommunity(actor, slug, "delete webhook endpoints", async (tx, community) => {
    const row = await tx.webhookEndpoint.findFirst({ where: { id, communityId: community.id }, select: { url: true } });
    if (!row) throw new DomainError("not_found", "There is no webhook endpoint with this id in this community");
    await tx.webhookEndpoint.delete({ where: { id } });
    return { result: null, action: "webhook.delete", target: id, details: { url: row.url }, event: null };
  });
}

/**
 * A new signing secret, returned once; the previous one keeps signing beside it for 24 hours, so the
 * receiver can switch without losing a message.
 */
export async function rotateWebhookSecret(
  actor: ChangeActor,
  slug: string,
  id: string,
): Promise<{ secret: string; previousSecretUntil: Date }> {
  const secret = newWebhookSecret();
  return changeCommunity(actor, slug, "rotate webhook secrets", async (tx, community) => {
    const row = await tx.webhookEndpoint.findFirst({ where: { id, communityId: community.id } });
    if (!row) throw new DomainError("not_found", "There is no webhook endpoint with this id in this community");
    const key = await assertSealingKey(tx);
    const previous = openWebhookSecret(key, id, "current", row.secretCiphertext);
    const previousSecretUntil = new Date(Date.now() + PREVIOUS_SECRET_MS);
    await tx.webhookEndpoint.update({
      where: { id },
      data: {
        secretCiphertext: sealWebhookSecret(key, id, "current", secret),
        previousSecretCiphertext: sealWebhookSecret(key, id, "previous", previous),
        previousSecretUntil,
      },
    });
    return {
      result: { secret, previousSecretUntil },
      action: "webhook.rotate_secret",
      target: id,
      details: { previous_secret_until: previousSecretUntil.toISOString() },
      event: null,
    };
  });
}

/** The secrets an attempt is signed with now: the current one, and a rotation's previous one for 24 h. */
export function signingSecrets(
  row: {
    id: string;
    secretCiphertext: string;
    previousSecretCiphertext: string | null;
    previousSecretUntil: Date | null;
  },
  now = new Date(),
): string[] {
  const key = encryptionKey();
  const secrets = [openWebhookSecret(key, row.id, "current", row.secretCiphertext)];
  if (row.previousSecretCiphertext && row.previousSecretUntil && row.previousSecretUntil > now)
    secrets.push(openWebhookSecret(key, row.id, "previous", row.previousSecretCiphertext));
  return secrets;
}

/** Queues a webhook.test message for this endpoint (enabled; delivered like any other). */
export async function sendTestEvent(actor: ChangeActor, slug: string, id: string): Promise<{ messageId: string }> {
  if (actor && !canManage(actor)) throw forbidden("send test events");
  const communityId = await communityIdOf(slug);
  const row = await findEndpoint(communityId, id);
  if (!row.enabled) throw new DomainError("conflict", "This endpoint is disabled: enable it to send it a test event");
  return db().$transaction(async (tx) => {
    const [messageId] = await enqueueEvent(
      tx,
      {
        communityId,
        type: "webhook.test",
        data: { community: slug, endpoint_id: id, message: "A test event sent from Vouch." },
      },
      id,
    );
    if (!messageId) throw new DomainError("conflict", "This endpoint was disabled or deleted meanwhile");
    await audit(tx, actor ?? { id: null, email: "cli" }, "webhook.test", { communityId, targetLabel: id });
    return { messageId };
  });
}

export interface WebhookAttemptDto {
  at: Date;
  status: number | null;
  ok: boolean;
  latencyMs: number;
  excerpt: string;
}
export interface WebhookMessageDto {
  id: string;
  type: string;
  status: string;
  attemptCount: number;
  nextAttemptAt: Date | null;
  createdAt: Date;
  deliveredAt: Date | null;
  payload: string;
  attempts: WebhookAttemptDto[];
}

export const MESSAGES_PAGE = 50;

/** An endpoint's messages, newest first, each with its attempts (newest first). */
export async function listWebhookMessages(
  actor: Actor | null,
  slug: string,
  id: string,
  { limit = MESSAGES_PAGE, before }: { limit?: number; before?: string | null } = {},
): Promise<WebhookMessageDto[]> {
  assertReader(actor);
  const communityId = await communityIdOf(slug);
  await findEndpoint(communityId, id);
  const take = Math.min(Math.max(1, Math.trunc(limit) || MESSAGES_PAGE), 200);
  const cursor = before && messageIdSchema.safeParse(before).success ? { id: before } : undefined;
  const rows = await db().webhookMessage.findMany({
    where: { endpointId: id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    ...(cursor && { cursor, skip: 1 }),
    select: {
      id: true,
      type: true,
      status: true,
      attemptCount: true,
      nextAttemptAt: true,
      createdAt: true,
      deliveredAt: true,
      payload: true,
      attempts: {
        orderBy: { at: "desc" },
        select: { at: true, status: true, ok: true, latencyMs: true, excerpt: true },
      },
    },
  });
  return rows.map((r) => ({ ...r, nextAttemptAt: r.status === "pending" ? r.nextAttemptAt : null }));
}

/** Sends a message again (same webhook-id): pending now, whatever happened to it before. */
export async function redeliverMessage(actor: ChangeActor, slug: string, id: string, messageId: string): Promise<void> {
  if (actor && !canManage(actor)) throw forbidden("redeliver webhook messages");
  const communityId = await communityIdOf(slug);
  const endpoint = await findEndpoint(communityId, id);
  if (!endpoint.enabled)
    throw new DomainError("conflict", "This endpoint is disabled: enable it to redeliver its messages");
  await db().$transaction(async (tx) => {
    const { count } = await tx.webhookMessage.updateMany({
      where: { id: messageId, endpointId: id },
      data: { status: "pending", nextAttemptAt: new Date(), attemptCount: 0, claimedUntil: null, claimToken: null },
    });
    if (count === 0) throw new DomainError("not_found", "There is no message with this id for this endpoint");
    await audit(tx, actor ?? { id: null, email: "cli" }, "webhook.redeliver", {
      communityId,
      targetLabel: id,
      details: { message_id: messageId },
    });
  });
}

/** The outbox's backlog for /api/metrics: pending messages of enabled endpoints, and the oldest one's age. */
export async function webhookBacklog(now = Date.now()): Promise<{ pending: number; oldestAgeSeconds: number }> {
  const { _count, _min } = await db().webhookMessage.aggregate({
    where: { status: "pending", endpoint: { enabled: true } },
    _count: { _all: true },
    _min: { createdAt: true },
  });
  const oldest = _min.createdAt;
  return { pending: _count._all, oldestAgeSeconds: oldest ? Math.max(0, (now - oldest.getTime()) / 1000) : 0 };
}
