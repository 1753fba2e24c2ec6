// Throttles failed sign-ins per e-mail address, in the database so that every instance of the app
// shares the count. Applies equally to unknown addresses, so it reveals nothing about accounts.
import { db } from "../db";
import { retryTransient, TX_OPTIONS } from "./retry";

export const THROTTLE = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 } as const;

const keyFor = (email: string) => `email:${email.trim().toLowerCase()}`;

/** Milliseconds until sign-in may be tried again for this address, or 0 when it may now. */
export async function signInRetryAfter(email: string, now = new Date()): Promise<number> {
  const row = await db().signInThrottle.findUnique({ where: { key: keyFor(email) } });
  if (!row?.lockedUntil) return 0;
  return Math.max(0, row.lockedUntil.getTime() - now.getTime());
}

export async function recordSignInFailure(email: string, now = new Date()): Promise<void> {
  const key = keyFor(email);
  await retryTransient(() => db().$transaction(async (tx) => {
    const row = await tx.signInThrottle.findUnique({ where: { key } });
    const windowOpen = row && now.getTime() - row.windowStart.getTime() < THROTTLE.windowMs;
    const failures = windowOpen ? row.failures + 1 : 1;
    const lockedUntil = failures >= THROTTLE.maxFailures ? new Date(now.getTime() + THROTTLE.lockMs) : null;
    await tx.signInThrottle.upsert({
      where: { key },
      create: { key, failures, windowStart: now, lockedUntil },
      update: { failures, windowStart: windowOpen ? row.windowStart : now, lockedUntil },
    });
  }, TX_OPTIONS));
}

export async function clearSignInFailures(email: string): Promise<void> {
  await db().signInThrottle.deleteMany({ where: { key: keyFor(email) } });
}
