import { z } from "zod";

import { SIGNED_IDENTITY_MODES } from "../identity/vocabulary";

export const signedIdentitiesSchema = z.enum(SIGNED_IDENTITY_MODES, "Choose reject, accept or require");
export const clockSkewSchema = z
  .number("Enter a number of seconds")
  .int("Use whole seconds")
  .min(0, "At least 0 seconds")
  .max(300, "At most 300 seconds");

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;
export const rateLimitPerMinuteSchema = z
  .number("Enter a number of requests per minute")
  .int("Use a whole number")
  .min(0, "Use 0 (no limit) or a number from 1 to 1,000,000")
  .max(1_000_000, "At most 1,000,000 per minute");

export const DEFAULT_IDENTITY_RETENTION_DAYS = 365;
export const identityRetentionDaysSchema = z
  .number("Enter a number of days")
  .int("Use a whole number of days")
  .min(1, "At least 1 day")
  .max(3650, "At most 3,650 days (10 years)");
export const retentionFormSchema = z.object({ identity_retention_days: identityRetentionDaysSchema });
export type RetentionFormInput = z.input<typeof retentionFormSchema>;

/** The "Limits" form. */
export const rateLimitFormSchema = z.object({ rate_limit_per_minute: rateLimitPerMinuteSchema });
export type RateLimitFormInput = z.input<typeof rateLimitFormSchema>;

/** An allowed origin: "*" or scheme://host[:port] exactly, as browsers send it in the Origin header. */
export const allowedOriginSchema = z.string().refine((value) => {
  if (value === "*") return true;
  try {
    const u = new URL(value);
    const hostOk = /^[a-z0-9-]+(\.[a-z0-9-]+)*$|^\[[0-9a-f:.]+\]$/.test(u.hostname);
    return (u.protocol === "https:" || u.protocol === "http:") && hostOk && u.origin === value;
  } catch {
    return false;
  }
}, "Use an origin like https://shop.example.com (scheme and host, optional port, no path or trailing /) or *");

export const allowedOriginsSchema = z.array(allowedOriginSchema).max(50, "At most 50 origins");

/** The "Signed identities" form. */
export const signedIdentitySettingsSchema = z.object({
  signed_identities: signedIdentitiesSchema,
  clock_skew_seconds: clockSkewSchema,
});
export type SignedIdentitySettingsInput = z.input<typeof signedIdentitySettingsSchema>;

/** The "Widget access" form: one origin per line in the textarea, an array here. */
export const allowedOriginsFormSchema = z.object({ allowed_origins: allowedOriginsSchema });

/** A token policy value (docs/reference.md, token policy): 1–256 printable characters, as the token carries it. */
const policyTextSchema = z
  .string("Enter text")
  .min(1, "Enter 1–256 characters, or leave it empty")
  .max(256, "At most 256 characters")
  .refine((v) => !/[\u0000-\u001f\u007f-\u009f]/.test(v), "Use printable characters only (no control characters)");
export const MIN_TOKEN_LIFETIME_MINUTES = 60;
export const MAX_TOKEN_LIFETIME_MINUTES = 43_200;
const maxLifetimeSchema = z
  .number("Enter a number of minutes")
  .int("Use whole minutes")
  .min(MIN_TOKEN_LIFETIME_MINUTES, "At least 60 minutes (tokens must live at least an hour)")
  .max(MAX_TOKEN_LIFETIME_MINUTES, "At most 43,200 minutes (30 days)");

/** Who a signed token must be made for, and for how long at most; each null when not checked. */
export const tokenPolicySchema = z.strictObject({
  expected_issuer: policyTextSchema.nullable().default(null),
  expected_audience: policyTextSchema.nullable().default(null),
  max_token_lifetime_minutes: maxLifetimeSchema.nullable().default(null),
});
export type TokenPolicy = z.output<typeof tokenPolicySchema>;
export const NO_TOKEN_POLICY: TokenPolicy = {
  expected_issuer: null,
  expected_audience: null,
  max_token_lifetime_minutes: null,
};

/** The "Token policy" form: empty fields are "not checked". */
const emptyAsNull = (v: unknown) => (v === "" || (typeof v === "number" && Number.isNaN(v)) ? null : v);
export const tokenPolicyFormSchema = z.object({
  expected_issuer: z.preprocess(emptyAsNull, policyTextSchema.nullable()),
  expected_audience: z.preprocess(emptyAsNull, policyTextSchema.nullable()),
  max_token_lifetime_minutes: z.preprocess(emptyAsNull, maxLifetimeSchema.nullable()),
});
export type TokenPolicyFormInput = z.input<typeof tokenPolicyFormSchema>;
