"use client";
import { useId, useState } from "react";
import { ChoiceChips } from "../ui/choice-chips";
import { CopyButton } from "../ui/copy-button";
import type { JwtAlgorithm } from "@vouch/core/identity/vocabulary";

type Lang = "node" | "python" | "ruby";
const LANGS: Record<Lang, string> = { node: "Node.js (jose)", python: "Python (PyJWT)", ruby: "Ruby (ruby-jwt)" };

// Per algorithm: the environment variable holding the signing key, what it is, how each language loads it.
const KEYS: Record<JwtAlgorithm, { env: string; what: string; node: string; ruby: string; gems: string }> = {
  HS256: {
    env: "VOUCH_HMAC_SECRET",
    what: "the 24-character secret of this key, used as its UTF-8 bytes",
    node: "new TextEncoder().encode(process.env.VOUCH_HMAC_SECRET)",
    ruby: 'ENV.fetch("VOUCH_HMAC_SECRET")',
    gems: "jwt",
  },
  RS256: {
    env: "VOUCH_RSA_PRIVATE_KEY",
    what: "the RSA private key (PKCS#8 PEM) whose public key you added",
    node: 'await importPKCS8(process.env.VOUCH_RSA_PRIVATE_KEY, "RS256")',
    ruby: 'OpenSSL::PKey::RSA.new(ENV.fetch("VOUCH_RSA_PRIVATE_KEY"))',
    gems: "jwt",
  },
  ES256: {
    env: "VOUCH_EC_PRIVATE_KEY",
    what: "the P-256 private key (PKCS#8 PEM) whose public key you added",
    node: 'await importPKCS8(process.env.VOUCH_EC_PRIVATE_KEY, "ES256")',
    ruby: 'OpenSSL::PKey::EC.new(ENV.fetch("VOUCH_EC_PRIVATE_KEY"))',
    gems: "jwt",
  },
  EdDSA: {
    env: "VOUCH_ED25519_PRIVATE_KEY",
    what: "the Ed25519 private key (PKCS#8 PEM) whose public key you added",
    node: 'await importPKCS8(process.env.VOUCH_ED25519_PRIVATE_KEY, "EdDSA")',
    // ruby-jwt 2.x signs EdDSA with an RbNaCl key, made from the PEM's 32-byte seed.
    // (its PKCS#8 DER ends with that seed; private_to_der is in the openssl gem 3.0 of Debian's Ruby 3.1).
    ruby: 'RbNaCl::Signatures::Ed25519::SigningKey.new(\n  OpenSSL::PKey.read(ENV.fetch("VOUCH_ED25519_PRIVATE_KEY")).private_to_der[-32, 32]\n)',
    gems: "jwt rbnacl",
  },
};

/** What the community's token policy asks of a token (docs/reference.md, token policy). */
export interface SnippetPolicy {
  expected_issuer: string | null;
  expected_audience: string | null;
  max_token_lifetime_minutes: number | null;
}
const NO_POLICY: SnippetPolicy = { expected_issuer: null, expected_audience: null, max_token_lifetime_minutes: null };

