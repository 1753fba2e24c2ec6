// Small conversions of stored columns shared by the data access modules: the one way to read a JSON
// column (a corrupt or unexpected value reads as empty, never as an exception in a page).
import { type SignedIdentityMode } from "../identity/vocabulary";
import type { TokenPolicy } from "../validations/community-settings";

function parseJsonColumn<T>(text: string, accept: (v: unknown) => T | null, empty: T): T {
  try {
    return accept(JSON.parse(text)) ?? empty;
  } catch {
    return empty;
  }
}

export const parseJsonArray = (text: string): string[] =>
  parseJsonColumn(text, (v) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : null), []);

export const parseJsonObject = (text: string): Record<string, unknown> =>
  parseJsonColumn(
    text,
    (v) => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null),
    {},
  );

export const asMode = (m: string): SignedIdentityMode => (m === "accept" || m === "require" ? m : "reject");

/** A community row's token policy in the document's words (each null when not checked). */
export const tokenPolicyOf = (c: {
  expectedIssuer: string | null;
  expectedAudience: string | null;
  maxTokenLifetimeMinutes: number | null;
}): TokenPolicy => ({
  expected_issuer: c.expectedIssuer,
  expected_audience: c.expectedAudience,
  max_token_lifetime_minutes: c.maxTokenLifetimeMinutes,
});
