// Which keys of a published JSON Web Key Set Vouch uses (docs/reference.md): RSA ≥ 2048 bits (RS256), EC P-256
// (ES256), OKP Ed25519 (EdDSA); `use` absent or "sig"; a kid of 1–128 printable ASCII characters. Every
// other entry is listed with the reason it is ignored. No framework imports.
import crypto from "node:crypto";
import { importJWK } from "jose";
import { spkiFingerprint, MIN_RSA_BITS } from "../identity/public-key";
import type { PublicKeyAlgorithm } from "../identity/vocabulary";
import { JwksError } from "./fetch";

export const MAX_KEYSET_ENTRIES = 100;

export interface KeysetKey {
  kid: string;
  algorithm: PublicKeyAlgorithm;
  key: CryptoKey;
  fingerprint: string;
}
export interface IgnoredKey {
  kid: string | null;
  reason: string;
}

const KID = /^[\x20-\x7e]{1,128}$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The algorithm a JWK is used with, or why it is not used. */
function algorithmOf(jwk: Record<string, unknown>): PublicKeyAlgorithm | string {
  const { kty, crv, alg } = jwk;
  if ("d" in jwk || "p" in jwk || "k" in jwk) {
    return kty === "oct" ? "a shared secret (kty oct) is never taken from a URL" : "it holds private key material";
  }
  if (jwk.use !== undefined && jwk.use !== "sig") return `use is "${String(jwk.use).slice(0, 16)}", not "sig"`;
  const wants = (expected: PublicKeyAlgorithm) =>
    alg === undefined || alg === expected ? expected : `alg ${String(alg).slice(0, 16)} is not ${expected}`;
  if (kty === "RSA") return wants("RS256");
  if (kty === "EC") return crv === "P-256" ? wants("ES256") : `curve ${String(crv).slice(0, 16)} is not P-256`;
  if (kty === "OKP") return crv === "Ed25519" ? wants("EdDSA") : `curve ${String(crv).slice(0, 16)} is not Ed25519`;
  return `key type ${String(kty).slice(0, 16)} is not RSA, EC or OKP`;
}

export async function parseKeyset(document: unknown): Promise<{ keys: KeysetKey[]; ignored: IgnoredKey[] }> {
  if (!isObject(document) || !Array.isArray(document.keys)) {
    throw new JwksError('the answer is not a JSON Web Key Set (no "keys" array)');
  }
  const keys: KeysetKey[] = [];
  const ignored: IgnoredKey[] = [];
  const seen = new Set<string>();
  for (const [i, entry] of document.keys.entries()) {
    const kid = isObject(entry) && typeof entry.kid === "string" ? entry.kid : null;
    const shownKid = kid && KID.test(kid) ? kid : kid === null ? null : kid.slice(0, 32);
    const ignore = (reason: string) => ignored.push({ kid: shownKid, reason });
    if (i >= MAX_KEYSET_ENTRIES) {
      ignore(`only the first ${MAX_KEYSET_ENTRIES} entries are read`);
      continue;
    }
    if (!isObject(entry)) {
      ignore("not a JSON object");
      continue;
    }
    if (kid === null || !KID.test(kid)) {
      ignore(kid === null ? "no kid" : "the kid is not 1–128 printable ASCII characters");
      continue;
    }
    if (seen.has(kid)) {
      ignore("the same kid appears earlier in the set");
      continue;
    }
    const algorithm = algorithmOf(entry);
    if (algorithm !== "RS256" && algorithm !== "ES256" && algorithm !== "EdDSA") {
      ignore(algorithm);
      continue;
    }
    let publicKey: crypto.KeyObject;
    try {
      publicKey = crypto.createPublicKey({ key: entry as crypto.JsonWebKey, format: "jwk" });
    } catch {
      ignore("its parameters do not make a valid public key");
      continue;
    }
    if (algorithm === "RS256") {
      const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
      if (bits < MIN_RSA_BITS) {
        ignore(`an RSA key of ${bits} bits; at least ${MIN_RSA_BITS} are required`);
        continue;
      }
    }
    seen.add(kid);
    const jwk = publicKey.export({ format: "jwk" });
    keys.push({
      kid,
      algorithm,
      key: (await importJWK(jwk, algorithm)) as CryptoKey,
      fingerprint: spkiFingerprint(publicKey),
    });
  }
  return { keys, ignored };
}
