import { describe, expect, it } from "vitest";
import { foreignActionOrigin } from "./action-origin";

describe("foreignActionOrigin", () => {
  it("accepts the site's own origin, and no Origin at all", () => {
    expect(foreignActionOrigin("https://vouch.example.com", "vouch.example.com")).toBeNull();
    expect(foreignActionOrigin("http://127.0.0.1:3100", "127.0.0.1:3100")).toBeNull();
    expect(foreignActionOrigin(null, "vouch.example.com")).toBeNull();
  });

  it("refuses another site, another port, an opaque origin and garbage, saying which", () => {
    expect(foreignActionOrigin("https://evil.example", "vouch.example.com")).toMatch(
      /not from https:\/\/evil\.example/,
    );
    expect(foreignActionOrigin("http://127.0.0.1:9999", "127.0.0.1:3100")).toMatch(/not from/);
    expect(foreignActionOrigin("https://vouch.example.com.evil.example", "vouch.example.com")).toMatch(/not from/);
    expect(foreignActionOrigin("null", "vouch.example.com")).toBe('Origin "null" is not an origin');
    expect(foreignActionOrigin("https://vouch.example.com", null)).toMatch(/not from/);
    expect(foreignActionOrigin("data:text/html,x", "")).toMatch(/not from/);
  });
});
