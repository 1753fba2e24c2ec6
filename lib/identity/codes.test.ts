// The identity route's status table is the one docs/reference.md publishes, code for code.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_MESSAGE, ERROR_STATUS } from "./codes";

// docs/reference.md "Statuses and codes", transcribed.
const REFERENCE: Record<number, string[]> = {
  400: ["invalid_body", "token_malformed", "exp_missing", "uuid_missing"],
  401: [
    "unknown_kid",
    "key_expired",
    "alg_not_allowed",
    "alg_mismatch",
    "bad_signature",
    "iss_mismatch",
    "aud_mismatch",
    "exp_too_soon",
    "nbf_in_future",
    "iat_in_future",
    "token_lifetime_too_long",
    "token_revoked",
  ],
  403: ["signed_identity_rejected", "signed_identity_required", "verified_identity_locked", "origin_not_allowed"],
  404: ["community_not_found"],
  413: ["payload_too_large"],
  415: ["unsupported_media_type"],
  429: ["rate_limited"],
  503: ["unavailable", "keyset_unavailable"],
};

/** The status → codes table as docs/reference.md writes it (| 400 | `a`, `b` |), in its "Statuses and codes". */
function referenceTable(markdown: string): Record<number, string[]> {
  const start = markdown.indexOf("## Statuses and codes");
  const section = markdown.slice(start, markdown.indexOf("\n## ", start + 1));
  const table: Record<number, string[]> = {};
  for (const line of section.split("\n")) {
    const m = /^\|\s*(\d{3})\s*\|(.*)\|\s*$/.exec(line);
    if (m) table[Number(m[1])] = [...m[2]!.matchAll(/`([a-z_]+)`/g)].map((x) => x[1]!);
  }
  return table;
}

const byStatus = () => {
  const out: Record<number, string[]> = {};
  for (const [code, status] of Object.entries(ERROR_STATUS)) (out[status] ??= []).push(code);
  return out;
};
const sorted = (t: Record<number, string[]>) =>
  Object.fromEntries(Object.entries(t).map(([k, v]) => [k, [...v].sort()]));

describe("error codes (docs/reference.md)", () => {
  it("map to exactly the statuses of the reference, every code with a message", () => {
    expect(sorted(byStatus())).toEqual(sorted(REFERENCE));
    for (const code of Object.keys(ERROR_STATUS))
      expect(ERROR_MESSAGE[code as keyof typeof ERROR_MESSAGE]).toBeTruthy();
  });

  it("the transcription above is docs/reference.md's table as it stands", () => {
    const reference = fs.readFileSync(path.resolve(import.meta.dirname, "../../docs/reference.md"), "utf8");
    expect(sorted(referenceTable(reference))).toEqual(sorted(REFERENCE));
  });
});
