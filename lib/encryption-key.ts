// The key that seals stored JWT secrets must be the same everywhere (docs/operating.md): the database keeps a
// fingerprint of the key that first sealed a secret, and the app, the identity server and the CLI
// check theirs against it before they start, and again inside every transaction that seals a secret.
// A key is created in the data folder only while the database holds no secret. `rotate` re-seals
// every secret under a new key in one transaction. No framework imports.
import crypto from "node:crypto";
import fs from "node:fs";
import { db, type Tx } from "./db";
import { ConfigError } from "./db-url";
import { createEncryptionKeyFile, env, type VouchEnv } from "./env";
import { open, seal } from "./crypto/secret-box";
import { prismaCode } from "./errors";

export const FINGERPRINT_SETTING = "encryption_key_fingerprint";

export class EncryptionKeyError extends ConfigError {
  override name = "EncryptionKeyError";
}

/** Identifies a key without revealing it: HMAC-SHA-256 of a fixed label under the key, 16 bytes in hex. */
export function keyFingerprint(key: Buffer): string {
  return crypto.createHmac("sha256", key).update("vouch encryption key fingerprint v1").digest("hex").slice(0, 32);
}
const short = (fp: string) => `${fp.slice(0, 12)}…`;

const aad = (communityId: string, kid: string) => `jwt_key:${communityId}:${kid}`;
export const sealSecret = (key: Buffer, communityId: string, kid: string, secret: string) =>
  seal(key, secret, aad(communityId, kid));
export const openSecret = (key: Buffer, communityId: string, kid: string, ciphertext: string) =>
  open(key, ciphertext, aad(communityId, kid));

// Webhook signing secrets (docs/reference.md, webhooks): bound to their endpoint, and to which of its two
// slots (the current secret, the previous one still signing for 24 h after a rotation).
export type WebhookSecretSlot = "current" | "previous";
const webhookAad = (endpointId: string, slot: WebhookSecretSlot) => `webhook_endpoint:${endpointId}:${slot}`;
export const sealWebhookSecret = (key: Buffer, endpointId: string, slot: WebhookSecretSlot, secret: string) =>
  seal(key, secret, webhookAad(endpointId, slot));
export const openWebhookSecret = (key: Buffer, endpointId: string, slot: WebhookSecretSlot, ciphertext: string) =>
  open(key, ciphertext, webhookAad(endpointId, slot));

type Client = Pick<Tx, "vouchSetting" | "jwtKey" | "webhookEndpoint">;
const storedFingerprint = async (client: Client) =>
  (await client.vouchSetting.findUnique({ where: { key: FINGERPRINT_SETTING } }))?.value ?? null;
const sealedSecrets = (client: Client) =>
  client.jwtKey.findMany({
    where: { secretCiphertext: { not: null } },
    select: { communityId: true, kid: true, secretCiphertext: true },
  });

function mismatch(e: VouchEnv, key: Buffer, stored: string): EncryptionKeyError {
  const interrupted =
    !e.encryption.fromEnvironment && fs.existsSync(`${e.encryption.file}.next`)
      ? ` ${e.encryption.file}.next exists: it holds the new key of an interrupted rotate-encryption-key; move it to ${e.encryption.file}.`
      : "";
  return new EncryptionKeyError(
    `The encryption key from ${e.encryption.source} (fingerprint ${short(keyFingerprint(key))}) is not the key that sealed ` +
      `this database's secrets (fingerprint ${short(stored)}). Use the key the other instances use — the same ` +
      `VOUCH_ENCRYPTION_KEY everywhere, or the data folder's encryption-key file of the instance that created it — ` +
      `or, holding the right key, change it with \`npm run vouch -- rotate-encryption-key\`. Nothing was changed.${interrupted}`,
  );
}

/**
 * Before the app, the identity server or the CLI starts: returns the key to use, creating it in the
 * data folder only when none is given and the database holds no secret; refuses a key that does not
 * match the database's fingerprint (or, for a database from before fingerprints, does not open its secrets).
 */
