// Reading a community's identity configuration for the console, and changing its mode and leeway.
import { db } from "../db";
import { DomainError } from "../errors";
import {
  allowedOriginsSchema,
  rateLimitFormSchema,
  retentionFormSchema,
  type RetentionFormInput,
  signedIdentitySettingsSchema,
  type RateLimitFormInput,
  type SignedIdentitySettingsInput,
  tokenPolicyFormSchema,
  type TokenPolicy,
  type TokenPolicyFormInput,
} from "../validations/community-settings";
import { changeCommunity, type ChangeActor } from "./community-change";
import { jwtKeySelect, toJwtKeyDto, type JwtKeyDto } from "./jwt-keys";
import { asMode, parseJsonArray, tokenPolicyOf } from "./row-format";
import { type FieldType, type SignedIdentityMode } from "../identity/vocabulary";
import { canManage, type Actor } from "../authz";

export interface CustomFieldDto {
  key: string;
  label: string;
  type: FieldType;
  choices: string[];
  regex: string | null;
}
export interface MappingDto {
  key: string;
  field: string;
}
export interface IdentitySettingsDto {
  id: string;
  slug: string;
  name: string;
  signedIdentities: SignedIdentityMode;
  clockSkewSeconds: number;
  allowedOrigins: string[];
  rateLimitPerMinute: number;
  identityRetentionDays: number;
  jwksUrl: string | null;
  tokenPolicy: TokenPolicy;
  /** "Revoke all tokens": tokens issued before this instant are refused; null: never done. */
  tokensRevokedAt: Date | null;
  configVersion: number;
  createdAt: Date;
  keys: JwtKeyDto[];
  customFields: CustomFieldDto[];
  mappings: MappingDto[];
}

/**
 * A community's identity configuration as `actor` may see it: admins get the last 4 characters of
 * HMAC secrets to recognise them, viewers no part of any secret (docs/security.md). Never a whole secret.
 */
export async function getIdentitySettings(
  actor: Pick<Actor, "role">,
  slug: string,
): Promise<IdentitySettingsDto | null> {
  const revealSecretHints = canManage(actor);
  const c = await db().community.findUnique({
    where: { slug },
    select: {
      id: true,
      slug: true,
      name: true,
      signedIdentities: true,
      clockSkewSeconds: true,
      allowedOrigins: true,
      rateLimitPerMinute: true,
      identityRetentionDays: true,
      jwksUrl: true,
      expectedIssuer: true,
      expectedAudience: true,
      maxTokenLifetimeMinutes: true,
      tokensRevokedAt: true,
      configVersion: true,
      createdAt: true,
      jwtKeys: { select: jwtKeySelect, orderBy: [{ createdAt: "asc" }, { kid: "asc" }] },
      customFields: {
        select: { key: true, label: true, type: true, choices: true, regex: true },
        orderBy: [{ position: "asc" }, { createdAt: "asc" }],
      },
      extraValueMappings: { select: { key: true, field: true }, orderBy: { key: "asc" } },
    },
  });
  if (!c) return null;
  return {
    id: c.id,
    slug: c.slug,
    name: c.name,
    signedIdentities: asMode(c.signedIdentities),
    clockSkewSeconds: c.clockSkewSeconds,
    allowedOrigins: parseJsonArray(c.allowedOrigins),
    rateLimitPerMinute: c.rateLimitPerMinute,
    identityRetentionDays: c.identityRetentionDays,
    jwksUrl: c.jwksUrl,
    tokenPolicy: tokenPolicyOf(c),
    tokensRevokedAt: c.tokensRevokedAt,
    configVersion: c.configVersion,
    createdAt: c.createdAt,
    keys: c.jwtKeys.map(toJwtKeyDto).map((k) => (revealSecretHints ? k : { ...k, maskedSecret: null })),
    customFields: c.customFields.map((f) => ({ ...f, type: f.type as FieldType, choices: parseJsonArray(f.choices) })),
    mappings: c.extraValueMappings,
  };
}

