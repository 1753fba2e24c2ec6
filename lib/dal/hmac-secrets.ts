// HMAC secrets at rest: sealed with the data-folder (or VOUCH_ENCRYPTION_KEY) key, bound to their row.
import { env } from "../env";
import { open, seal } from "../crypto/secret-box";

const aad = (communityId: string, kid: string) => `jwt_key:${communityId}:${kid}`;

export function sealHmacSecret(communityId: string, kid: string, secret: string) {
  return { secretCiphertext: seal(env().encryptionKey, secret, aad(communityId, kid)), secretHint: secret.slice(-4) };
}

export function openHmacSecret(communityId: string, kid: string, ciphertext: string): string {
  return open(env().encryptionKey, ciphertext, aad(communityId, kid));
}