export async function verifyEncryptionKey(e: VouchEnv = env()): Promise<Buffer> {
  const stored = await storedFingerprint(db());
  let key = e.encryption.key;
  if (!key) {
    const secrets =
      (await db().jwtKey.count({ where: { secretCiphertext: { not: null } } })) + (await db().webhookEndpoint.count());
    if (stored || secrets > 0) {
      throw new EncryptionKeyError(
        `No encryption key: VOUCH_ENCRYPTION_KEY is not set and ${e.encryption.file} does not exist, but this database holds ` +
          `${secrets} sealed secret${secrets === 1 ? "" : "s"}${stored ? ` (key fingerprint ${short(stored)})` : ""}. Give the key that ` +
          `sealed them (set VOUCH_ENCRYPTION_KEY as the other instances do, or restore that file). A new key is never generated ` +
          `while secrets exist: it could not open them.`,
      );
    }
    key = createEncryptionKeyFile(e.encryption);
    e.encryption.key = key;
  }
  if (stored && stored !== keyFingerprint(key)) throw mismatch(e, key, stored);
  if (!stored) {
    const sample = (await sealedSecrets(db()))[0];
    if (sample) {
      try {
        openSecret(key, sample.communityId, sample.kid, sample.secretCiphertext!);
      } catch {
        throw new EncryptionKeyError(
          `The encryption key from ${e.encryption.source} does not open the secrets stored in this database. Use the key that ` +
            `sealed them (the same VOUCH_ENCRYPTION_KEY everywhere, or the data folder's encryption-key file). Nothing was changed.`,
        );
      }
      await recordFingerprint(db(), key, e); // a database from before fingerprints: adopt the key that opens it
    }
  }
  return key;
}

async function recordFingerprint(client: Client, key: Buffer, e: VouchEnv) {
  const fp = keyFingerprint(key);
  try {
    await client.vouchSetting.create({ data: { key: FINGERPRINT_SETTING, value: fp } });
  } catch (err) {
    if (prismaCode(err) !== "P2002") throw err;
    const stored = await storedFingerprint(client); // recorded meanwhile by another process: must be ours
    if (stored && stored !== fp) throw mismatch(e, key, stored);
  }
}

/** The key to seal or open secrets with in this process (verified at start-up by the entry points). */
export function encryptionKey(e: VouchEnv = env()): Buffer {
  if (!e.encryption.key) {
    throw new EncryptionKeyError(
      `No encryption key yet (${e.encryption.file}): start Vouch with npm start, or run the CLI, once to create it.`,
    );
  }
  return e.encryption.key;
}

/**
 * Inside a transaction that is about to seal a secret: records this key's fingerprint if the
 * database has none, and refuses (rolling the transaction back) if it has another's — e.g. an
 * instance still running with a key that was rotated away.
 */
export async function assertSealingKey(tx: Tx, e: VouchEnv = env()): Promise<Buffer> {
  const key = encryptionKey(e);
  const stored = await storedFingerprint(tx);
  if (stored && stored !== keyFingerprint(key)) throw mismatch(e, key, stored);
  if (!stored) await recordFingerprint(tx, key, e);
  return key;
}

export interface RotationResult {
  resealed: number;
  from: string;
  to: string;
}

/** Re-seals every stored secret from `current` to `next` and records `next`'s fingerprint, in one transaction. */
export async function resealAll(current: Buffer, next: Buffer, e: VouchEnv = env()): Promise<RotationResult> {
  if (current.equals(next))
    throw new EncryptionKeyError("The new encryption key is the current one: nothing to rotate.");
  return db().$transaction(
    async (tx) => {
      const stored = await storedFingerprint(tx);
      if (stored && stored !== keyFingerprint(current)) throw mismatch(e, current, stored);
      const secrets = await sealedSecrets(tx);
      for (const s of secrets) {
        const plain = openSecret(current, s.communityId, s.kid, s.secretCiphertext!);
        await tx.jwtKey.update({
          where: { communityId_kid: { communityId: s.communityId, kid: s.kid } },
          data: { secretCiphertext: sealSecret(next, s.communityId, s.kid, plain) },
        });
      }
      const endpoints = await tx.webhookEndpoint.findMany({
        select: { id: true, secretCiphertext: true, previousSecretCiphertext: true },
      });
      const reseal = (id: string, slot: WebhookSecretSlot, sealed: string) =>
        sealWebhookSecret(next, id, slot, openWebhookSecret(current, id, slot, sealed));
      for (const w of endpoints) {
        await tx.webhookEndpoint.update({
          where: { id: w.id },
          data: {
            secretCiphertext: reseal(w.id, "current", w.secretCiphertext),
            previousSecretCiphertext:
              w.previousSecretCiphertext && reseal(w.id, "previous", w.previousSecretCiphertext),
          },
        });
      }
      await tx.vouchSetting.upsert({
        where: { key: FINGERPRINT_SETTING },
        create: { key: FINGERPRINT_SETTING, value: keyFingerprint(next) },
        update: { value: keyFingerprint(next) },
      });
      await tx.auditLog.create({
        data: {
          actorEmail: "cli",
          action: "encryption_key.rotate",
          details: JSON.stringify({
            resealed: secrets.length + endpoints.length,
            from: keyFingerprint(current),
            to: keyFingerprint(next),
          }),
        },
      });
      return { resealed: secrets.length + endpoints.length, from: keyFingerprint(current), to: keyFingerprint(next) };
    },
    { timeout: 120_000, maxWait: 15_000 },
  );
}
