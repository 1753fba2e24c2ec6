import { describe, expect, it } from "vitest";
import { consoleCsp } from "./csp";

describe("consoleCsp", () => {
  it("allows scripts only by nonce in production, no eval, no framing, no plugins", () => {
    const csp = consoleCsp("abc", false);
    expect(csp).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic';");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("base-uri 'none'");
  });

  it("lets the dev server's eval-based tooling run outside production", () => {
    expect(consoleCsp("abc", true)).toContain("'strict-dynamic' 'unsafe-eval'");
  });
});
