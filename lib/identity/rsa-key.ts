// Inspects an RS256 public key pasted by an administrator: exactly one PEM SPKI RSA key of at least
// 2048 bits, or a message saying precisely what was pasted instead. node:crypto only (server side);
// the label checks that need no parsing are shared with the browser (./pem.ts).
import crypto from "node:crypto";
import { pemLabelProblem } from "./pem";

export const MIN_RSA_BITS = 2048;

export type RsaKeyInspection =
  { ok: true; pem: string; bits: number; fingerprint: string } | { ok: false; message: string };

/** "SHA256:" + base64 of the SHA-256 of the DER SubjectPublicKeyInfo (the form `ssh-keygen -l` uses). */
export function spkiFingerprint(key: crypto.KeyObject): string {
  const der = key.export({ type: "spki", format: "der" });
  return "SHA256:" + crypto.createHash("sha256").update(der).digest("base64").replace(/=+$/, "");
}

export function inspectRsaPublicKey(input: string): RsaKeyInspection {
  const labelProblem = pemLabelProblem(input);
  if (labelProblem) return { ok: false, message: labelProblem };
  let key: crypto.KeyObject;
  try {
    key = crypto.createPublicKey({ key: input.trim(), format: "pem" });
  } catch {
    return { ok: false, message: "This PEM block could not be read as a public key: check that it was copied whole" };
  }
  if (key.asymmetricKeyType !== "rsa") {
    return { ok: false, message: `This is ${describeType(key.asymmetricKeyType)} key; RS256 needs an RSA key` };
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    return { ok: false, message: `This RSA key has ${bits} bits; at least ${MIN_RSA_BITS} are required` };
  }
  return {
    ok: true,
    pem: key.export({ type: "spki", format: "pem" }).toString(),
    bits,
    fingerprint: spkiFingerprint(key),
  };
}

function describeType(type: string | undefined): string {
  switch (type) {
    case "ec":
      return "an elliptic-curve (EC)";
    case "ed25519":
    case "ed448":
      return `an ${type.toUpperCase()}`;
    case "rsa-pss":
      return "an RSA-PSS-only";
    case "dsa":
      return "a DSA";
    default:
      return `a ${type ?? "non-RSA"}`;
  }
}
