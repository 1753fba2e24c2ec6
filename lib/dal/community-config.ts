// Configuration as code (docs/cli.md): export one community as a document; import a document as the
// desired state — validated in full first (every problem with its JSON path, nothing applied), then
// applied in one transaction.
import { db, type Tx } from "../db";
import { ConfigValidationError, DomainError, forbidden, type Problem } from "../errors";
import { canManage } from "../authz";
import { inspectPublicKey } from "../identity/public-key";
import { communityConfigSchema, type CommunityConfig } from "../validations/community-config";
import { jsonPath } from "../errors";
import { assertReader } from "./access";
import { audit } from "./audit";
import type { ChangeActor } from "./community-change";
import { asMode, parseJsonArray, tokenPolicyOf } from "./row-format";
import { keyMaterial } from "./jwt-keys";
import { invalidateRuntimeConfig } from "./runtime-config";
import { isTransientConflict, serializable } from "./retry";
import { openHmacSecret } from "./hmac-secrets";
import { logger } from "../logger";
import { checkJwksUrl, JwksError } from "../jwks/fetch";
import { jwksOptions } from "../jwks/cache";
import { CHOICE_TYPES, isPublicKeyAlgorithm, type FieldType, type PublicKeyAlgorithm } from "../identity/vocabulary";

type ExportedKey = (
  | { kid: string; algorithm: "HS256"; secret?: string }
  | { kid: string; algorithm: PublicKeyAlgorithm; public_key: string }
) & { expires_at?: string };

/** Secrets (HMAC keys) only for administrators and the operator CLI (null). */
export async function exportCommunityConfig(
  actor: ChangeActor,
  slug: string,
  options: { includeSecrets?: boolean } = {},
) {
  assertReader(actor);
  if (options.includeSecrets && actor && !canManage(actor)) throw forbidden("export secrets");
  const c = await db().community.findUnique({
    where: { slug },
    include: {
      jwtKeys: { orderBy: [{ createdAt: "asc" }, { kid: "asc" }] },
      customFields: { orderBy: [{ position: "asc" }, { createdAt: "asc" }] },
      extraValueMappings: { orderBy: { key: "asc" } },
    },
  });
  if (!c) throw new DomainError("not_found", `No community with identifier "${slug}"`);
  logger.info({ slug, includeSecrets: options.includeSecrets === true }, "configuration exported");
  const jwt_keys: ExportedKey[] = c.jwtKeys.map((k) => ({
    ...(isPublicKeyAlgorithm(k.algorithm)
      ? { kid: k.kid, algorithm: k.algorithm, public_key: k.publicKeyPem ?? "" }
      : options.includeSecrets && k.secretCiphertext
        ? { kid: k.kid, algorithm: "HS256", secret: openHmacSecret(c.id, k.kid, k.secretCiphertext) }
        : { kid: k.kid, algorithm: "HS256" as const }),
    ...(k.expiresAt ? { expires_at: k.expiresAt.toISOString() } : {}),
  }));
  return {
    version: 1 as const,
    community: {
      name: c.name,
      slug: c.slug,
      signed_identities: asMode(c.signedIdentities),
      clock_skew_seconds: c.clockSkewSeconds,
      allowed_origins: parseJsonArray(c.allowedOrigins),
      rate_limit_per_minute: c.rateLimitPerMinute,
      identity_retention_days: c.identityRetentionDays,
      jwt_keys,
      ...(c.jwksUrl ? { jwks_url: c.jwksUrl } : {}),
      token_policy: tokenPolicyOf(c),
      custom_fields: c.customFields.map((f) => ({
        key: f.key,
        label: f.label,
        type: f.type as FieldType,
        ...(CHOICE_TYPES.includes(f.type as FieldType) ? { choices: parseJsonArray(f.choices) } : {}),
        ...(f.regex ? { regex: f.regex } : {}),
      })),
      extra_value_mappings: c.extraValueMappings.map((m) => ({ key: m.key, field: m.field })),
    },
  };
}

/** Parses and checks a whole document without touching the database. */
export function validateCommunityConfig(raw: unknown): CommunityConfig {
  const parsed = communityConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigValidationError(
      parsed.error.issues.map((i) => ({ path: jsonPath(i.path) || "(document)", message: i.message })),
    );
  }
  const issues: Problem[] = [];
  parsed.data.community.jwt_keys.forEach((k, i) => {
    if (k.algorithm === "HS256") return;
    const inspected = inspectPublicKey(k.algorithm, k.public_key);
    if (!inspected.ok) issues.push({ path: `community.jwt_keys[${i}].public_key`, message: inspected.message });
  });
  if (issues.length) throw new ConfigValidationError(issues);
  return parsed.data;
}

export interface ImportSummary {
  slug: string;
  created: boolean;
  keys: { added: string[]; replaced: string[]; kept: string[]; removed: string[] };
  customFields: number;
  mappings: number;
}

export async function importCommunityConfig(actor: ChangeActor, raw: unknown): Promise<ImportSummary> {
  if (actor && !canManage(actor)) throw forbidden("import configuration");
  const config = validateCommunityConfig(raw);
  const want = config.community;
  // A JWKS URL is checked like anywhere it is saved: https, and a host that resolves only to public addresses.
  if (want.jwks_url) {
    try {
      await checkJwksUrl(want.jwks_url, jwksOptions());
    } catch (err) {
      if (err instanceof JwksError)
        throw new ConfigValidationError([{ path: "community.jwks_url", message: err.message }]);
      throw err;
    }
  }
  try {
    const summary = await serializable((tx) => apply(tx, actor, want), { timeout: 30_000 });
    invalidateRuntimeConfig(want.slug);
    logger.info(
      { actor: actor?.email ?? "cli", slug: want.slug, created: summary.created, keys: summary.keys },
      "configuration imported",
    );
    return summary;
  } catch (err) {
    if (isTransientConflict(err))
      throw new DomainError(
        "conflict",
        "The community kept changing while importing; nothing was applied. Run the import again.",
      );
    throw err;
  }
}

