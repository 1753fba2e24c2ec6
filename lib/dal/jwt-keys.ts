// JWT keys. HMAC secrets are sealed before they reach the database and never leave this module in
// clear except through `openHmacSecret` in ./hmac-secrets (the verifier, export --include-secrets).
import type { Tx } from "../db";
import { sealHmacSecret } from "./hmac-secrets";
import crypto from "node:crypto";
import { canManage } from "../authz";
import { DomainError, forbidden, prismaCode } from "../errors";
import { inspectRsaPublicKey } from "../identity/rsa-key";
import { jwtKeyCreateSchema, type JwtAlgorithm, type JwtKeyCreateInput } from "../validations/jwt-key";
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
  createdAt: Date;
  lastUsedAt: Date | null;
}): JwtKeyDto {
  return {
    id: k.id,
    kid: k.kid,
    algorithm: k.algorithm === "RS256" ? "RS256" : "HS256",
    maskedSecret: k.secretHint ? `…${k.secretHint}` : null,
    fingerprint: k.fingerprint,
    keyBits: k.keyBits,
    publicKeyPem: k.publicKeyPem,
    createdAt: k.createdAt,
    lastUsedAt: k.lastUsedAt,
  };
}

/** The columns a new key is stored with, inside `tx`; RS256 keys are fully inspected here (bits, type, fingerprint). */
export async function keyMaterial(
  tx: Tx,
  communityId: string,
  input: { algorithm: "HS256"; kid: string; secret: string } | { algorithm: "RS256"; kid: string; public_key: string },
) {
  if (input.algorithm === "HS256")
    return {
      ...(await sealHmacSecret(tx, communityId, input.kid, input.secret)),
      publicKeyPem: null,
      fingerprint: null,
      keyBits: null,
    };
  const inspected = inspectRsaPublicKey(input.public_key);
  if (!inspected.ok) throw new DomainError("invalid", inspected.message, "public_key");
  return {
    secretCiphertext: null,
    secretHint: null,
    publicKeyPem: inspected.pem,
    fingerprint: inspected.fingerprint,
    keyBits: inspected.bits,
  };
}

/** A fresh HMAC secret for the add-key form (SPEC §1.2: 24 lower-case hex); only admins may add keys. */
export function generateHmacSecret(actor: ChangeActor): string {
  if (actor && !canManage(actor)) throw forbidden("add keys");
  return crypto.randomBytes(12).toString("hex");
}

export async function addJwtKey(actor: ChangeActor, slug: string, raw: JwtKeyCreateInput): Promise<JwtKeyDto> {
  const input = jwtKeyCreateSchema.parse(raw);
  return changeCommunity(actor, slug, "add keys", async (tx, community) => {
    const material = await keyMaterial(tx, community.id, input);
    let created;
    try {
      created = await tx.jwtKey.create({
        data: { communityId: community.id, kid: input.kid, algorithm: input.algorithm, ...material },
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
