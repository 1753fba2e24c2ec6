// Webhook delivery (docs/reference.md, webhooks): each instance runs this loop; messages are claimed
// row by row (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite has one writer), so one instance sends each
// attempt, and a claim lapses after CLAIM_MS — a crashed instance's messages are sent by whoever looks
// next (at least once). Each endpoint has at most PER_ENDPOINT attempts in flight per instance, so a slow
// receiver holds only its own slots. Every request goes through the one outgoing guard.
import crypto from "node:crypto";
import { db, rawDb } from "../db";
import { logger } from "../logger";
import { sendOutgoing, OutgoingError } from "../net/outgoing";
import { audit } from "../dal/audit";
import { onOutboxWritten } from "../dal/webhook-outbox";
import { invalidateRuntimeConfig } from "../dal/runtime-config";
import { signingSecrets, webhookOutgoingOptions } from "../dal/webhooks";
import { announceExpiringKeys, announceFailingKeysets } from "../dal/webhook-notices";
import { webhookHeaders } from "./standard";
import {
  ANSWER_KEPT_BYTES,
  ANSWER_READ_BYTES,
  DELIVERY_TIMEOUT_MS,
  DISABLE_AFTER_FAILING_MS,
  judgeAnswer,
  nextAttemptAt,
} from "./events";

export const PER_ENDPOINT = 4;
export const MAX_IN_FLIGHT = 32;
export const POLL_MS = 1000;
/** A claim outlives the longest attempt (15 s) twice over; then the message is anyone's again (a crash). */
export const CLAIM_MS = 30_000;

/** Attempts since start by result, and the loop's state (for /api/metrics). */
export const deliveryCounts = { delivered: 0, failed: 0, gone: 0, retried: 0 };

const inFlight = new Map<string, number>(); // endpoint id → attempts out
let total = 0;

interface Claimed {
  id: string;
  endpointId: string;
  payload: string;
  attemptCount: number;
  claimToken: string;
}

/** Endpoints with a due message, enabled, not saturated here (at most 50 per look). */
async function dueEndpoints(now: Date): Promise<string[]> {
  const rows = await rawDb().queryRows(
    `SELECT DISTINCT m."endpointId" AS "endpointId" FROM "webhook_message" m
       JOIN "webhook_endpoint" e ON e."id" = m."endpointId"
      WHERE m."status" = 'pending' AND m."nextAttemptAt" <= ? AND e."enabled" = TRUE
        AND (m."claimedUntil" IS NULL OR m."claimedUntil" < ?)
      LIMIT 50`,
    [now, now],
  );
  return rows.map((r) => r.endpointId as string).filter((id) => (inFlight.get(id) ?? 0) < PER_ENDPOINT);
}

/** Claims up to `n` due messages of one endpoint for this instance. */
async function claim(endpointId: string, n: number, now: Date): Promise<Claimed[]> {
  const token = crypto.randomBytes(12).toString("hex");
  const skipLocked = rawDb().dialect === "postgres" ? " FOR UPDATE SKIP LOCKED" : "";
  const rows = await rawDb().queryRows(
    `UPDATE "webhook_message" SET "claimedUntil" = ?, "claimToken" = ?
      WHERE "id" IN (
        SELECT "id" FROM "webhook_message"
         WHERE "endpointId" = ? AND "status" = 'pending' AND "nextAttemptAt" <= ?
           AND ("claimedUntil" IS NULL OR "claimedUntil" < ?)
         ORDER BY "nextAttemptAt" LIMIT ?${skipLocked})
      RETURNING "id", "endpointId", "payload", "attemptCount"`,
    [new Date(now.getTime() + CLAIM_MS), token, endpointId, now, now, n],
  );
  return rows.map((r) => ({
    id: r.id as string,
    endpointId: r.endpointId as string,
    payload: r.payload as string,
    attemptCount: Number(r.attemptCount),
    claimToken: token,
  }));
}

/** The first KiB of an answer as text (whole characters only). */
function excerptOf(body: Buffer): string {
  return new TextDecoder("utf-8", { fatal: false }).decode(body.subarray(0, ANSWER_KEPT_BYTES)).replace(/\uFFFD$/, "");
}

/** An endpoint as an attempt needs it: read, and its secrets opened, once per claim. */
interface ClaimedEndpoint {
  id: string;
  communityId: string;
  url: string;
  failingSince: Date | null;
  secrets: string[];
}

