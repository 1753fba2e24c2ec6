// Inspects a public key pasted by an administrator for an RS256, ES256 or EdDSA key (docs/reference.md):
// exactly one PEM SPKI key of the algorithm's type — RSA of at least 2048 bits, EC on P-256, Ed25519 —
// or a message saying precisely what was pasted instead. node:crypto only (server side); the label
// checks that need no parsing are shared with the browser (./pem.ts).
import crypto from "node:crypto";
import { pemLabelProblem } from "./pem";
import type { PublicKeyAlgorithm } from "./vocabulary";

export const MIN_RSA_BITS = 2048;

export type PublicKeyInspection =
  { ok: true; pem: string; bits: number; fingerprint: string } | { ok: false; message: string };

/** "SHA256:" + base64 of the SHA-256 of the DER SubjectPublicKeyInfo (the form `ssh-keygen -l` uses). */
export function spkiFingerprint(key: crypto.KeyObject): string {
  const der = key.export({ type: "spki", format: "der" });
  return "SHA256:" + crypto.createHash("sha256").update(der).digest("base64").replace(/=+$/, "");
}

const NEEDS: Record<PublicKeyAlgorithm, string> = {
  RS256: "RS256 needs an RSA key",
  ES256: "ES256 needs an EC key on curve P-256",
  EdDSA: "EdDSA needs an Ed25519 key",
};

// Node's names for the curves an EC key may be on, as people know them.
const CURVES: Record<string, string> = {
  prime256v1: "P-256",
  secp384r1: "P-384",
  secp521r1: "P-521",
  secp256k1: "secp256k1",
};

export function inspectPublicKey(algorithm: PublicKeyAlgorithm, input: string): PublicKeyInspection {
  const labelProblem = pemLabelProblem(input);
  if (labelProblem) return { ok: false, message: labelProblem };
  let key: crypto.KeyObject;
  try {
    key = crypto.createPublicKey({ key: input.trim(), format: "pem" });
  } catch {
    return { ok: false, message: "This PEM block could not be read as a public key: check that it was copied whole" };
  }
  const type = key.asymmetricKeyType;
  const wrongType = () => ({ ok: false as const, message: `This is ${describeType(key)} key; ${NEEDS[algorithm]}` });
  let bits: number;
  if (algorithm === "RS256") {
    if (type !== "rsa") return wrongType();
    bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) {
      return { ok: false, message: `This RSA key has ${bits} bits; at least ${MIN_RSA_BITS} are required` };
    }
  } else if (algorithm === "ES256") {
    if (type !== "ec") return wrongType();
    if (key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
      return { ok: false, message: `This EC key is on curve ${curveOf(key)}; ES256 needs curve P-256` };
    }
    bits = 256;
  } else {
    if (type !== "ed25519") return wrongType();
    bits = 256;
  }
  return {
    ok: true,
    pem: key.export({ type: "spki", format: "pem" }).toString(),
    bits,
    fingerprint: spkiFingerprint(key),
  };
}

const curveOf = (key: crypto.KeyObject) => {
  const named = key.asymmetricKeyDetails?.namedCurve ?? "unknown";
  return CURVES[named] ?? named;
};

function describeType(key: crypto.KeyObject): string {
  switch (key.asymmetricKeyType) {
    case "rsa":
      return "an RSA";
    case "ec":
      return `an elliptic-curve (EC) ${curveOf(key)}`;
    case "ed25519":
      return "an Ed25519";
    case "ed448":
      return "an Ed448";
    case "x25519":
    case "x448":
      return `an ${key.asymmetricKeyType.toUpperCase()} (key agreement, not signing)`;
    case "rsa-pss":
      return "an RSA-PSS-only";
    case "dsa":
      return "a DSA";
    default:
      return `a ${key.asymmetricKeyType ?? "non-RSA"}`;
  }
}