// String literals: JSON's escapes are valid in JavaScript and Python; Ruby also interpolates "#{…}".
const jsString = (v: string) => JSON.stringify(v);
const rubyString = (v: string) => JSON.stringify(v).replace(/#/g, "\\#");

/**
 * Code to mint a signed identity for one of the community's keys. Keys stay placeholders: an
 * environment variable. Every token carries iat (a revocation accepts tokens issued after it), and iss,
 * aud and a lifetime within the cap when the community's policy asks.
 */
export function snippet(lang: Lang, kid: string, algorithm: JwtAlgorithm, policy: SnippetPolicy = NO_POLICY): string {
  const hs = algorithm === "HS256";
  const k = KEYS[algorithm];
  const iss = policy.expected_issuer;
  const aud = policy.expected_audience;
  // Two hours, or the community's cap when it is shorter (at least one hour ahead either way).
  const minutes = Math.min(120, policy.max_token_lifetime_minutes ?? 120);
  const lifetimeNote =
    minutes === 120 ? "at least 1 hour ahead" : `at least 1 hour ahead, at most ${minutes} min after iat`;
  switch (lang) {
    case "node":
      return `import { SignJWT${hs ? "" : ", importPKCS8"} } from "jose";

// ${k.what[0]!.toUpperCase() + k.what.slice(1)}.
const key = ${k.node};

export async function signedIdentity(user) {
  return new SignJWT({
    uuid: String(user.id),            // mandatory
    firstname: user.firstName,
    email: user.email,
    extra_values: { customer_number: user.customerNumber },
  })
    .setProtectedHeader({ alg: "${algorithm}", kid: "${kid}", typ: "JWT" })
    .setIssuedAt()${iss !== null ? `\n    .setIssuer(${jsString(iss)})` : ""}${aud !== null ? `\n    .setAudience(${jsString(aud)})` : ""}
    .setExpirationTime("${minutes === 120 ? "2h" : `${minutes}m`}")  // ${lifetimeNote}
    .sign(key);
}`;
    case "python":
      return `import os, time, jwt  # pip install pyjwt${hs ? "" : "[crypto]"}

KEY = os.environ["${k.env}"]  # ${k.what}

def signed_identity(user):
    now = int(time.time())
    claims = {
        "uuid": str(user.id),  # mandatory
        "firstname": user.first_name,
        "email": user.email,
        "extra_values": {"customer_number": user.customer_number},${iss !== null ? `\n        "iss": ${jsString(iss)},` : ""}${aud !== null ? `\n        "aud": ${jsString(aud)},` : ""}
        "iat": now,
        "exp": now + ${minutes} * 60,  # ${lifetimeNote}
    }
    return jwt.encode(claims, KEY, algorithm="${algorithm}", headers={"kid": "${kid}", "typ": "JWT"})`;
    case "ruby":
      return `require "jwt" # gem install ${k.gems}
${hs ? "" : 'require "openssl"\n'}${algorithm === "EdDSA" ? 'require "rbnacl"\n' : ""}
# ${k.what[0]!.toUpperCase() + k.what.slice(1)}.
KEY = ${k.ruby}

def signed_identity(user)
  now = Time.now.to_i
  claims = {
    uuid: user.id.to_s, # mandatory
    firstname: user.first_name,
    email: user.email,
    extra_values: { customer_number: user.customer_number },${iss !== null ? `\n    iss: ${rubyString(iss)},` : ""}${aud !== null ? `\n    aud: ${rubyString(aud)},` : ""}
    iat: now,
    exp: now + ${minutes} * 60 # ${lifetimeNote}
  }
  JWT.encode(claims, KEY, "${algorithm}", { kid: "${kid}", typ: "JWT" })
end`;
  }
}

export function HowToSign({
  keys,
  route,
  policy,
}: {
  keys: { kid: string; algorithm: JwtAlgorithm }[];
  route: string;
  policy: SnippetPolicy;
}) {
  const [kid, setKid] = useState(keys[keys.length - 1]?.kid ?? "");
  const [lang, setLang] = useState<Lang>("node");
  const key = keys.find((k) => k.kid === kid) ?? keys[0]!;
  const selectId = useId();
  const code = snippet(lang, key.kid, key.algorithm, policy);
  return (
    <div className="flex flex-col gap-3 text-sm">
      <div className="flex flex-wrap items-center gap-4">
        <label htmlFor={selectId} className="font-medium">
          Key
        </label>
        <select
          id={selectId}
          value={key.kid}
          onChange={(e) => setKid(e.target.value)}
          className="rounded-md border border-slate-300 bg-white px-2 py-1"
        >
          {keys.map((k) => (
            <option key={k.kid} value={k.kid}>
              {k.kid} ({k.algorithm})
            </option>
          ))}
        </select>
        <ChoiceChips label="Language" name="how-to-sign-lang" options={LANGS} value={lang} onChange={setLang} />
        <CopyButton text={code} label="Copy code" className="ml-auto" />
      </div>
      <pre
        tabIndex={0}
        aria-label={`Signing code, ${LANGS[lang]}`}
        className="overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100"
      >
        {code}
      </pre>
      <p className="text-slate-600">
        Then hand the token to the widget, which sends <code>{`{"signed_identity": "<token>"}`}</code> to{" "}
        <code className="break-all">POST {route}</code>.
      </p>
    </div>
  );
}
