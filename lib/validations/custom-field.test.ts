import { describe, expect, it } from "vitest";
import { customFieldSchema, fieldKeyFromLabel, regexMatches, regexProblem } from "./custom-field";
import { mappingTargetSchema } from "./mapping";
import { extraValueKeySchema } from "../identity/vocabulary";
import { allowedOriginSchema, signedIdentitySettingsSchema } from "./community-settings";

const issues = (input: unknown) =>
  customFieldSchema.safeParse(input).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];

describe("custom fields (docs/reference.md)", () => {
  it("derives the key from the label when left empty", () => {
    expect(customFieldSchema.parse({ label: "Customer ID", type: "string" })).toEqual({
      label: "Customer ID",
      key: "customer_id",
      type: "string",
      choices: [],
      regex: null,
    });
    expect(fieldKeyFromLabel("  Numéro de client (FR) ")).toBe("numero_de_client_fr");
  });

  it("validates an explicit key, and a label with nothing to derive from", () => {
    expect(issues({ label: "X", key: "Bad Key", type: "string" })).toEqual([
      "key: Use lower-case letters, digits and _ only (no spaces)",
    ]);
    expect(issues({ label: "!!!", type: "string" })).toEqual([
      "key: Enter a key: the label has no letters or digits to make one from",
    ]);
  });

  it("requires choices for choice types, refuses them elsewhere, and refuses duplicates", () => {
    expect(issues({ label: "Plan", type: "single_choice" })).toEqual(["choices: Add at least one choice"]);
    expect(issues({ label: "Age", type: "integer", choices: ["1"] })).toEqual([
      "choices: Only choice types have choices",
    ]);
    expect(issues({ label: "Plan", type: "multiple_choice", choices: ["a", "b", "a"] })).toEqual([
      'choices.2: "a" is listed twice',
    ]);
    expect(
      customFieldSchema.parse({ label: "Plan", type: "single_choice", choices: [" gold ", "silver"] }).choices,
    ).toEqual(["gold", "silver"]);
  });

  it("refuses unknown types", () => {
    expect(issues({ label: "X", type: "date" })).toEqual(["type: Choose a type"]);
  });

  it("validates the regex when saved, with the engine's own message", () => {
    expect(customFieldSchema.parse({ label: "Customer ID", type: "string", regex: "^C[0-9]{6}$" }).regex).toBe(
      "^C[0-9]{6}$",
    );
    expect(issues({ label: "X", type: "string", regex: "(unclosed" })).toEqual([
      "regex: Invalid regular expression: missing closing ): `(unclosed`",
    ]);
    expect(regexProblem("(?<=a)b")).toMatch(/Invalid regular expression/); // no lookbehind in RE2
    expect(issues({ label: "X", type: "string", regex: "a".repeat(501) })).toEqual([
      "regex: A regex has at most 500 characters",
    ]);
  });

  it("matches like the identity route will: search semantics, anchors honoured, linear time", () => {
    expect(regexMatches("^C[0-9]{6}$", "C123456")).toBe(true);
    expect(regexMatches("^C[0-9]{6}$", "54579fed6d617868b3010000")).toBe(false);
    expect(regexMatches("C[0-9]+", "id: C12")).toBe(true);
    // Catastrophic for a backtracking engine; RE2 answers at once.
    expect(regexMatches("^(a+)+$", "a".repeat(50_000) + "b")).toBe(false);
  });
});

describe("extra value mappings (docs/reference.md)", () => {
  it.each(["cell_number", "uuid", "Customer Number", "x".repeat(64)])("accepts the key %j", (k) => {
    expect(extraValueKeySchema.safeParse(k).success).toBe(true);
  });
  it.each([
    ["", "Enter the extra value's key"],
    [" padded", "Remove the spaces around the key"],
    ["a.b", "cannot contain “.”"],
    ["$where", "cannot contain “$”"],
    ["x".repeat(65), "at most 64"],
  ])("refuses the key %j", (k, message) =>
    expect(extraValueKeySchema.safeParse(k).error?.issues[0]?.message).toContain(message),
  );

  it.each(["firstname", "avatar_url", "mobile_phone", "custom:customer_id"])("accepts the destination %j", (t) => {
    expect(mappingTargetSchema.safeParse(t).success).toBe(true);
  });
  it.each(["uuid", "birthday", "custom:", "custom:Bad Key", "Firstname"])("refuses the destination %j", (t) => {
    expect(mappingTargetSchema.safeParse(t).success).toBe(false);
  });
});

describe("community settings", () => {
  it.each(["https://shop.example.com", "http://localhost:8080", "*"])("accepts the origin %j", (o) => {
    expect(allowedOriginSchema.safeParse(o).success).toBe(true);
  });
  it.each([
    "https://shop.example.com/",
    "https://shop.example.com/path",
    "shop.example.com",
    "ftp://x.example",
    "https://*.example.com",
  ])("refuses the origin %j", (o) => expect(allowedOriginSchema.safeParse(o).success).toBe(false));
  it("bounds the clock skew leeway to 0–300 whole seconds", () => {
    const ok = (s: number) =>
      signedIdentitySettingsSchema.safeParse({ signed_identities: "require", clock_skew_seconds: s }).success;
    expect([ok(0), ok(10), ok(300), ok(301), ok(-1), ok(1.5)]).toEqual([true, true, true, false, false, false]);
  });
});
