// Small conversions of stored columns shared by the data access modules.
import type { SignedIdentityMode } from "../validations/community-settings";

export const parseJsonArray = (text: string): string[] => {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
};

export const parseJsonObject = (text: string): Record<string, unknown> => {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

export const asMode = (m: string): SignedIdentityMode => (m === "accept" || m === "require" ? m : "reject");
