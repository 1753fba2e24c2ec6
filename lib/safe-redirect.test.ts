import { describe, expect, it } from "vitest";
import { DEFAULT_RETURN_PATH, safeReturnPath } from "./safe-redirect";

const BASE = "https://vouch.example.com";
const HOME = DEFAULT_RETURN_PATH;

// Each hostile value raw and percent-encoded once (as a link would carry it inside ?next=).
const hostile = [
  "//evil.example",
  "///evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\t/evil.example",
  "/\t\t//evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "/\u0000/evil.example",
  "/%2Fevil.example",
  "/%2F%2Fevil.example",
  "/%5Cevil.example",
  "/%09/evil.example",
  "/%0D%0A/evil.example",
  "%2F%2Fevil.example",
  "https://evil.example",
  "http:/evil.example",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "/\uff0f/evil.example", // full-width solidus
  "/\u2215evil.example", // division slash
  "/\u2044evil.example", // fraction slash
  "/\uff3cevil.example", // full-width reverse solidus
  "/%EF%BC%8Fevil.example", // U+FF0F, encoded
  "/%E2%88%95evil.example", // U+2215, encoded
  " /communities",
  "communities",
  "",
  "/%",
  "/%zz",
  "/" + "a".repeat(600),
];

describe("safeReturnPath", () => {
  it.each([
    ["/communities/acme", "/communities/acme"],
    ["/communities/acme/verification-log?code=bad_signature", "/communities/acme/verification-log?code=bad_signature"],
    ["/communities/acme/identities?q=John%20Doe", "/communities/acme/identities?q=John%20Doe"],
    ["/accounts#tokens", "/accounts#tokens"],
    [undefined, HOME],
    [null, HOME],
    [["/communities/acme", "//evil.example"], HOME],
    [42, HOME],
  ])("%j → %j", (input, expected) => expect(safeReturnPath(input)).toBe(expected));

  const cases = hostile.flatMap((v) => [
    [`raw ${JSON.stringify(v)}`, v],
    [`encoded ${JSON.stringify(v)}`, encodeURIComponent(v)],
  ]);
  it.each(cases)("%s goes home and never off-origin", (_name, value) => {
    const out = safeReturnPath(value);
    expect(out).toBe(HOME);
    expect(new URL(out, BASE).origin).toBe(BASE);
  });

  it("whatever it returns stays on this origin as a browser resolves it (fuzzed ASCII and look-alikes)", () => {
    const alphabet = [
      "/",
      "\\",
      "%2F",
      "%5C",
      "%09",
      "\t",
      "\n",
      ":",
      ".",
      "evil",
      "@",
      "?",
      "#",
      "\uff0f",
      "%",
      "a",
      " ",
    ];
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 5000; i++) {
      const value = Array.from({ length: 1 + rand(8) }, () => alphabet[rand(alphabet.length)]).join("");
      const out = safeReturnPath(value);
      expect(new URL(out, BASE).origin, value).toBe(BASE);
      expect(out.startsWith("//")).toBe(false);
    }
  });
});
