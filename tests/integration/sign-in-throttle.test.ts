import { beforeEach, describe, expect, it } from "vitest";
import { THROTTLE, clearSignInFailures, recordSignInFailure, signInRetryAfter } from "@/lib/dal/sign-in-throttle";
import { resetDb } from "../helpers/db";

beforeEach(resetDb);

describe("sign-in throttle", () => {
  it("locks an address after repeated failures, for the lock period, then forgets", async () => {
    const t0 = new Date("2026-01-01T10:00:00Z");
    for (let i = 1; i < THROTTLE.maxFailures; i++) {
      await recordSignInFailure("who@example.com", new Date(t0.getTime() + i * 1000));
      expect(await signInRetryAfter("who@example.com", t0)).toBe(0);
    }
    const last = new Date(t0.getTime() + 10_000);
    await recordSignInFailure("WHO@example.com", last); // same address, other case
    expect(await signInRetryAfter("who@example.com", last)).toBe(THROTTLE.lockMs);
    expect(await signInRetryAfter("other@example.com", last)).toBe(0);
    expect(await signInRetryAfter("who@example.com", new Date(last.getTime() + THROTTLE.lockMs))).toBe(0);
    await clearSignInFailures("who@example.com");
    expect(await signInRetryAfter("who@example.com", last)).toBe(0);
  });

  it("starts a new window when failures are spread out", async () => {
    const t0 = new Date("2026-01-01T10:00:00Z");
    for (let i = 0; i < THROTTLE.maxFailures; i++) {
      await recordSignInFailure("slow@example.com", new Date(t0.getTime() + i * (THROTTLE.windowMs + 1)));
    }
    expect(await signInRetryAfter("slow@example.com", new Date(t0.getTime() + 5 * THROTTLE.windowMs))).toBe(0);
  });
});
