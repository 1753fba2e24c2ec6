// Which keys need an administrator's attention (docs/reference.md): expired, expiring within 14 days, or unused
// for 30 days while other keys are used — probably safe to remove. Pure: the key list, the overview and
// the tests read it from here. No framework imports.

export const EXPIRY_WARNING_DAYS = 14;
export const UNUSED_DAYS = 30;
const DAY_MS = 86_400_000;

export interface KeyUsageFacts {
  kid: string;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

export type KeyHealth =
  | { state: "expired"; message: string }
  | { state: "expiring"; message: string }
  | { state: "unused"; message: string }
  | { state: "ok" };

/** "in 3 days", "in 5 hours", "in 20 minutes" (whole units left, rounded down). */
export function formatTimeLeft(ms: number): string {
  const [n, unit] =
    ms >= 2 * DAY_MS
      ? [Math.floor(ms / DAY_MS), "day"]
      : ms >= 2 * 3_600_000
        ? [Math.floor(ms / 3_600_000), "hour"]
        : [Math.max(1, Math.floor(ms / 60_000)), "minute"];
  return `in ${n} ${unit}${n === 1 ? "" : "s"}`;
}

export function keyHealth(keys: KeyUsageFacts[], now: Date = new Date()): Map<string, KeyHealth> {
  const t = now.getTime();
  const recentlyUsed = (k: KeyUsageFacts) => k.lastUsedAt !== null && t - k.lastUsedAt.getTime() < UNUSED_DAYS * DAY_MS;
  const health = new Map<string, KeyHealth>();
  for (const k of keys) {
    const left = k.expiresAt ? k.expiresAt.getTime() - t : null;
    if (left !== null && left <= 0) {
      health.set(k.kid, { state: "expired", message: "Expired: tokens naming it are refused (key_expired)." });
    } else if (left !== null && left <= EXPIRY_WARNING_DAYS * DAY_MS) {
      health.set(k.kid, {
        state: "expiring",
        message: `Expires ${formatTimeLeft(left)}: move the website to another key before then.`,
      });
    } else if (
      !recentlyUsed(k) &&
      t - k.createdAt.getTime() >= UNUSED_DAYS * DAY_MS &&
      keys.some((other) => other.kid !== k.kid && recentlyUsed(other))
    ) {
      health.set(k.kid, {
        state: "unused",
        message: `No token in ${UNUSED_DAYS} days while other keys are used: probably safe to remove.`,
      });
    } else health.set(k.kid, { state: "ok" });
  }
  return health;
}