async function endpointForClaim(id: string, now: Date): Promise<ClaimedEndpoint | null> {
  const row = await db().webhookEndpoint.findUnique({ where: { id } });
  if (!row || !row.enabled) return null; // deleted or disabled meanwhile: the claims lapse
  return {
    id,
    communityId: row.communityId,
    url: row.url,
    failingSince: row.failingSince,
    secrets: signingSecrets(row, now),
  };
}

const RECORD_ATTEMPT = `INSERT INTO "webhook_attempt" ("id", "messageId", "endpointId", "at", "status", "ok", "latencyMs", "excerpt") VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;
const SETTLE_MESSAGE = `UPDATE "webhook_message" SET "attemptCount" = ?, "claimedUntil" = NULL, "claimToken" = NULL, "status" = ?, "deliveredAt" = ?, "nextAttemptAt" = ? WHERE "id" = ? AND "claimToken" = ?`;
const ENDPOINT_HEALTHY = `UPDATE "webhook_endpoint" SET "failingSince" = NULL, "updatedAt" = ? WHERE "id" = ? AND "failingSince" IS NOT NULL`;
const ENDPOINT_FAILING = `UPDATE "webhook_endpoint" SET "failingSince" = ?, "updatedAt" = ? WHERE "id" = ? AND "failingSince" IS NULL`;

/** One attempt: sent, recorded, and its consequences for the message and the endpoint. */
async function attempt(message: Claimed, endpoint: ClaimedEndpoint): Promise<"delivered" | "gone" | "retry"> {
  const at = new Date();
  const timestamp = Math.floor(at.getTime() / 1000);
  let status: number | null = null;
  let excerpt: string;
  const started = performance.now();
  try {
    const answer = await sendOutgoing(
      endpoint.url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "Vouch-Webhooks/1",
          ...webhookHeaders(endpoint.secrets, message.id, timestamp, message.payload),
        },
        body: message.payload,
        timeoutMs: DELIVERY_TIMEOUT_MS,
        maxBytes: ANSWER_READ_BYTES,
        overflow: "truncate",
      },
      webhookOutgoingOptions(),
      "The webhook URL",
    );
    status = answer.status;
    excerpt =
      status >= 300 && status < 400
        ? `redirect to ${String(answer.headers.location ?? "?").slice(0, 200)} (not followed) ${excerptOf(answer.body)}`
        : excerptOf(answer.body);
  } catch (err) {
    excerpt = err instanceof OutgoingError ? err.message : `failed: ${(err as Error).message}`;
  }
  const latencyMs = Math.round(performance.now() - started);
  const verdict = judgeAnswer(status);
  const attempts = message.attemptCount + 1;
  const done = new Date();
  const next = verdict === "retry" ? nextAttemptAt(attempts, done) : null;
  const failingSince = endpoint.failingSince ?? at;
  const disable =
    verdict === "gone"
      ? "answered 410 Gone"
      : verdict === "retry" && at.getTime() - failingSince.getTime() >= DISABLE_AFTER_FAILING_MS
        ? "every attempt failed for 5 days"
        : null;
  // The attempt, the message's new state and the endpoint's health: one transaction (one round trip).
  await rawDb().batch([
    {
      sql: RECORD_ATTEMPT,
      params: [
        crypto.randomUUID(),
        message.id,
        endpoint.id,
        at,
        status,
        verdict === "delivered",
        latencyMs,
        excerpt.slice(0, ANSWER_KEPT_BYTES),
      ],
    },
    {
      sql: SETTLE_MESSAGE,
      params: [
        attempts,
        verdict === "delivered" ? "delivered" : next ? "pending" : "failed",
        verdict === "delivered" ? done : null,
        next,
        message.id,
        message.claimToken,
      ],
    },
    verdict === "delivered"
      ? { sql: ENDPOINT_HEALTHY, params: [done, endpoint.id] }
      : { sql: ENDPOINT_FAILING, params: [at, done, endpoint.id] },
  ]);
  if (verdict !== "delivered") endpoint.failingSince = failingSince;
  else endpoint.failingSince = null;
  if (disable) await disableEndpoint(endpoint, disable);
  if (verdict === "delivered") deliveryCounts.delivered++;
  else if (verdict === "gone") deliveryCounts.gone++;
  else if (next) deliveryCounts.retried++;
  else deliveryCounts.failed++;
  return verdict;
}

/** Disables an endpoint (410, or 5 days of failures), audited — once, of several instances seeing it. */
async function disableEndpoint(endpoint: ClaimedEndpoint, reason: string): Promise<void> {
  await db().$transaction(async (tx) => {
    const { count } = await tx.webhookEndpoint.updateMany({
      where: { id: endpoint.id, enabled: true },
      data: { enabled: false, disabledReason: reason },
    });
    if (count === 1)
      await audit(tx, { id: null, email: "vouch" }, "webhook.disable", {
        communityId: endpoint.communityId,
        targetLabel: endpoint.id,
        details: { reason, url: endpoint.url },
      });
  });
  invalidateRuntimeConfig(); // (the identity route stops writing identity events for it within a second anyway)
}

/**
 * Claims what is due for one endpoint, up to its free slots, and sends it (not awaited). When an attempt
 * ends, its slot is refilled from the same endpoint at once (no full look).
 */
async function serve(endpointId: string, now: Date): Promise<number> {
  const free = Math.min(PER_ENDPOINT - (inFlight.get(endpointId) ?? 0), MAX_IN_FLIGHT - total);
  if (free <= 0) return 0;
  const messages = await claim(endpointId, free, now);
  if (messages.length === 0) return 0;
  const endpoint = await endpointForClaim(endpointId, now);
  if (!endpoint) return 0;
  for (const message of messages) {
    total++;
    inFlight.set(endpointId, (inFlight.get(endpointId) ?? 0) + 1);
    void attempt(message, endpoint)
      .catch((err) => logger.warn({ err, endpointId }, "webhooks: an attempt could not be recorded"))
      .finally(() => {
        total--;
        const left = (inFlight.get(endpointId) ?? 1) - 1;
        if (left > 0) inFlight.set(endpointId, left);
        else inFlight.delete(endpointId);
        if (!running) return;
        // Refill this endpoint's slots (its claim query is the whole cost); the periodic look finds the rest.
        if (!refilling.has(endpointId)) {
          refilling.add(endpointId);
          void serve(endpointId, new Date())
            .catch((err) => logger.warn({ err, endpointId }, "webhooks: claiming messages failed"))
            .finally(() => refilling.delete(endpointId));
        }
      });
  }
  return messages.length;
}
const refilling = new Set<string>();

/** One look: every endpoint with due messages and free slots gets them (sent, not awaited). */
export async function deliverDue(now = new Date()): Promise<number> {
  let started = 0;
  for (const endpointId of await dueEndpoints(now)) started += await serve(endpointId, now);
  return started;
}

/** Attempts out in this instance (tests wait for 0). */
export const attemptsInFlight = () => total;

let running = false;
let timer: NodeJS.Timeout | null = null;
let looking = false;
let again = false;

function schedule(ms: number) {
  if (!running) return;
  if (ms === 0 && timer) clearTimeout(timer);
  else if (timer) return;
  timer = setTimeout(look, ms);
  timer.unref();
}

async function look() {
  timer = null;
  if (looking) {
    again = true;
    return;
  }
  looking = true;
  try {
    await deliverDue();
  } catch (err) {
    logger.warn({ err }, "webhooks: looking for due messages failed");
  } finally {
    looking = false;
    if (again) {
      again = false;
      schedule(0);
    } else schedule(POLL_MS);
  }
}

/** How often key.expiring and keyset.failing are looked for (each at most once a day per key/community). */
export const NOTICES_INTERVAL_MS = 10 * 60_000;
let notices: NodeJS.Timeout | null = null;
const announce = () =>
  void Promise.all([announceExpiringKeys(), announceFailingKeysets()]).catch((err) =>
    logger.warn({ err }, "webhooks: looking for expiring keys and failing keysets failed"),
  );

/**
 * Starts this process's delivery loop: a look every second, and at once when this process writes
 * messages; and, every 10 minutes, the key.expiring and keyset.failing notices.
 */
export function startWebhookDelivery(): void {
  if (running) return;
  running = true;
  onOutboxWritten(() => schedule(0));
  schedule(0);
  setTimeout(announce, 30_000).unref();
  notices = setInterval(announce, NOTICES_INTERVAL_MS);
  notices.unref();
}

export function stopWebhookDelivery(): void {
  running = false;
  onOutboxWritten(null);
  if (timer) clearTimeout(timer);
  if (notices) clearInterval(notices);
  timer = notices = null;
}
