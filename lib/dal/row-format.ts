// Small conversions of stored columns shared by the data access modules: the one way to read a JSON
// column (a corrupt or unexpected value reads as empty, never as an exception in a page).
import { type SignedIdentityMode } from "../identity/vocabulary";

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
