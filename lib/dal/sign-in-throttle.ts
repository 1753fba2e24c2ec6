// Throttles failed sign-ins, in the database so that every instance of the app shares the counts.
// Two counters per attempt: per (e-mail address, client address) — 5 failures lock that pair, so one
// attacker cannot lock an administrator out from everywhere — and per e-mail address — 50 failures
// from any mix of clients lock the address, against guessing spread over many clients.
// Applies equally to unknown addresses, so it reveals nothing about accounts.
import { db } from "../db";
import { retryTransient, TX_OPTIONS } from "./retry";

export const THROTTLE = { maxFailures: 5, maxFailuresPerAddress: 50, windowMs: 15 * 60_000, lockMs: 15 * 60_000 } as const;

const emailKey = (email: string) => `email:${email.trim().toLowerCase()}`;
/** client null: unknown (e.g. `next dev`, or a request that did not pass the configured proxies). */
const pairKey = (email: string, client: string | null) => `${emailKey(email)}|client:${client ?? "unknown"}`;
const counters = (email: string, client: string | null) => [
  { key: pairKey(email, client), max: THROTTLE.maxFailures },
  { key: emailKey(email), max: THROTTLE.maxFailuresPerAddress },
];

/** Milliseconds until this client may try this address again, or 0 when it may now. */
export async function signInRetryAfter(email: string, client: string | null, now = new Date()): Promise<number> {
  const rows = await db().signInThrottle.findMany({ where: { key: { in: counters(email, client).map((c) => c.key) } } });
  return Math.max(0, ...rows.map((r) => (r.lockedUntil ? r.lockedUntil.getTime() - now.getTime() : 0)));
}

export async function recordSignInFailure(email: string, client: string | null, now = new Date()): Promise<void> {
  await retryTransient(() => db().$transaction(async (tx) => {
    for (const { key, max } of counters(email, client)) {
      const row = await tx.signInThrottle.findUnique({ where: { key } });
      const windowOpen = row && now.getTime() - row.windowStart.getTime() < THROTTLE.windowMs;
      const failures = windowOpen ? row.failures + 1 : 1;
      const lockedUntil = failures >= max ? new Date(now.getTime() + THROTTLE.lockMs) : null;
      await tx.signInThrottle.upsert({
        where: { key },
        create: { key, failures, windowStart: now, lockedUntil },
        update: { failures, windowStart: windowOpen ? row.windowStart : now, lockedUntil },
      });
    }
  }, TX_OPTIONS));
}

/** After a successful sign-in: the right password ends both counts. */
export async function clearSignInFailures(email: string, client: string | null): Promise<void> {
  await db().signInThrottle.deleteMany({ where: { key: { in: counters(email, client).map((c) => c.key) } } });
}
