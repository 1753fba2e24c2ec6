// Throttles sign-in attempts, in the database so that every instance of the app shares the counts.
// Each attempt is counted *before* its password is checked, by one atomic UPDATE per counter, so
// parallel attempts cannot outrun the limit (docs/security.md). Three counters per attempt:
//   - (e-mail address, client address): 5 in 15 minutes lock that pair for 15 minutes, so one
//     attacker cannot lock an administrator out from everywhere;
//   - e-mail address: 50 from any mix of clients lock the address for everyone (guessing spread
//     over many clients);
//   - client address: 20 failures across all e-mail addresses (an address sprayed over accounts).
// The right password takes its own attempt back and ends the pair's count. Rows whose window and
// lock are over are deleted. Applies equally to unknown e-mail addresses: it reveals nothing.
import { db } from "../db";
import { prismaCode } from "../errors";

export const THROTTLE = {
  maxFailures: 5,
  maxFailuresPerAddress: 50,
  maxFailuresPerClient: 20,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
} as const;

type Scope = "pair" | "email" | "client";
interface Counter {
  key: string;
  max: number;
  scope: Scope;
}

const emailKey = (email: string) => `email:${email.trim().toLowerCase()}`;
/** client null: unknown (e.g. `next dev`, or a request that did not pass the configured proxies). */
const clientPart = (client: string | null) => `client:${client ?? "unknown"}`;
// In this order, and an attempt refused by one counter is not counted by the next: a client that is
// locked (or over its cap) cannot push an e-mail address's shared count up to lock it for everyone.
const counters = (email: string, client: string | null): Counter[] => [
  { key: clientPart(client), max: THROTTLE.maxFailuresPerClient, scope: "client" },
  { key: `${emailKey(email)}|${clientPart(client)}`, max: THROTTLE.maxFailures, scope: "pair" },
  { key: emailKey(email), max: THROTTLE.maxFailuresPerAddress, scope: "email" },
];

/**
 * Adds one attempt to `key`'s current window (opening a new one when the last has ended) and returns
 * the row as that statement left it: one UPDATE … RETURNING, so among parallel attempts each sees its
 * own count.
 */
async function countAttempt(key: string, now: Date) {
  const windowOpenSince = new Date(now.getTime() - THROTTLE.windowMs);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await db().signInThrottle.update({
        where: { key, windowStart: { gt: windowOpenSince } },
        data: { failures: { increment: 1 } },
      });
    } catch (err) {
      if (prismaCode(err) !== "P2025") throw err;
    }
    // No open window: restart it. Only one of several racing attempts matches; the others count above.
    try {
      return await db().signInThrottle.update({
        where: { key, windowStart: { lte: windowOpenSince } },
        data: { failures: 1, windowStart: now },
      });
    } catch (err) {
      if (prismaCode(err) !== "P2025") throw err;
    }
    try {
      return await db().signInThrottle.create({ data: { key, failures: 1, windowStart: now } });
    } catch (err) {
      if (prismaCode(err) !== "P2002") throw err; // created meanwhile by a parallel attempt: count again
    }
  }
  throw new Error("sign-in throttle: could not count the attempt");
}

export type SignInVerdict =
  | { ok: true }
  | { ok: false; reason: "wrong_password" }
  | { ok: false; reason: "locked"; scope: Scope; retryAfterMs: number };

/**
 * Counts the attempt, refuses it without calling `checkPassword` when a counter is over its limit or
 * locked, otherwise calls it once: true (the right password) takes the attempt back, false locks
 * every counter that has reached its limit. An error from `checkPassword` leaves the attempt counted.
 */
export async function throttledSignIn(
  email: string,
  client: string | null,
  checkPassword: () => Promise<boolean>,
  now = new Date(),
): Promise<SignInVerdict> {
  const all = counters(email, client);
  // Forget what is over: windows ended and locks lifted.
  await db().signInThrottle.deleteMany({
    where: {
      windowStart: { lte: new Date(now.getTime() - THROTTLE.windowMs) },
      OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }],
    },
  });
  for (const c of all) {
    const row = await countAttempt(c.key, now);
    const lockedFor = row.lockedUntil ? row.lockedUntil.getTime() - now.getTime() : 0;
    // Over the limit but not locked yet (the attempt that reached it is still checking): until its window ends.
    const overFor = row.failures > c.max ? row.windowStart.getTime() + THROTTLE.windowMs - now.getTime() : 0;
    const wait = Math.max(lockedFor, overFor);
    if (wait > 0) return { ok: false, reason: "locked", scope: c.scope, retryAfterMs: wait };
  }

  const right = await checkPassword();
  if (right) {
    for (const c of all) {
      if (c.scope === "pair") await db().signInThrottle.deleteMany({ where: { key: c.key } });
      else
        await db().signInThrottle.updateMany({
          where: { key: c.key, failures: { gt: 0 } },
          data: { failures: { decrement: 1 } },
        });
    }
    return { ok: true };
  }
  const lockedUntil = new Date(now.getTime() + THROTTLE.lockMs);
  for (const c of all) {
    await db().signInThrottle.updateMany({
      where: {
        key: c.key,
        failures: { gte: c.max },
        OR: [{ lockedUntil: null }, { lockedUntil: { lt: lockedUntil } }],
      },
      data: { lockedUntil },
    });
  }
  return { ok: false, reason: "wrong_password" };
}
