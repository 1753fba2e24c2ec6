import { describe, expect, it } from "vitest";
import { safeReturnPath } from "./safe-redirect";

describe("safeReturnPath", () => {
  it.each([
    ["/communities/acme", "/communities/acme"],
    ["//evil.example", "/communities"],
    ["https://evil.example", "/communities"],
    ["/\\evil.example", "/communities"],
    [undefined, "/communities"],
  ])("%j → %j", (input, expected) => expect(safeReturnPath(input)).toBe(expected));
});
