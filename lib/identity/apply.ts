// From identity data to the identity agents see (docs/reference.md): predefined attributes, raw extra values,
// then the mappings (a mapped value wins over an attribute for the same field); each value checked
// against its field's rules, custom fields against type and regex. Failing values are skipped and
// reported, never stored.
import type { RuntimeConfig, RuntimeCustomField } from "./config";
import type { IdentityData, Scalar } from "./data";
import { customKeyOf, PREDEFINED_ATTRIBUTES, type SkipReason } from "./vocabulary";

export type CustomValue = string | number | boolean | string[];
export interface Skipped {
  target: string;
  reason: SkipReason;
  source: string;
}
export interface AppliedIdentity {
  fields: Record<string, string>;
  customFields: Record<string, CustomValue>;
  extraValues: Record<string, Scalar>;
  /** Where each stored value came from: "attribute", "extra_values.<key>" or "uuid". */
  sources: Record<string, string>;
  skipped: Skipped[];
}

const MAX_LENGTH: Record<string, number> = {
  notes: 4096,
  avatar_url: 2048,
  email: 254,
  home_phone: 64,
  mobile_phone: 64,
};
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkPredefined(field: string, value: string): Skipped["reason"] | null {
  if (value.length > (MAX_LENGTH[field] ?? 255)) return "too_long";
  if (field === "email" && !EMAIL.test(value)) return "invalid_email";
  if (field === "avatar_url") {
    try {
      const u = new URL(value);
      if (u.protocol !== "https:" && u.protocol !== "http:") return "invalid_url";
    } catch {
      return "invalid_url";
    }
  }
  return null;
}

const asText = (v: Exclude<Scalar, null>) => (typeof v === "string" ? v : String(v));

function coerceCustom(
  field: RuntimeCustomField,
  raw: Exclude<Scalar, null>,
): { value: CustomValue } | { reason: Skipped["reason"] } {
  const s = asText(raw).trim();
  let value: CustomValue;
  switch (field.type) {
    case "string":
      if (s.length > 255 || /[\r\n]/.test(s)) return { reason: s.length > 255 ? "too_long" : "type_mismatch" };
      value = s;
      break;
    case "text":
      if (s.length > 4096) return { reason: "too_long" };
      value = s;
      break;
    case "integer":
      if (!/^-?\d{1,15}$/.test(s)) return { reason: "type_mismatch" };
      value = Number(s);
      break;
    case "float":
      if (!/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(s) || !Number.isFinite(Number(s))) return { reason: "type_mismatch" };
      value = Number(s);
      break;
    case "boolean":
      if (raw === true || s === "true") value = true;
      else if (raw === false || s === "false") value = false;
      else return { reason: "type_mismatch" };
      break;
    case "single_choice":
      if (!field.choices.includes(s)) return { reason: "not_a_choice" };
      value = s;
      break;
    case "multiple_choice": {
      const picked = s
        .split(",")
        .map((c) => c.trim())
        .filter(Boolean);
      if (picked.length === 0 || !picked.every((c) => field.choices.includes(c))) return { reason: "not_a_choice" };
      value = [...new Set(picked)];
      break;
    }
  }
  // The regex sees the value as the visitor sent it (search semantics, linear time).
  if (field.regex && !field.regex.matcher(asText(raw)).find()) return { reason: "regex_mismatch" };
  return { value };
}

export function applyIdentity(config: RuntimeConfig, uuid: string, data: IdentityData): AppliedIdentity {
  const out: AppliedIdentity = { fields: {}, customFields: {}, extraValues: {}, sources: {}, skipped: [] };
  const setPredefined = (field: string, value: string, source: string) => {
    const reason = checkPredefined(field, value);
    if (reason) {
      out.skipped.push({ target: field, reason, source });
      return;
    }
    out.fields[field] = value;
    out.sources[field] = source;
  };
  for (const attr of PREDEFINED_ATTRIBUTES) {
    const v = data[attr];
    if (typeof v === "string" && v.length > 0) setPredefined(attr, v, "attribute");
  }
  // Visitor-chosen keys: own properties only, copied as data (a key "__proto__" or "constructor" is
  // just a key, never the prototype or an inherited function).
  const extra = data.extra_values ?? {};
  out.extraValues = Object.fromEntries(Object.entries(extra));

  for (const m of config.mappings) {
    const source = m.key === "uuid" ? "uuid" : `extra_values.${m.key}`;
    const raw: Scalar | undefined = m.key === "uuid" ? uuid : Object.hasOwn(extra, m.key) ? extra[m.key] : undefined;
    if (raw === undefined || raw === null || raw === "") continue;
    const key = customKeyOf(m.field);
    if (key !== null) {
      const field = config.customFields.get(key);
      if (!field) continue;
      const result = coerceCustom(field, raw);
      if ("reason" in result) out.skipped.push({ target: m.field, reason: result.reason, source });
      else {
        out.customFields[key] = result.value;
        out.sources[m.field] = source;
      }
    } else {
      // The mapped value wins over the attribute of the same name.
      delete out.fields[m.field];
      delete out.sources[m.field];
      out.skipped = out.skipped.filter((s) => !(s.target === m.field && s.source === "attribute"));
      setPredefined(m.field, asText(raw), source);
    }
  }
  return out;
}