export async function updateSignedIdentitySettings(actor: ChangeActor, slug: string, raw: SignedIdentitySettingsInput) {
  const input = signedIdentitySettingsSchema.parse(raw);
  return changeCommunity(actor, slug, "change the signed identities mode", async (tx, community) => {
    const from = { signed_identities: community.signedIdentities, clock_skew_seconds: community.clockSkewSeconds };
    if (from.signed_identities === input.signed_identities && from.clock_skew_seconds === input.clock_skew_seconds) {
      return { result: input, unchanged: true as const };
    }
    if (
      input.signed_identities !== "reject" &&
      !community.jwksUrl &&
      (await tx.jwtKey.count({ where: { communityId: community.id } })) === 0
    ) {
      throw new DomainError(
        "conflict",
        `Add a JWT key or a JWKS URL first: “${input.signed_identities}” needs at least one key to verify signed identities with`,
        "signed_identities",
      );
    }
    await tx.community.update({
      where: { id: community.id },
      data: { signedIdentities: input.signed_identities, clockSkewSeconds: input.clock_skew_seconds },
    });
    const details: Record<string, { from: unknown; to: unknown }> = {};
    if (from.signed_identities !== input.signed_identities)
      details.signed_identities = { from: from.signed_identities, to: input.signed_identities };
    if (from.clock_skew_seconds !== input.clock_skew_seconds)
      details.clock_skew_seconds = { from: from.clock_skew_seconds, to: input.clock_skew_seconds };
    return { result: input, action: "community.signed_identities", details };
  });
}

export async function updateAllowedOrigins(actor: ChangeActor, slug: string, raw: string[]) {
  const origins = [...new Set(allowedOriginsSchema.parse(raw))];
  return changeCommunity(actor, slug, "change allowed origins", async (tx, community) => {
    const before = parseJsonArray(community.allowedOrigins);
    if (JSON.stringify(before) === JSON.stringify(origins)) return { result: origins, unchanged: true as const };
    await tx.community.update({ where: { id: community.id }, data: { allowedOrigins: JSON.stringify(origins) } });
    return {
      result: origins,
      action: "community.allowed_origins",
      details: { allowed_origins: { from: before, to: origins } },
    };
  });
}

/** How long identities are kept after their last update (docs/reference.md). */
export const updateRetention = (actor: ChangeActor, slug: string, raw: RetentionFormInput) =>
  updateNumberSetting(actor, slug, {
    column: "identityRetentionDays",
    field: "identity_retention_days",
    to: retentionFormSchema.parse(raw).identity_retention_days,
    what: "change identity retention",
    action: "community.identity_retention",
  });

/** The identity route's per-client limit for this community (docs/reference.md). */
export const updateRateLimit = (actor: ChangeActor, slug: string, raw: RateLimitFormInput) =>
  updateNumberSetting(actor, slug, {
    column: "rateLimitPerMinute",
    field: "rate_limit_per_minute",
    to: rateLimitFormSchema.parse(raw).rate_limit_per_minute,
    what: "change the rate limit",
    action: "community.rate_limit",
  });

/** One whole-number column of the community: unchanged is no write and no audit entry. */
async function updateNumberSetting(
  actor: ChangeActor,
  slug: string,
  s: {
    column: "identityRetentionDays" | "rateLimitPerMinute";
    field: string;
    to: number;
    what: string;
    action: string;
  },
) {
  return changeCommunity(actor, slug, s.what, async (tx, community) => {
    const from = community[s.column];
    if (from === s.to) return { result: s.to, unchanged: true as const };
    await tx.community.update({ where: { id: community.id }, data: { [s.column]: s.to } });
    return { result: s.to, action: s.action, details: { [s.field]: { from, to: s.to } } };
  });
}

/** The token policy (docs/reference.md, token policy): who signed tokens must be made for, how long they live. */
export async function updateTokenPolicy(actor: ChangeActor, slug: string, raw: TokenPolicyFormInput) {
  const input: TokenPolicy = tokenPolicyFormSchema.parse(raw);
  return changeCommunity(actor, slug, "change the token policy", async (tx, community) => {
    const row = await tx.community.findUniqueOrThrow({
      where: { id: community.id },
      select: { expectedIssuer: true, expectedAudience: true, maxTokenLifetimeMinutes: true },
    });
    const before = tokenPolicyOf(row);
    const details: Record<string, { from: unknown; to: unknown }> = {};
    for (const k of Object.keys(input) as (keyof TokenPolicy)[])
      if (before[k] !== input[k]) details[k] = { from: before[k], to: input[k] };
    if (Object.keys(details).length === 0) return { result: input, unchanged: true as const };
    await tx.community.update({
      where: { id: community.id },
      data: {
        expectedIssuer: input.expected_issuer,
        expectedAudience: input.expected_audience,
        maxTokenLifetimeMinutes: input.max_token_lifetime_minutes,
      },
    });
    return { result: input, action: "community.token_policy", details };
  });
}
