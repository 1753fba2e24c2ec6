import crypto from "node:crypto";

/** Test key material, generated per run (nothing secret committed). */
export function rsaKeyPair(bits = 2048) {
  const { publicKey, privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: bits });
  return {
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    pkcs1PublicPem: publicKey.export({ type: "pkcs1", format: "pem" }).toString(),
    privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    privateKey,
    publicKey,
  };
}

export function ecPublicPem() {
  return crypto
    .generateKeyPairSync("ec", { namedCurve: "P-256" })
    .publicKey.export({ type: "spki", format: "pem" })
    .toString();
}

export function ed25519PublicPem() {
  return crypto.generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }).toString();
}

/** A signing key pair for ES256 (curve P-256 by default) or EdDSA (Ed25519), as PEM. */
export function asymmetricKeyPair(kind: "ec" | "ed25519" | "ed448", namedCurve = "P-256") {
  const { publicKey, privateKey } =
    kind === "ec"
      ? crypto.generateKeyPairSync("ec", { namedCurve })
      : kind === "ed25519"
        ? crypto.generateKeyPairSync("ed25519")
        : crypto.generateKeyPairSync("ed448");
  return {
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    privateKey,
    publicKey,
  };
}

/** A key pair for a public-key JWT algorithm: RSA-2048, EC P-256 or Ed25519. */
export function signingKeyPair(algorithm: "RS256" | "ES256" | "EdDSA") {
  const { publicKey, privateKey } =
    algorithm === "RS256"
      ? crypto.generateKeyPairSync("rsa", { modulusLength: 2048 })
      : algorithm === "ES256"
        ? crypto.generateKeyPairSync("ec", { namedCurve: "P-256" })
        : crypto.generateKeyPairSync("ed25519");
  return {
    publicKey,
    privateKey,
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}
