// The identity route's view of a community's configuration, cached in the process: keys are
// decrypted and imported once per configuration version. Each community's version is re-read at
// most once per CHECK_INTERVAL_MS, so a change made by any instance takes effect everywhere within
// that bound; a change made in this process takes effect at once (invalidateRuntimeConfig).
import { db } from "../db";
import { processShared } from "../process-shared";
import { buildRuntimeConfig, type ConfigSource, type RuntimeConfig } from "../identity/config";
import type { FieldType } from "../validations/custom-field";
import { asMode, parseJsonArray } from "./row-format";
import { openHmacSecret } from "./hmac-secrets";

export const CHECK_INTERVAL_MS = 1000;

interface Entry {
  config: RuntimeConfig | null;
  version: number | null;
  checkedAt: number;
}
// Shared by both copies of lib/ in the production server: console changes invalidate it in Next's copy,
// the identity route reads it in the other.
const { cache, inflight } = processShared("runtimeConfig", () => ({
  cache: new Map<string, Entry>(),
  inflight: new Map<string, Promise<RuntimeConfig | null>>(),
}));

async function loadSource(slug: string): Promise<ConfigSource | null> {
  const c = await db().community.findUnique({
    where: { slug },
    include: { jwtKeys: true, customFields: { orderBy: { position: "asc" } }, extraValueMappings: true },
  });
  if (!c) return null;
  return {
    communityId: c.id,
    slug: c.slug,
    version: c.configVersion,
    mode: asMode(c.signedIdentities),
    clockSkewSeconds: c.clockSkewSeconds,
    allowedOrigins: parseJsonArray(c.allowedOrigins),
    keys: c.jwtKeys.map((k) =>
      k.algorithm === "RS256"
        ? { id: k.id, kid: k.kid, algorithm: "RS256" as const, publicKeyPem: k.publicKeyPem ?? "" }
        : { id: k.id, kid: k.kid, algorithm: "HS256" as const, secret: openHmacSecret(c.id, k.kid, k.secretCiphertext ?? "") },
    ),
    customFields: c.customFields.map((f) => ({ key: f.key, label: f.label, type: f.type as FieldType, choices: parseJsonArray(f.choices), regex: f.regex })),
    mappings: c.extraValueMappings.map((m) => ({ key: m.key, field: m.field })),
  };
}

async function refresh(slug: string, cached: Entry | undefined): Promise<RuntimeConfig | null> {
  const row = await db().community.findUnique({ where: { slug }, select: { configVersion: true } });
  if (!row) {
    cache.set(slug, { config: null, version: null, checkedAt: Date.now() });
    return null;
  }
  if (cached?.config && cached.version === row.configVersion) {
    cached.checkedAt = Date.now();
    return cached.config;
  }
  const source = await loadSource(slug);
  const config = source ? await buildRuntimeConfig(source) : null;
  cache.set(slug, { config, version: config?.version ?? null, checkedAt: Date.now() });
  return config;
}

/** The configuration for `slug`, or null when there is no such community. Throws when the database is unreachable. */
export async function getRuntimeConfig(slug: string, now = Date.now()): Promise<RuntimeConfig | null> {
  const cached = cache.get(slug);
  if (cached && now - cached.checkedAt < CHECK_INTERVAL_MS) return cached.config;
  let pending = inflight.get(slug);
  if (!pending) {
    pending = refresh(slug, cached).finally(() => inflight.delete(slug));
    inflight.set(slug, pending);
  }
  return pending;
}

export function invalidateRuntimeConfig(slug?: string) {
  if (slug) cache.delete(slug);
  else cache.clear();
}
