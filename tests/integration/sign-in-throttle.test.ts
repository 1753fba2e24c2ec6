import { beforeEach, describe, expect, it } from "vitest";
import { THROTTLE, clearSignInFailures, recordSignInFailure, signInRetryAfter } from "@/lib/dal/sign-in-throttle";
import { resetDb } from "../helpers/db";

beforeEach(resetDb);

const ATTACKER = "203.0.113.5";
const ADMIN = "198.51.100.7";
const at = (t0: Date, ms: number) => new Date(t0.getTime() + ms);

describe("sign-in throttle", () => {
  it("locks an e-mail address for the client that failed, for the lock period, then forgets", async () => {
    const t0 = new Date("2026-01-01T10:00:00Z");
    for (let i = 1; i < THROTTLE.maxFailures; i++) {
      await recordSignInFailure("who@example.com", ATTACKER, at(t0, i * 1000));
      expect(await signInRetryAfter("who@example.com", ATTACKER, t0)).toBe(0);
    }
    const last = at(t0, 10_000);
    await recordSignInFailure("WHO@example.com", ATTACKER, last); // same address, other case
    expect(await signInRetryAfter("who@example.com", ATTACKER, last)).toBe(THROTTLE.lockMs);
    // The administrator at another address is not locked out by someone else's failures.
    expect(await signInRetryAfter("who@example.com", ADMIN, last)).toBe(0);
    expect(await signInRetryAfter("other@example.com", ATTACKER, last)).toBe(0);
    expect(await signInRetryAfter("who@example.com", ATTACKER, at(last, THROTTLE.lockMs))).toBe(0);
    await clearSignInFailures("who@example.com", ATTACKER);
    expect(await signInRetryAfter("who@example.com", ATTACKER, last)).toBe(0);
  });

  it("locks the address for every client when failures come from many clients", async () => {
    const t0 = new Date("2026-01-01T10:00:00Z");
    const perClient = THROTTLE.maxFailures - 1; // each client stays just under its own lock
    let n = 0;
    for (let c = 0; n < THROTTLE.maxFailuresPerAddress - 1; c++) {
      for (let i = 0; i < perClient && n < THROTTLE.maxFailuresPerAddress - 1; i++, n++) {
        await recordSignInFailure("target@example.com", `192.0.2.${c}`, at(t0, n * 1000));
      }
    }
    expect(await signInRetryAfter("target@example.com", ADMIN, at(t0, n * 1000))).toBe(0);
    await recordSignInFailure("target@example.com", "192.0.2.200", at(t0, n * 1000));
    expect(await signInRetryAfter("target@example.com", ADMIN, at(t0, n * 1000))).toBe(THROTTLE.lockMs);
    // The right password from anywhere ends both counts.
    await clearSignInFailures("target@example.com", ADMIN);
    expect(await signInRetryAfter("target@example.com", "192.0.2.0", at(t0, n * 1000))).toBe(0);
  });

  it("starts a new window when failures are spread out; an unknown client is a client of its own", async () => {
    const t0 = new Date("2026-01-01T10:00:00Z");
    for (let i = 0; i < THROTTLE.maxFailures; i++) {
      await recordSignInFailure("slow@example.com", null, at(t0, i * (THROTTLE.windowMs + 1)));
    }
    expect(await signInRetryAfter("slow@example.com", null, at(t0, 5 * THROTTLE.windowMs))).toBe(0);
    for (let i = 0; i < THROTTLE.maxFailures; i++) await recordSignInFailure("quick@example.com", null, at(t0, i));
    expect(await signInRetryAfter("quick@example.com", null, at(t0, 10))).toBeGreaterThan(0);
    expect(await signInRetryAfter("quick@example.com", ADMIN, at(t0, 10))).toBe(0);
  });
});
