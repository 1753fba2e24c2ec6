import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { open, seal } from "./secret-box";

const key = crypto.randomBytes(32);

describe("secret-box (AES-256-GCM)", () => {
  it("round-trips, with a fresh IV each time and no plaintext in the output", () => {
    const a = seal(key, "9aeaf06388b8ab6487d1605b", "jwt_key:c1:prod");
    const b = seal(key, "9aeaf06388b8ab6487d1605b", "jwt_key:c1:prod");
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(a).not.toContain("9aeaf06388b8ab6487d1605b");
    expect(open(key, a, "jwt_key:c1:prod")).toBe("9aeaf06388b8ab6487d1605b");
  });

  it("refuses another row's associated data, another key, or a flipped bit", () => {
    const sealed = seal(key, "secret", "jwt_key:c1:prod");
    expect(() => open(key, sealed, "jwt_key:c2:prod")).toThrow();
    expect(() => open(crypto.randomBytes(32), sealed, "jwt_key:c1:prod")).toThrow();
    const raw = Buffer.from(sealed.slice(3), "base64url");
    raw[raw.length - 1]! ^= 1;
    expect(() => open(key, "v1." + raw.toString("base64url"), "jwt_key:c1:prod")).toThrow();
    expect(() => open(key, "v0.abc", "x")).toThrow(/unknown secret format/);
  });
});
