// HMAC secrets at rest: sealed with the deployment's encryption key (lib/encryption-key.ts), bound to their row.
import type { Tx } from "../db";
import { assertSealingKey, encryptionKey, openSecret, sealSecret } from "../encryption-key";

/** Seals inside the transaction that stores it, after checking the key against the database's fingerprint. */
export async function sealHmacSecret(tx: Tx, communityId: string, kid: string, secret: string) {
  const key = await assertSealingKey(tx);
  return { secretCiphertext: sealSecret(key, communityId, kid, secret), secretHint: secret.slice(-4) };
}

export function openHmacSecret(communityId: string, kid: string, ciphertext: string): string {
  return openSecret(encryptionKey(), communityId, kid, ciphertext);
}
