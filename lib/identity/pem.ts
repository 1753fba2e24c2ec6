// What a pasted PEM text is, from its armour alone: shared by the browser's key form and the server's
// key inspection (./rsa-key.ts). No Node or framework imports.

/** What a pasted PEM text is, when it is not one SPKI public key — decided from its armour alone. */
export function pemLabelProblem(text: string): string | null {
  const labels = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]!);
  if (labels.length === 0) return "Paste a PEM public key: it starts with -----BEGIN PUBLIC KEY-----";
  if (labels.some((l) => l.includes("PRIVATE KEY"))) {
    return "This is a PRIVATE key: keep it secret and paste only the public key (-----BEGIN PUBLIC KEY-----)";
  }
  if (labels.length > 1) return "Paste exactly one public key";
  const label = labels[0]!;
  if (label === "CERTIFICATE") {
    return "This is a certificate: paste its public key instead (openssl x509 -pubkey -noout -in cert.pem)";
  }
  if (label === "RSA PUBLIC KEY") {
    return "This is a PKCS#1 RSA public key: convert it to SPKI (openssl rsa -RSAPublicKey_in -in key.pem -pubout)";
  }
  if (label !== "PUBLIC KEY") return `This is a "${label}" block, not a public key (-----BEGIN PUBLIC KEY-----)`;
  if (!/-----END PUBLIC KEY-----/.test(text)) return "The key is cut short: -----END PUBLIC KEY----- is missing";
  return null;
}
