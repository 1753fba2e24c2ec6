// Webhook events and delivery rules (docs/reference.md, webhooks): the event types, the payload
// envelope, the retry schedule and when an endpoint is disabled. Pure: no database, no framework.
import crypto from "node:crypto";

export const WEBHOOK_EVENT_TYPES = [
  "identity.created",
  "identity.verified",
  "identity.updated",
  "identity.erased",
  "identity.revoked",
  "community.config_changed",
  "key.expiring",
  "keyset.failing",
  "webhook.test",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What an admin subscribes an endpoint to (webhook.test goes to the endpoint it is sent to, always). */
export type SubscribableEventType = Exclude<WebhookEventType, "webhook.test">;
export const SUBSCRIBABLE_EVENT_TYPES = WEBHOOK_EVENT_TYPES.filter(
  (t): t is SubscribableEventType => t !== "webhook.test",
);
/** The events written by the identity route (group commit), which only subscribed communities pay for. */
export const IDENTITY_ROUTE_EVENTS = ["identity.created", "identity.verified", "identity.updated"] as const;

export const EVENT_DESCRIPTIONS: Record<WebhookEventType, string> = {
  "identity.created": "A uuid is stored for the first time, verified or not.",
  "identity.verified": "A stored unverified identity becomes verified.",
  "identity.updated": "A stored identity's attributes change.",
  "identity.erased": "A visitor was erased (console, admin API or CLI).",
  "identity.revoked": "A visitor was signed out everywhere: tokens issued before are refused.",
  "community.config_changed": "The community's configuration changed (as the audit log says it; never a secret).",
  "key.expiring": "A key expires within 14 days (once a day per key).",
  "keyset.failing": "The JWKS URL has failed for over an hour.",
  "webhook.test": "Sent by “Send test event”.",
};

/** The body of every message: {"type", "timestamp", "data"}. */
export function webhookPayload(type: WebhookEventType, data: Record<string, unknown>, at: Date): string {
  return JSON.stringify({ type, timestamp: at.toISOString(), data });
}

/**
 * A message id (the webhook-id header): msg_ + 16 random bytes in hex — the same form the identity
 * route's SQL writes (`'msg_' || lower(hex(randomblob(16)))`, PostgreSQL's gen_random_uuid() hex).
 */
export const newMessageId = () => `msg_${crypto.randomBytes(16).toString("hex")}`;
/** An endpoint id: ep_ + 12 random bytes, base64url. */
export const newEndpointId = () => `ep_${crypto.randomBytes(12).toString("base64url")}`;

/** The waits before the 2nd … 8th attempt; after the 8th failure the message fails. */
export const RETRY_DELAYS_MS = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** An endpoint whose every attempt failed for this long is disabled. */
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 3_600_000;
/** A delivery's deadline, what is read of an answer, and what is kept of it. */
export const DELIVERY_TIMEOUT_MS = 15_000;
export const ANSWER_READ_BYTES = 64 * 1024;
export const ANSWER_KEPT_BYTES = 1024;
/** Messages and attempts are deleted this long after the message was written. */
export const MESSAGE_RETENTION_MS = 30 * 24 * 3_600_000;
/** After a rotation the previous secret keeps signing this long. */
export const PREVIOUS_SECRET_MS = 24 * 3_600_000;
/** A key.expiring event is written for keys expiring within this window, at most once a day per key. */
export const KEY_EXPIRING_WINDOW_MS = 14 * 24 * 3_600_000;
export const KEYSET_FAILING_AFTER_MS = 3_600_000;

/** When the next attempt is due after `attempts` failed ones, or null: the message has failed. */
export function nextAttemptAt(attempts: number, failedAt: Date): Date | null {
  const delay = RETRY_DELAYS_MS[attempts - 1];
  return delay === undefined ? null : new Date(failedAt.getTime() + delay);
}

/** What an attempt's answer means for the message and the endpoint. */
export function judgeAnswer(status: number | null): "delivered" | "gone" | "retry" {
  if (status !== null && status >= 200 && status < 300) return "delivered";
  if (status === 410) return "gone";
  return "retry";
}
