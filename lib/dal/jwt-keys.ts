// JWT keys. HMAC secrets are sealed before they reach the database and never leave this module in
// clear except through `openHmacSecret` in ./hmac-secrets (the verifier, export --include-secrets).
import type { Tx } from "../db";
import { sealHmacSecret } from "./hmac-secrets";
import crypto from "node:crypto";
import { canManage } from "../authz";
import { DomainError, forbidden, prismaCode } from "../errors";
import { inspectPublicKey } from "../identity/public-key";
import { isJwtAlgorithm, type JwtAlgorithm, type PublicKeyAlgorithm } from "../identity/vocabulary";
import {
  jwtKeyCreateSchema,
  jwtKeyExpirySchema,
  type JwtKeyCreateInput,
  type JwtKeyExpiryInput,
} from "../validations/jwt-key";
import { changeCommunity, type ChangeActor } from "./community-change";

export interface JwtKeyDto {
  id: string;
  kid: string;
  algorithm: JwtAlgorithm;
  /** HS256: "…" + the last 4 characters; never the secret. */
  maskedSecret: string | null;
  fingerprint: string | null;
  keyBits: number | null;
  publicKeyPem: string | null;
  /** From then on tokens naming this key are refused `key_expired`; null: never. */
  expiresAt: Date | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export const jwtKeySelect = {
  id: true,
  kid: true,
  algorithm: true,
  secretHint: true,
  fingerprint: true,
  keyBits: true,
  publicKeyPem: true,
  expiresAt: true,
  createdAt: true,
  lastUsedAt: true,
} as const;

export function toJwtKeyDto(k: {
  id: string;
  kid: string;
  algorithm: string;
  secretHint: string | null;
  fingerprint: string | null;
  keyBits: number | null;
  publicKeyPem: string | null;
  expiresAt: Date | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}): JwtKeyDto {
  return {
    id: k.id,
    kid: k.kid,
    algorithm: isJwtAlgorithm(k.algorithm) ? k.algorithm : "HS256",
    maskedSecret: k.secretHint ? `…${k.secretHint}` : null,
    fingerprint: k.fingerprint,
    keyBits: k.keyBits,
    publicKeyPem: k.publicKeyPem,
    expiresAt: k.expiresAt,
    createdAt: k.createdAt,
    lastUsedAt: k.lastUsedAt,
  };
}

/** The columns a new key is stored with, inside `tx`; public keys are fully inspected here (type, size, curve). */
export async function keyMaterial(
  tx: Tx,
  communityId: string,
  input:
    | { algorithm: "HS256"; kid: string; secret: string }
    | { algorithm: PublicKeyAlgorithm; kid: string; public_key: string },
) {
  if (input.algorithm === "HS256")
    return {
      ...(await sealHmacSecret(tx, communityId, input.kid, input.secret)),
      publicKeyPem: null,
      fingerprint: null,
      keyBits: null,
    };
  const inspected = inspectPublicKey(input.algorithm, input.public_key);
  if (!inspected.ok) throw new DomainError("invalid", inspected.message, "public_key");
  return {
    secretCiphertext: null,
    secretHint: null,
    publicKeyPem: inspected.pem,
    fingerprint: inspected.fingerprint,
    keyBits: inspected.bits,
  };
}

/** A fresh HMAC secret for the add-key form (docs/reference.md: 24 lower-case hex); only admins may add keys. */
export function generateHmacSecret(actor: ChangeActor): string {
  if (actor && !canManage(actor)) throw forbidden("add keys");
  return crypto.randomBytes(12).toString("hex");
}

/** A key's expiry must lie ahead when it is set (an expired key would only refuse tokens). */
function futureExpiry(iso: string | null | undefined, now = Date.now()): Date | null {
  if (!iso) return null;
  const at = new Date(iso);
  if (at.getTime() <= now) {
    throw new DomainError(
      "invalid",
      "This instant has passed: the key would refuse every token. Choose a later one, or none.",
      "expires_at",
    );
  }
  return at;
}

export async function addJwtKey(actor: ChangeActor, slug: string, raw: JwtKeyCreateInput): Promise<JwtKeyDto> {
  const input = jwtKeyCreateSchema.parse(raw);
  const expiresAt = futureExpiry(input.expires_at);
  return changeCommunity(actor, slug, "add keys", async (tx, community) => {
    const material = await keyMaterial(tx, community.id, input);
    let created;
    try {
      created = await tx.jwtKey.create({
        data: { communityId: community.id, kid: input.kid, algorithm: input.algorithm, ...material, expiresAt },
        select: jwtKeySelect,
      });
    } catch (err) {
      if (prismaCode(err) === "P2002")
        throw new DomainError("conflict", `This community already has a key with ID "${input.kid}"`, "kid");
      throw err;
    }
    return {
      result: toJwtKeyDto(created),
      action: "jwt_key.create",
      target: input.kid,
      details: {
        kid: input.kid,
        algorithm: input.algorithm,
        ...(material.fingerprint ? { fingerprint: material.fingerprint, bits: material.keyBits } : {}),
        ...(expiresAt ? { expires_at: expiresAt.toISOString() } : {}),
      },
    };
  });
}

/** Sets (a future instant) or clears (null) when a key stops verifying: the way to retire a key on a date. */
export async function setJwtKeyExpiry(actor: ChangeActor, slug: string, raw: JwtKeyExpiryInput): Promise<JwtKeyDto> {
  const input = jwtKeyExpirySchema.parse(raw);
  const expiresAt = futureExpiry(input.expires_at);
  return changeCommunity(actor, slug, "change keys", async (tx, community) => {
    const key = await tx.jwtKey.findUnique({
      where: { communityId_kid: { communityId: community.id, kid: input.kid } },
      select: jwtKeySelect,
    });
    if (!key) throw new DomainError("not_found", `There is no key "${input.kid}" any more`);
    const updated = await tx.jwtKey.update({ where: { id: key.id }, data: { expiresAt }, select: jwtKeySelect });
    return {
      result: toJwtKeyDto(updated),
      action: "jwt_key.expiry",
      target: input.kid,
      details: {
        kid: input.kid,
        expires_at: { from: key.expiresAt?.toISOString() ?? null, to: expiresAt?.toISOString() ?? null },
      },
    };
  });
}

export async function deleteJwtKey(actor: ChangeActor, slug: string, kid: string): Promise<void> {
  await changeCommunity(actor, slug, "delete keys", async (tx, community) => {
    const key = await tx.jwtKey.findUnique({
      where: { communityId_kid: { communityId: community.id, kid } },
      select: { id: true, algorithm: true },
    });
    if (!key) throw new DomainError("not_found", `There is no key "${kid}" any more`);
    if (
      community.signedIdentities === "require" &&
      !community.jwksUrl &&
      (await tx.jwtKey.count({ where: { communityId: community.id } })) <= 1
    ) {
      throw new DomainError(
        "conflict",
        `"${kid}" is the last key and this community requires signed identities: add another key or change the mode first`,
      );
    }
    await tx.jwtKey.delete({ where: { id: key.id } });
    return { result: undefined, action: "jwt_key.delete", target: kid, details: { kid, algorithm: key.algorithm } };
  });
}
