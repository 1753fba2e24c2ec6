// The configuration the identity route verifies against, in the form the hot path needs: keys
// imported once into CryptoKeys (never per request), regexes compiled once. Pure: jose + re2js.
import { importSPKI } from "jose";
import { RE2JS } from "re2js";
import { type FieldType, type JwtAlgorithm, type PublicKeyAlgorithm, type SignedIdentityMode } from "./vocabulary";

export interface VerifierKey {
  /** The stored key's id (usage counters are kept per key row). */
  id: string;
  kid: string;
  algorithm: JwtAlgorithm;
  key: CryptoKey;
  /** Epoch ms from which tokens naming this key are refused `key_expired`; null: never. */
  expiresAt: number | null;
}

/**
 * The community's published keyset (docs/reference.md), when it names a JWKS URL: the key for a kid, "unknown"
 * when the keyset lacks it, "unavailable" when there is no usable keyset. Supplied by the data layer.
 */
export type KeysetLookup = (
  kid: string,
  nowMs: number,
) => Promise<{ kid: string; algorithm: PublicKeyAlgorithm; key: CryptoKey } | "unknown" | "unavailable">;

/**
 * When tokens for `uuid` were last revoked (epoch ms) — the community's "revoke all tokens" or the uuid's
 * "sign out everywhere", whichever is later — or null. Supplied by the data layer; answered from memory in
 * the common case (docs/reference.md, revocation).
 */
export type RevocationLookup = (uuid: string) => number | null | Promise<number | null>;

/** Who a signed token must be made for, and how long it may live (docs/reference.md, token policy). */
export interface TokenPolicyRules {
  issuer: string | null;
  audience: string | null;
  maxLifetimeSeconds: number | null;
}

export interface RuntimeCustomField {
  key: string;
  label: string;
  type: FieldType;
  choices: string[];
  regex: RE2JS | null;
}

export interface RuntimeConfig {
  communityId: string;
  slug: string;
  version: number;
  mode: SignedIdentityMode;
  clockSkewSeconds: number;
  /** Identity route POSTs per client address and minute (docs/reference.md); 0 = no limit. */
  rateLimitPerMinute: number;
  /** Exact origins; `anyOrigin` when the list holds "*". */
  allowedOrigins: Set<string>;
  anyOrigin: boolean;
  keys: Map<string, VerifierKey>;
  /** The JWKS URL, if any, and how to look up its keys; configured keys win over published ones. */
  jwksUrl: string | null;
  keyset: KeysetLookup | null;
  customFields: Map<string, RuntimeCustomField>;
  mappings: { key: string; field: string }[];
  tokenPolicy: TokenPolicyRules;
  /** null: nothing was ever revoked in this community (no lookup at all). */
  revocation: RevocationLookup | null;
  /** How many per-uuid revocations the lookup holds in memory (for the cache's byte bound). */
  revocationsHeld: number;
  /** An enabled webhook endpoint wants identity.created/verified/updated: stores write their events. */
  identityEvents: boolean;
}

export interface ConfigSource {
  communityId: string;
  slug: string;
  version: number;
  mode: SignedIdentityMode;
  clockSkewSeconds: number;
  rateLimitPerMinute: number;
  allowedOrigins: string[];
  keys: ((
    | { id: string; kid: string; algorithm: "HS256"; secret: string }
    | { id: string; kid: string; algorithm: PublicKeyAlgorithm; publicKeyPem: string }
  ) & { expiresAt?: Date | null })[];
  jwksUrl?: string | null;
  keyset?: KeysetLookup | null;
  customFields: { key: string; label: string; type: FieldType; choices: string[]; regex: string | null }[];
  mappings: { key: string; field: string }[];
  tokenPolicy?: { issuer: string | null; audience: string | null; maxLifetimeMinutes: number | null };
  revocation?: RevocationLookup | null;
  revocationsHeld?: number;
  identityEvents?: boolean;
}

async function importKey(k: ConfigSource["keys"][number]): Promise<VerifierKey> {
  const expiresAt = k.expiresAt ? k.expiresAt.getTime() : null;
  if (k.algorithm === "HS256") {
    // The secret is used as the UTF-8 bytes of its 24-character string (docs/reference.md). Imported as a
    // CryptoKey here, once: given raw bytes (what jose's importJWK returns for "oct"), jose imports them
    // again on every verification — 9% of the route's CPU under load (docs/benchmarks.md).
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(k.secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["verify"],
    );
    return { id: k.id, kid: k.kid, algorithm: "HS256", key, expiresAt };
  }
  // Imported for its algorithm only: an ES256 key cannot verify an EdDSA signature, nor the reverse.
  const key = await importSPKI(k.publicKeyPem, k.algorithm);
  return { id: k.id, kid: k.kid, algorithm: k.algorithm, key, expiresAt };
}

export async function buildRuntimeConfig(source: ConfigSource): Promise<RuntimeConfig> {
  const keys = await Promise.all(source.keys.map(importKey));
  return {
    communityId: source.communityId,
    slug: source.slug,
    version: source.version,
    mode: source.mode,
    clockSkewSeconds: source.clockSkewSeconds,
    rateLimitPerMinute: source.rateLimitPerMinute,
    allowedOrigins: new Set(source.allowedOrigins.filter((o) => o !== "*")),
    anyOrigin: source.allowedOrigins.includes("*"),
    keys: new Map(keys.map((k) => [k.kid, k])),
    jwksUrl: source.jwksUrl ?? null,
    keyset: source.jwksUrl ? (source.keyset ?? null) : null,
    customFields: new Map(
      source.customFields.map((f) => [f.key, { ...f, regex: f.regex ? RE2JS.compile(f.regex) : null }]),
    ),
    mappings: source.mappings,
    tokenPolicy: {
      issuer: source.tokenPolicy?.issuer ?? null,
      audience: source.tokenPolicy?.audience ?? null,
      maxLifetimeSeconds: source.tokenPolicy?.maxLifetimeMinutes ? source.tokenPolicy.maxLifetimeMinutes * 60 : null,
    },
    revocation: source.revocation ?? null,
    revocationsHeld: source.revocationsHeld ?? 0,
    identityEvents: source.identityEvents ?? false,
  };
}

/** A rough upper estimate of what a configuration holds in memory, for the cache's byte bound. */
export function estimateConfigBytes(c: RuntimeConfig): number {
  let bytes = 2048 + c.slug.length * 2;
  for (const o of c.allowedOrigins) bytes += 64 + o.length * 2;
  bytes += c.keys.size * 4096; // CryptoKey handles (an RSA key's native state is the largest)
  for (const f of c.customFields.values())
    bytes += 512 + (f.label.length + f.key.length) * 2 + f.choices.join("").length * 2 + (f.regex ? 8192 : 0);
  bytes += c.mappings.length * 160;
  bytes += c.revocationsHeld * 200; // a 64-character hex digest and a number, as a Map entry
  return bytes;
}
