// Authenticated encryption of stored secrets (JWT HMAC secrets): AES-256-GCM, a random 96-bit IV
// per value, and associated data binding each ciphertext to its row (community + kid), so a
// ciphertext copied onto another key does not decrypt. Format: "v1." + base64url(iv | tag | ct).
import crypto from "node:crypto";

const VERSION = "v1.";

export function seal(key: Buffer, plaintext: string, associatedData: string): string {
  if (key.length !== 32) throw new Error("secret-box key must be 32 bytes");
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return VERSION + Buffer.concat([iv, cipher.getAuthTag(), ct]).toString("base64url");
}

export function open(key: Buffer, sealed: string, associatedData: string): string {
  if (!sealed.startsWith(VERSION)) throw new Error("unknown secret format");
  const raw = Buffer.from(sealed.slice(VERSION.length), "base64url");
  if (raw.length < 28) throw new Error("secret is truncated");
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(associatedData, "utf8"));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}