async function apply(tx: Tx, actor: ChangeActor, want: CommunityConfig["community"]): Promise<ImportSummary> {
  const existing = await tx.community.findUnique({ where: { slug: want.slug }, include: { jwtKeys: true } });
  const storedKeys = new Map((existing?.jwtKeys ?? []).map((k) => [k.kid, k]));

  // Secrets omitted from the document must already be stored for that kid.
  const issues: Problem[] = [];
  want.jwt_keys.forEach((k, i) => {
    if (k.algorithm === "HS256" && !k.secret) {
      const stored = storedKeys.get(k.kid);
      if (!stored || stored.algorithm !== "HS256" || !stored.secretCiphertext) {
        issues.push({
          path: `community.jwt_keys[${i}].secret`,
          message: `Required: no HS256 secret is stored for kid "${k.kid}" yet`,
        });
      }
    }
  });
  if (issues.length) throw new ConfigValidationError(issues);

  const data = {
    name: want.name,
    signedIdentities: want.signed_identities,
    clockSkewSeconds: want.clock_skew_seconds,
    allowedOrigins: JSON.stringify(want.allowed_origins),
    rateLimitPerMinute: want.rate_limit_per_minute,
    identityRetentionDays: want.identity_retention_days,
    jwksUrl: want.jwks_url ?? null,
    expectedIssuer: want.token_policy.expected_issuer,
    expectedAudience: want.token_policy.expected_audience,
    maxTokenLifetimeMinutes: want.token_policy.max_token_lifetime_minutes,
  };
  const community = existing
    ? await tx.community.update({ where: { id: existing.id }, data: { ...data, configVersion: { increment: 1 } } })
    : await tx.community.create({ data: { slug: want.slug, ...data } });

  const summary: ImportSummary = {
    slug: want.slug,
    created: !existing,
    keys: { added: [], replaced: [], kept: [], removed: [] },
    customFields: 0,
    mappings: 0,
  };
  const wantedKids = new Set(want.jwt_keys.map((k) => k.kid));
  for (const stored of storedKeys.values()) {
    if (!wantedKids.has(stored.kid)) {
      await tx.jwtKey.delete({ where: { id: stored.id } });
      summary.keys.removed.push(stored.kid);
    }
  }
  for (const k of want.jwt_keys) {
    const stored = storedKeys.get(k.kid);
    const expiresAt = k.expires_at ? new Date(k.expires_at) : null;
    if (stored && stored.algorithm === k.algorithm) {
      const same =
        k.algorithm === "HS256"
          ? !k.secret || openHmacSecret(community.id, k.kid, stored.secretCiphertext!) === k.secret
          : stored.fingerprint === (inspectPublicKey(k.algorithm, k.public_key) as { fingerprint: string }).fingerprint;
      if (same) {
        // The same key; its expiry is whatever the document says (absent: none).
        if ((stored.expiresAt?.getTime() ?? null) !== (expiresAt?.getTime() ?? null))
          await tx.jwtKey.update({ where: { id: stored.id }, data: { expiresAt } });
        summary.keys.kept.push(k.kid);
        continue;
      }
    }
    const material = await keyMaterial(tx, community.id, k as Parameters<typeof keyMaterial>[2]);
    if (stored) {
      // New material under an old kid is a new key: it has not been used yet.
      await tx.jwtKey.update({
        where: { id: stored.id },
        data: { algorithm: k.algorithm, ...material, expiresAt, createdAt: new Date(), lastUsedAt: null },
      });
      summary.keys.replaced.push(k.kid);
    } else {
      await tx.jwtKey.create({
        data: { communityId: community.id, kid: k.kid, algorithm: k.algorithm, ...material, expiresAt },
      });
      summary.keys.added.push(k.kid);
    }
  }

  await tx.customField.deleteMany({
    where: { communityId: community.id, key: { notIn: want.custom_fields.map((f) => f.key) } },
  });
  for (const [position, f] of want.custom_fields.entries()) {
    const values = { label: f.label, type: f.type, choices: JSON.stringify(f.choices), regex: f.regex, position };
    await tx.customField.upsert({
      where: { communityId_key: { communityId: community.id, key: f.key } },
      create: { communityId: community.id, key: f.key, ...values },
      update: values,
    });
  }
  summary.customFields = want.custom_fields.length;

  await tx.extraValueMapping.deleteMany({ where: { communityId: community.id } });
  for (const m of want.extra_value_mappings)
    await tx.extraValueMapping.create({ data: { communityId: community.id, key: m.key, field: m.field } });
  summary.mappings = want.extra_value_mappings.length;

  await audit(tx, actor ?? { id: null, email: "cli" }, "community.import", {
    communityId: community.id,
    targetLabel: want.slug,
    details: {
      created: summary.created,
      signed_identities: want.signed_identities,
      clock_skew_seconds: want.clock_skew_seconds,
      allowed_origins: want.allowed_origins,
      rate_limit_per_minute: want.rate_limit_per_minute,
      identity_retention_days: want.identity_retention_days,
      jwks_url: want.jwks_url ?? null,
      token_policy: want.token_policy,
      keys: summary.keys,
      custom_fields: want.custom_fields.map((f) => f.key),
      extra_value_mappings: want.extra_value_mappings,
    },
  });
  return summary;
}
