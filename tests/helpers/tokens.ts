// Crafting tokens for tests, including hostile ones: arbitrary headers, foreign keys, tampering.
import crypto from "node:crypto";
import { CompactSign, exportJWK } from "jose";

export const b64 = (v: unknown) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");
export const nowS = () => Math.floor(Date.now() / 1000);

export async function signHs256(
  secret: string,
  payload: Record<string, unknown>,
  header: Record<string, unknown> = {},
) {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: "HS256", typ: "JWT", ...header } as { alg: string })
    .sign(new TextEncoder().encode(secret));
}

export async function signRs256(
  privateKey: crypto.KeyObject,
  payload: Record<string, unknown>,
  header: Record<string, unknown> = {},
) {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: "RS256", ...header } as { alg: string })
    .sign(privateKey);
}

/** Any alg, signed with HMAC over `secret` (for HS384/HS512) — or unsigned for "none". */
export function rawToken(header: Record<string, unknown>, payload: unknown, secret?: string, hash = "sha256") {
  const input = `${b64(header)}.${b64(payload)}`;
  const sig = secret === undefined ? "" : crypto.createHmac(hash, secret).update(input).digest("base64url");
  return `${input}.${sig}`;
}

export async function publicJwk(key: crypto.KeyObject) {
  return exportJWK(key);
}

/** ES256 or EdDSA (or any alg jose knows for the key), signed by `privateKey` in JWS form. */
export async function signWith(
  alg: string,
  privateKey: crypto.KeyObject,
  payload: Record<string, unknown>,
  header: Record<string, unknown> = {},
) {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg, ...header } as { alg: string })
    .sign(privateKey);
}

/** A token whose signature is made by node:crypto directly: e.g. ECDSA in DER form, or with any curve. */
export function rawEcToken(
  header: Record<string, unknown>,
  payload: unknown,
  privateKey: crypto.KeyObject,
  dsaEncoding: "der" | "ieee-p1363",
) {
  const input = `${b64(header)}.${b64(payload)}`;
  const sig = crypto.sign("sha256", Buffer.from(input), { key: privateKey, dsaEncoding }).toString("base64url");
  return `${input}.${sig}`;
}
