// Verifies a signed identity (docs/reference.md, "Verifying a signed identity"), in order, first failure wins:
//   1. a well-formed compact JWS of at most 8 KiB, header with alg and kid (typ JWT when present, no
//      crit), alg HS256, RS256, ES256 or EdDSA only;   2. kid names an unexpired key of this community,
//      alg equals its algorithm;
//   3. the signature verifies with that key (jose, algorithm pinned);   4. iss and aud as the community's
//      token policy expects;   5. exp is an integer at least one hour ahead (less the leeway), nbf and iat
//      honoured, then the policy's lifetime cap;   6. uuid present and non-empty;   7. not revoked.
// Keys come only from the community's configuration: jwk/jku/x5u/x5c headers are never used.
import { identityError, type IdentityError } from "./codes";
import type { RuntimeConfig, VerifierKey } from "./config";
import { ALGORITHM_LIST, JWT_ALGORITHMS } from "./vocabulary";
import { verifySignature } from "../crypto/signature-worker";

export const MAX_TOKEN_BYTES = 8192;
export const MIN_LIFETIME_SECONDS = 3600;
const ALLOWED_ALGS = new Set<string>(JWT_ALGORITHMS);
const B64URL = /^[A-Za-z0-9_-]+$/;

export type StepName = "format" | "key" | "signature" | "claims" | "expiry" | "uuid" | "revocation";
export interface Step {
  step: StepName;
  ok: boolean;
  message: string;
}

