import { describe, expect, it } from "vitest";
import { currentTime } from "./clock";

describe("currentTime", () => {
  it("is now, from the platform's Date even after the global one is replaced (as Next.js does)", () => {
    const platform = globalThis.Date;
    let wrapped = 0;
    // A stand-in for Next's wrapper: counts every construction and every Date.now().
    const wrapper = new Proxy(platform, {
      construct(target, args: unknown[]) {
        wrapped++;
        return Reflect.construct(target, args) as object;
      },
      get(target, prop, receiver) {
        if (prop === "now") return () => (wrapped++, platform.now());
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    globalThis.Date = wrapper;
    try {
      const before = platform.now();
      const t = currentTime();
      expect(t).toBeInstanceOf(platform);
      expect(t.getTime()).toBeGreaterThanOrEqual(before);
      expect(t.getTime() - before).toBeLessThan(1000);
      expect(wrapped).toBe(0);
      new Date(); // (the stand-in does count)
      expect(wrapped).toBe(1);
    } finally {
      globalThis.Date = platform;
    }
  });
});
