// Standard Webhooks (standardwebhooks.com), the signing side: secrets are "whsec_" + base64 of 32 random
// bytes; each request carries webhook-id, webhook-timestamp (seconds) and webhook-signature, a
// space-separated list of "v1,<base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`>" — one per secret in
// use (two for 24 h after a rotation). Receivers verify with the specification's libraries in any
// language. No framework imports.
import crypto from "node:crypto";

export const SECRET_PREFIX = "whsec_";

/** A new signing secret: whsec_ + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + crypto.randomBytes(32).toString("base64");
}

/** The key bytes of a whsec_ secret (the base64 after the prefix). */
function secretBytes(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error("a webhook secret starts with whsec_");
  return Buffer.from(secret.slice(SECRET_PREFIX.length), "base64");
}

/** One "v1,…" signature of the message under one secret. */
export function signatureV1(secret: string, id: string, timestamp: number, body: string): string {
  const mac = crypto.createHmac("sha256", secretBytes(secret)).update(`${id}.${timestamp}.${body}`).digest("base64");
  return `v1,${mac}`;
}

/** The three headers of one delivery attempt, signed with every secret given (current first). */
export function webhookHeaders(
  secrets: string[],
  id: string,
  timestamp: number,
  body: string,
): Record<"webhook-id" | "webhook-timestamp" | "webhook-signature", string> {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": secrets.map((s) => signatureV1(s, id, timestamp, body)).join(" "),
  };
}
