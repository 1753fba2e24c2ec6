import { describe, expect, it } from "vitest";
import { formatTimeLeft, keyHealth, type KeyUsageFacts } from "./key-health";

const NOW = new Date("2027-01-31T12:00:00Z");
const days = (n: number) => new Date(NOW.getTime() + n * 86_400_000);
const key = (kid: string, facts: Partial<KeyUsageFacts> = {}): KeyUsageFacts => ({
  kid,
  expiresAt: null,
  lastUsedAt: null,
  createdAt: days(-365),
  ...facts,
});

describe("keyHealth", () => {
  it("marks expired keys, and keys expiring within 14 days with the time left", () => {
    const h = keyHealth(
      [
        key("gone", { expiresAt: days(-1), lastUsedAt: days(-2) }),
        key("at_now", { expiresAt: NOW }),
        key("soon", { expiresAt: days(3.5), lastUsedAt: days(0) }),
        key("edge", { expiresAt: days(14), lastUsedAt: days(0) }),
        key("later", { expiresAt: days(14.01), lastUsedAt: days(0) }),
      ],
      NOW,
    );
    expect(h.get("gone")).toEqual({
      state: "expired",
      message: "Expired: tokens naming it are refused (key_expired).",
    });
    expect(h.get("at_now")?.state).toBe("expired");
    expect(h.get("soon")).toEqual({
      state: "expiring",
      message: "Expires in 3 days: move the website to another key before then.",
    });
    expect(h.get("edge")?.state).toBe("expiring");
    expect(h.get("later")).toEqual({ state: "ok" });
  });

  it("calls a key probably safe to remove only when it is unused for 30 days while another key is used", () => {
    const used = key("current", { lastUsedAt: days(-1) });
    const h = keyHealth(
      [
        used,
        key("old", { lastUsedAt: days(-31) }),
        key("never_used", {}),
        key("young", { createdAt: days(-10) }),
        key("recent", { lastUsedAt: days(-29) }),
      ],
      NOW,
    );
    expect(h.get("old")).toEqual({
      state: "unused",
      message: "No token in 30 days while other keys are used: probably safe to remove.",
    });
    expect(h.get("never_used")?.state).toBe("unused");
    expect(h.get("young")).toEqual({ state: "ok" }); // just added: the website may not use it yet
    expect(h.get("recent")).toEqual({ state: "ok" });
    expect(h.get("current")).toEqual({ state: "ok" });
    // Nothing used at all (e.g. a community not live yet): no key is called removable.
    expect(keyHealth([key("a"), key("b", { lastUsedAt: days(-40) })], NOW).get("a")).toEqual({ state: "ok" });
  });

  it("words the time left", () => {
    expect(formatTimeLeft(3.9 * 86_400_000)).toBe("in 3 days");
    expect(formatTimeLeft(47 * 3_600_000)).toBe("in 47 hours");
    expect(formatTimeLeft(90 * 60_000)).toBe("in 90 minutes");
    expect(formatTimeLeft(10_000)).toBe("in 1 minute");
  });
});
