// Verifies a signed identity (SPEC §2.2), in order, first failure wins:
//   1. a well-formed compact JWS of at most 8 KiB, header with alg and kid (typ JWT when present, no
//      crit), alg HS256, RS256, ES256 or EdDSA only;   2. kid names an unexpired key of this community,
//      alg equals its algorithm;
//   3. the signature verifies with that key (jose, algorithm pinned);   4. exp is an integer at least
//      one hour ahead (less the leeway), nbf honoured;   5. uuid present and non-empty.
// Keys come only from the community's configuration: jwk/jku/x5u/x5c headers are never used.
import { identityError, type IdentityError } from "./codes";
import type { RuntimeConfig, VerifierKey } from "./config";
import { ALGORITHM_LIST, JWT_ALGORITHMS } from "./vocabulary";
import { verifySignature } from "../crypto/signature-worker";

export const MAX_TOKEN_BYTES = 8192;
export const MIN_LIFETIME_SECONDS = 3600;
const ALLOWED_ALGS = new Set<string>(JWT_ALGORITHMS);
const B64URL = /^[A-Za-z0-9_-]+$/;

export type StepName = "format" | "key" | "signature" | "expiry" | "uuid";
export interface Step {
  step: StepName;
  ok: boolean;
  message: string;
}

export type TokenResult =
  | { ok: true; kid: string; exp: number; claims: Record<string, unknown>; steps: Step[] }
  | { ok: false; error: IdentityError; steps: Step[]; kid?: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

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

  // 4. Expiry and not-before, with the community's leeway.
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
  steps.push({
    step: "expiry",
    ok: true,
    message: `Expires in ${Math.round((exp - nowSeconds) / 60)} min (at least 60 required).`,
  });

  // 5. uuid.
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
  return { ok: true, kid, exp, claims, steps };
}
