// docs/security.md sign-in throttle, on both databases: attempts counted atomically before the password
// check, per (e-mail, client), per e-mail across clients, per client across e-mails; old rows deleted.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { THROTTLE, throttledSignIn, type SignInVerdict } from "@/lib/dal/sign-in-throttle";
import { resetDb } from "../helpers/db";

beforeEach(resetDb);

const ATTACKER = "203.0.113.5";
const ADMIN = "198.51.100.7";
const at = (t0: Date, ms: number) => new Date(t0.getTime() + ms);
const T0 = new Date("2026-01-01T10:00:00Z");
const wrong = async () => false;
const right = async () => true;
const attempt = (email: string, client: string | null, check: () => Promise<boolean>, when: Date) =>
  throttledSignIn(email, client, check, when);
const locked = (v: SignInVerdict) => (!v.ok && v.reason === "locked" ? v : null);

describe("sign-in throttle", () => {
  it("counts before checking: 60 parallel wrong attempts check the password at most 5 times, then the lock", async () => {
    let checks = 0;
    const check = async () => {
      checks++;
      await new Promise((r) => setTimeout(r, 20)); // a password hash takes time: the race window
      return false;
    };
    const now = new Date();
    const verdicts = await Promise.all(
      Array.from({ length: 60 }, () => throttledSignIn("victim@example.com", ATTACKER, check, now)),
    );
    // Each attempt sees its own count: exactly the limit is checked, not fewer, not more.
    expect(checks).toBe(THROTTLE.maxFailures);
    expect(verdicts.filter((v) => !v.ok && v.reason === "wrong_password")).toHaveLength(checks);
    expect(verdicts.filter((v) => locked(v)).length).toBe(60 - checks);
    // Afterwards even the right password is refused, and not checked, from that client.
    const after = await throttledSignIn(
      "victim@example.com",
      ATTACKER,
      async () => {
        checks++;
        return true;
      },
      now,
    );
    expect(locked(after)).toMatchObject({ scope: "client" }); // 61 attempts from one address: over its cap of 20
    expect(locked(after)!.retryAfterMs).toBeGreaterThan(0);
    expect(checks).toBe(THROTTLE.maxFailures);
    const pair = await db().signInThrottle.findUniqueOrThrow({
      where: { key: "email:victim@example.com|client:203.0.113.5" },
    });
    expect(pair.lockedUntil!.getTime()).toBe(now.getTime() + THROTTLE.lockMs);
  });

  it("locks an e-mail address for the client that failed, for the lock period, then forgets (rows deleted)", async () => {
    for (let i = 0; i < THROTTLE.maxFailures; i++) {
      expect(await attempt("WHO@example.com", ATTACKER, wrong, at(T0, i * 1000))).toEqual({
        ok: false,
        reason: "wrong_password",
      });
    }
    const last = at(T0, (THROTTLE.maxFailures - 1) * 1000);
    const refused = locked(await attempt("who@example.com", ATTACKER, right, at(last, 1)));
    expect(refused).toMatchObject({ scope: "pair" });
    expect(refused!.retryAfterMs).toBe(THROTTLE.lockMs - 1);
    // The administrator at another address is not locked out by someone else's failures.
    expect(await attempt("who@example.com", ADMIN, right, at(last, 2))).toEqual({ ok: true });
    expect(await attempt("other@example.com", ATTACKER, right, at(last, 3))).toEqual({ ok: true });
    // After the lock and the window: allowed again, and the stale rows are gone.
    const later = at(last, THROTTLE.lockMs + THROTTLE.windowMs);
    expect(await attempt("who@example.com", ATTACKER, right, later)).toEqual({ ok: true });
    const keys = (await db().signInThrottle.findMany({ select: { key: true } })).map((r) => r.key);
    expect(keys).not.toContain("email:who@example.com|client:203.0.113.5");
  });

  it("locks the address for every client when failures come from many clients", async () => {
    let n = 0;
    for (let c = 0; n < THROTTLE.maxFailuresPerAddress; c++) {
      for (let i = 0; i < THROTTLE.maxFailures - 1 && n < THROTTLE.maxFailuresPerAddress; i++, n++) {
        expect((await attempt("target@example.com", `192.0.2.${c}`, wrong, at(T0, n * 1000))).ok).toBe(false);
      }
    }
    const refused = locked(await attempt("target@example.com", ADMIN, right, at(T0, n * 1000)));
    expect(refused).toMatchObject({ scope: "email" });
    expect(refused!.retryAfterMs).toBeGreaterThan(THROTTLE.lockMs - 2000);
  });

  it("caps one client's failures across e-mail addresses, without locking those addresses for others", async () => {
    for (let i = 0; i < THROTTLE.maxFailuresPerClient; i++) {
      expect(await attempt(`user${i}@example.com`, ATTACKER, wrong, at(T0, i))).toEqual({
        ok: false,
        reason: "wrong_password",
      });
    }
    expect(locked(await attempt("user99@example.com", ATTACKER, right, at(T0, 100)))).toMatchObject({
      scope: "client",
    });
    // Spraying on from the capped client counts nowhere else: the accounts stay open to their owners.
    for (let i = 0; i < 60; i++) await attempt("user0@example.com", ATTACKER, wrong, at(T0, 200 + i));
    expect(await attempt("user0@example.com", ADMIN, right, at(T0, 1000))).toEqual({ ok: true });
  });

  it("takes a successful attempt back: a right password does not count toward any limit", async () => {
    for (let i = 0; i < 3 * THROTTLE.maxFailuresPerClient; i++) {
      expect(await attempt("me@example.com", ADMIN, right, at(T0, i))).toEqual({ ok: true });
    }
    expect(await attempt("me@example.com", ADMIN, wrong, at(T0, 1000))).toEqual({
      ok: false,
      reason: "wrong_password",
    });
  });

  it("starts a new window when failures are spread out; an unknown client is a client of its own", async () => {
    for (let i = 0; i < THROTTLE.maxFailures + 2; i++) {
      expect(
        await attempt("slow@example.com", null, wrong, at(T0, i * (THROTTLE.windowMs + THROTTLE.lockMs + 1))),
      ).toEqual({ ok: false, reason: "wrong_password" });
    }
    const t1 = at(T0, 100 * THROTTLE.windowMs);
    for (let i = 0; i < THROTTLE.maxFailures; i++) await attempt("quick@example.com", null, wrong, at(t1, i));
    expect(locked(await attempt("quick@example.com", null, right, at(t1, 10)))).not.toBeNull();
    expect(await attempt("quick@example.com", ADMIN, right, at(t1, 10))).toEqual({ ok: true });
  });
});
