// The identity route's view of a community's configuration, cached in the process: keys are
// decrypted and imported once per configuration version. Each community's (id, version) is re-read
// at most once per CHECK_INTERVAL_MS, so a change made by any instance takes effect everywhere within
// that bound; a change made in this process takes effect at once (invalidateRuntimeConfig).
//
// The route is public, so the cache is bounded (docs/security.md): at most MAX_ENTRIES slugs, found or not,
// and MAX_BYTES of estimated configuration, least recently used first out. Callers check the slug
// rule before asking, so a miss costs one indexed lookup of a well-formed slug.
import { LRUCache } from "lru-cache";
import { db } from "../db";
import { buildRuntimeConfig, estimateConfigBytes, type ConfigSource, type RuntimeConfig } from "../identity/config";
import { asMode, parseJsonArray } from "./row-format";
import { openHmacSecret } from "./hmac-secrets";
import { keysetKey } from "../jwks/cache";
import { loadRevocations } from "./revocations";
import { isPublicKeyAlgorithm, type FieldType } from "../identity/vocabulary";
import { IDENTITY_ROUTE_EVENTS } from "../webhooks/events";

export const CHECK_INTERVAL_MS = 1000;
export const CONFIG_CACHE_LIMITS = { maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 } as const;

interface Entry {
  /** null: no community has this slug (a negative entry, so repeated misses cost no lookup). */
  communityId: string | null;
  version: number | null;
  config: RuntimeConfig | null;
  checkedAt: number;
}
const NEGATIVE_ENTRY_BYTES = 256;

const cache = new LRUCache<string, Entry>({
  max: CONFIG_CACHE_LIMITS.maxEntries,
  maxSize: CONFIG_CACHE_LIMITS.maxBytes,
  sizeCalculation: (e, slug) => slug.length * 2 + (e.config ? estimateConfigBytes(e.config) : NEGATIVE_ENTRY_BYTES),
});
// One load per slug at a time; entries leave when their load settles, so this is bounded by the
// requests in flight.
const inflight = new Map<string, Promise<RuntimeConfig | null>>();

async function loadSource(communityId: string): Promise<ConfigSource | null> {
  const c = await db().community.findUnique({
    where: { id: communityId },
    include: { jwtKeys: true, customFields: { orderBy: { position: "asc" } }, extraValueMappings: true },
  });
  if (!c) return null;
  const revocations = await loadRevocations(c.id, c.tokensRevokedAt);
  const endpoints = await db().webhookEndpoint.findMany({
    where: { communityId: c.id, enabled: true },
    select: { events: true },
  });
  return {
    communityId: c.id,
    slug: c.slug,
    version: c.configVersion,
    mode: asMode(c.signedIdentities),
    clockSkewSeconds: c.clockSkewSeconds,
    rateLimitPerMinute: c.rateLimitPerMinute,
    allowedOrigins: parseJsonArray(c.allowedOrigins),
    jwksUrl: c.jwksUrl,
    // Each instance caches its own keyset; a URL change is a configuration change like any other.
    keyset: c.jwksUrl ? (kid, nowMs) => keysetKey(c.id, c.jwksUrl!, kid, nowMs) : null,
    keys: c.jwtKeys.map((k) =>
      isPublicKeyAlgorithm(k.algorithm)
        ? { id: k.id, kid: k.kid, algorithm: k.algorithm, publicKeyPem: k.publicKeyPem ?? "", expiresAt: k.expiresAt }
        : {
            id: k.id,
            kid: k.kid,
            algorithm: "HS256" as const,
            secret: openHmacSecret(c.id, k.kid, k.secretCiphertext ?? ""),
            expiresAt: k.expiresAt,
          },
    ),
    customFields: c.customFields.map((f) => ({
      key: f.key,
      label: f.label,
      type: f.type as FieldType,
      choices: parseJsonArray(f.choices),
      regex: f.regex,
    })),
    mappings: c.extraValueMappings.map((m) => ({ key: m.key, field: m.field })),
    tokenPolicy: {
      issuer: c.expectedIssuer,
      audience: c.expectedAudience,
      maxLifetimeMinutes: c.maxTokenLifetimeMinutes,
    },
    revocation: revocations.lookup,
    revocationsHeld: revocations.cached,
    identityEvents: endpoints.some((e) =>
      parseJsonArray(e.events).some((t) => (IDENTITY_ROUTE_EVENTS as readonly string[]).includes(t)),
    ),
  };
}

async function refresh(slug: string, cached: Entry | undefined): Promise<RuntimeConfig | null> {
  const row = await db().community.findUnique({ where: { slug }, select: { id: true, configVersion: true } });
  if (!row) {
    cache.set(slug, { communityId: null, version: null, config: null, checkedAt: Date.now() });
    return null;
  }
  // Same community (not one deleted and recreated under this slug) at the same version: keep it.
  if (cached?.config && cached.communityId === row.id && cached.version === row.configVersion) {
    cached.checkedAt = Date.now();
    return cached.config;
  }
  const source = await loadSource(row.id);
  const config = source ? await buildRuntimeConfig(source) : null;
  cache.set(slug, {
    communityId: config?.communityId ?? null,
    version: config?.version ?? null,
    config,
    checkedAt: Date.now(),
  });
  return config;
}

/**
 * The configuration for `slug` when the cache holds a fresh answer (null: no such community), else
 * undefined — the hot path's lookup without a promise; `getRuntimeConfig` when it is undefined.
 */
export function freshRuntimeConfig(slug: string, now = Date.now()): RuntimeConfig | null | undefined {
  const cached = cache.get(slug);
  if (!cached || now - cached.checkedAt >= CHECK_INTERVAL_MS) return undefined;
  cacheLookups.hit++;
  return cached.config;
}

/** The configuration for `slug`, or null when there is no such community. Throws when the database is unreachable. */
export async function getRuntimeConfig(slug: string, now = Date.now()): Promise<RuntimeConfig | null> {
  const fresh = freshRuntimeConfig(slug, now);
  if (fresh !== undefined) return fresh;
  const cached = cache.get(slug);
  cacheLookups.miss++;
  let pending = inflight.get(slug);
  if (!pending) {
    pending = refresh(slug, cached).finally(() => inflight.delete(slug));
    inflight.set(slug, pending);
  }
  return pending;
}

/** Lookups answered from the cache without a database read, and the others (for /api/metrics). */
export const cacheLookups = { hit: 0, miss: 0 };

export function invalidateRuntimeConfig(slug?: string) {
  if (slug) cache.delete(slug);
  else cache.clear();
}

/** The configuration cached for `slug`, if any: no I/O, no change to what the cache keeps. */
export function cachedRuntimeConfig(slug: string): RuntimeConfig | null {
  return cache.peek(slug)?.config ?? null;
}

/** What the cache holds now (tests, diagnostics). */
export function runtimeConfigCacheStats() {
  return { entries: cache.size, bytes: cache.calculatedSize };
}