export type TokenResult =
  | { ok: true; kid: string; exp: number; claims: Record<string, unknown>; steps: Step[] }
  | { ok: false; error: IdentityError; steps: Step[]; kid?: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A claim's value for the log: quoted and cut short, "none" when absent. */
function shown(v: unknown): string {
  if (v === undefined) return "none";
  const text = typeof v === "string" ? `"${v.slice(0, 64)}"` : JSON.stringify(v);
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}
const minutes = (seconds: number) => `${Math.round(seconds / 60)} min`;
const instant = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

function decodeJsonSegment(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

export async function verifySignedIdentity(
  token: unknown,
  config: RuntimeConfig,
  nowSeconds: number,
  /** The same instant in ms: a key's expiry is an instant, not a second (exp and nbf are whole seconds). */
  nowMs = nowSeconds * 1000,
): Promise<TokenResult> {
  const steps: Step[] = [];
  const fail = (step: StepName, error: IdentityError, kid?: string): TokenResult => {
    steps.push({ step, ok: false, message: error.detail ?? error.message });
    return { ok: false, error, steps, kid };
  };
  const malformed = (detail: string) =>
    fail(
      "format",
      identityError("token_malformed", `The signed identity is not a well-formed JWT: ${detail}.`, detail),
    );

  // 1. Format.
  if (typeof token !== "string" || token.length === 0) return malformed("signed_identity must be a non-empty string");
  if (Buffer.byteLength(token, "utf8") > MAX_TOKEN_BYTES)
    return malformed(`it is longer than ${MAX_TOKEN_BYTES / 1024} KiB`);
  const parts = token.split(".");
  if (parts.length !== 3) return malformed(`a compact JWS has 3 dot-separated parts, this has ${parts.length}`);
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  // An empty signature is well-formed (alg "none" has one): it is refused by the alg check, or fails to verify.
  if (!B64URL.test(headerPart) || !B64URL.test(payloadPart) || !(signaturePart === "" || B64URL.test(signaturePart))) {
    return malformed("a part is empty or not base64url");
  }
  const header = decodeJsonSegment(headerPart);
  if (!isObject(header)) return malformed("the header is not a JSON object");
  if (typeof header.alg !== "string") return malformed("the header has no alg");
  if (typeof header.kid !== "string" || header.kid.length === 0) return malformed("the header has no kid");
  if (header.typ !== undefined && (typeof header.typ !== "string" || header.typ.toUpperCase() !== "JWT")) {
    return malformed('the header\'s typ is not "JWT"');
  }
  if (header.crit !== undefined)
    return malformed("the header has a crit parameter naming extensions Vouch does not support");
  // The claims, decoded once: step 3 verifies the signature over this very segment.
  const claims = decodeJsonSegment(payloadPart);
  if (!isObject(claims)) return malformed("the payload is not a JSON object");
  const kid = header.kid;
  if (!ALLOWED_ALGS.has(header.alg)) {
    return fail(
      "format",
      identityError(
        "alg_not_allowed",
        undefined,
        `alg "${header.alg.slice(0, 32)}" is not allowed; use ${ALGORITHM_LIST}`,
      ),
      kid,
    );
  }
  steps.push({ step: "format", ok: true, message: `Well-formed JWT, alg ${header.alg}, kid "${kid}".` });

  // 2. Key: a configured one, else one the community's JWKS URL publishes.
  let key: Pick<VerifierKey, "algorithm" | "key" | "expiresAt"> | undefined = config.keys.get(kid);
  let from = "";
  if (!key && config.keyset) {
    const published = await config.keyset(kid, nowMs);
    if (published === "unavailable") {
      const detail = `kid "${kid.slice(0, 64)}" is no configured key and the JWKS URL has no usable keyset`;
      return fail("key", identityError("keyset_unavailable", undefined, detail), kid);
    }
    if (published !== "unknown") {
      key = { algorithm: published.algorithm, key: published.key, expiresAt: null };
      from = " from the JWKS URL";
    }
  }
  if (!key)
    return fail(
      "key",
      identityError("unknown_kid", undefined, `no key with kid "${kid.slice(0, 64)}" in this community`),
      kid,
    );
  if (key.expiresAt !== null && nowMs >= key.expiresAt) {
    const at = new Date(key.expiresAt).toISOString().replace(".000Z", "Z");
    return fail("key", identityError("key_expired", undefined, `key "${kid}" expired at ${at}`), kid);
  }
  if (key.algorithm !== header.alg) {
    return fail(
      "key",
      identityError("alg_mismatch", undefined, `key "${kid}" is ${key.algorithm}, the token says ${header.alg}`),
      kid,
    );
  }
  steps.push({ step: "key", ok: true, message: `Key "${kid}" (${key.algorithm}) found${from}.` });

  // 3. Signature — with the configured key and its algorithm only.
  // (jose's compactVerify; on a worker thread in the production processes, lib/crypto/signature-worker.ts)
  if (!(await verifySignature(token, key.key, key.algorithm))) {
    return fail(
      "signature",
      identityError("bad_signature", undefined, `the signature does not verify with key "${kid}"`),
      kid,
    );
  }
  steps.push({ step: "signature", ok: true, message: `Signature verified with key "${kid}".` });

  // 4. Who the token was made for, when the community's policy says.
  const policy = config.tokenPolicy;
  if (policy.issuer !== null && claims.iss !== policy.issuer) {
    const detail = `expected iss "${policy.issuer.slice(0, 64)}", the token has ${shown(claims.iss)}`;
    return fail("claims", identityError("iss_mismatch", undefined, detail), kid);
  }
  if (policy.audience !== null) {
    const aud = claims.aud;
    if (!(aud === policy.audience || (Array.isArray(aud) && aud.includes(policy.audience)))) {
      const detail = `expected aud "${policy.audience.slice(0, 64)}", the token has ${shown(aud)}`;
      return fail("claims", identityError("aud_mismatch", undefined, detail), kid);
    }
  }
  if (policy.issuer !== null || policy.audience !== null) {
    const expected = [policy.issuer !== null ? "iss" : "", policy.audience !== null ? "aud" : ""].filter(Boolean);
    steps.push({ step: "claims", ok: true, message: `${expected.join(" and ")} as this community expects.` });
  }

  // 5. Expiry, not-before and issued-at, with the community's leeway; then the policy's lifetime cap.
  const leeway = config.clockSkewSeconds;
  const exp = claims.exp;
  if (typeof exp !== "number" || !Number.isSafeInteger(exp)) {
    return fail(
      "expiry",
      identityError("exp_missing", undefined, exp === undefined ? "exp is missing" : "exp is not an integer"),
      kid,
    );
  }
  const earliest = nowSeconds + MIN_LIFETIME_SECONDS - leeway;
  if (exp < earliest) {
    const detail =
      exp <= nowSeconds
        ? `the token expired ${nowSeconds - exp} s ago`
        : `the token expires in ${exp - nowSeconds} s; at least ${MIN_LIFETIME_SECONDS - leeway} s are required`;
    return fail("expiry", identityError("exp_too_soon", undefined, detail), kid);
  }
  if (claims.nbf !== undefined) {
    if (typeof claims.nbf !== "number" || !Number.isFinite(claims.nbf)) {
      return fail(
        "expiry",
        identityError(
          "token_malformed",
          "The signed identity is not a well-formed JWT: nbf is not a number.",
          "nbf is not a number",
        ),
        kid,
      );
    }
    if (claims.nbf > nowSeconds + leeway) {
      return fail(
        "expiry",
        identityError("nbf_in_future", undefined, `the token is valid only in ${claims.nbf - nowSeconds} s (nbf)`),
        kid,
      );
    }
  }
  const iat = claims.iat;
  if (iat !== undefined) {
    if (typeof iat !== "number" || !Number.isFinite(iat)) {
      const detail = "iat is not a number";
      return fail(
        "expiry",
        identityError("token_malformed", `The signed identity is not a well-formed JWT: ${detail}.`, detail),
        kid,
      );
    }
    if (iat > nowSeconds + leeway) {
      const detail = `the token says it was issued ${Math.ceil(iat - nowSeconds)} s from now (iat)`;
      return fail("expiry", identityError("iat_in_future", undefined, detail), kid);
    }
  }
  const cap = policy.maxLifetimeSeconds;
  if (cap !== null && (typeof iat !== "number" || exp - iat > cap)) {
    const detail =
      typeof iat !== "number"
        ? `the token has no iat; this community allows tokens of at most ${minutes(cap)} (exp − iat)`
        : `the token lives ${minutes(exp - iat)} (exp − iat); this community allows at most ${minutes(cap)}`;
    return fail("expiry", identityError("token_lifetime_too_long", undefined, detail), kid);
  }
  steps.push({
    step: "expiry",
    ok: true,
    message: `Expires in ${Math.round((exp - nowSeconds) / 60)} min (at least 60 required)${cap !== null ? `; lives ${typeof iat === "number" ? minutes(exp - iat) : "?"} of at most ${minutes(cap)}` : ""}.`,
  });

  // 6. uuid.
  if (typeof claims.uuid !== "string" || claims.uuid.trim().length === 0) {
    return fail(
      "uuid",
      identityError(
        "uuid_missing",
        undefined,
        claims.uuid === undefined ? "uuid is missing" : "uuid is not a non-empty string",
      ),
      kid,
    );
  }
  steps.push({ step: "uuid", ok: true, message: `uuid "${claims.uuid.slice(0, 64)}".` });

  // 7. Revocation: only looked up when something in this community was ever revoked.
  if (config.revocation) {
    let revokedAt: number | null;
    try {
      const r = config.revocation(claims.uuid);
      revokedAt = r instanceof Promise ? await r : r;
    } catch {
      return fail("revocation", identityError("unavailable"), kid);
    }
    if (revokedAt !== null && (typeof iat !== "number" || iat * 1000 <= revokedAt)) {
      const issued = typeof iat === "number" ? `was issued ${instant(iat * 1000)}` : "has no iat";
      const detail = `tokens for uuid "${claims.uuid.slice(0, 64)}" issued before ${instant(revokedAt)} are revoked; this one ${issued}`;
      return fail("revocation", identityError("token_revoked", undefined, detail), kid);
    }
    steps.push({ step: "revocation", ok: true, message: "Not revoked." });
  }
  return { ok: true, kid, exp, claims, steps };
}
