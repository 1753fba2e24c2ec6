// Fetches a community's JWKS URL (docs/reference.md) through the one outgoing-request guard
// (lib/net/outgoing.ts: https, public addresses checked at every fetch and the connection pinned to
// them, no redirects, no cookies): 3 s for the whole exchange, at most 64 KiB, a 200 with JSON.
// No framework imports.
import { checkOutgoingUrl, OutgoingError, sendOutgoing, type OutgoingOptions } from "../net/outgoing";

export const JWKS_TIMEOUT_MS = 3000;
export const JWKS_MAX_BYTES = 64 * 1024;
export const JWKS_MAX_AGE_S = { min: 300, max: 86_400, default: 3600 } as const;

/** Why a URL cannot be used or a fetch failed, in words for the console and the log. */
export class JwksError extends Error {
  override name = "JwksError";
}

export interface FetchOptions extends OutgoingOptions {
  timeoutMs?: number;
}

const asJwksError = (err: unknown) => (err instanceof OutgoingError ? new JwksError(err.message) : err);

/** The URL, checked by the outgoing guard (https unless allowed otherwise, every resolved address public). */
export async function checkJwksUrl(raw: string, options: FetchOptions): Promise<{ url: URL; address: string }> {
  try {
    return await checkOutgoingUrl(raw, options, "The JWKS URL");
  } catch (err) {
    throw asJwksError(err);
  }
}

/** `max-age` of a Cache-Control header, clamped to 5 min–24 h; 1 h without one (docs/reference.md). */
export function keysetMaxAge(cacheControl: string | undefined): number {
  const m = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(cacheControl ?? "");
  const seconds = m ? Number(m[1]) : JWKS_MAX_AGE_S.default;
  return Math.min(JWKS_MAX_AGE_S.max, Math.max(JWKS_MAX_AGE_S.min, seconds));
}

/** GETs the keyset document: its parsed JSON and how long it may be cached. */
export async function fetchJwksDocument(
  raw: string,
  options: FetchOptions,
): Promise<{ document: unknown; maxAgeSeconds: number }> {
  let answer;
  try {
    answer = await sendOutgoing(
      raw,
      {
        method: "GET",
        headers: { accept: "application/jwk-set+json, application/json", "user-agent": "Vouch (JWKS fetch)" },
        timeoutMs: options.timeoutMs ?? JWKS_TIMEOUT_MS,
        maxBytes: JWKS_MAX_BYTES,
        overflow: "fail",
      },
      options,
      "The JWKS URL",
    );
  } catch (err) {
    const e = asJwksError(err);
    if (e instanceof JwksError) throw new JwksError(e.message.replace("the answer is larger", "the keyset is larger"));
    throw e;
  }
  const { status, headers, body } = answer;
  if (status >= 300 && status < 400)
    throw new JwksError(`answered ${status} (a redirect to ${headers.location ?? "?"}); redirects are not followed`);
  if (status !== 200) throw new JwksError(`answered HTTP ${status}`);
  let document: unknown;
  try {
    document = JSON.parse(body.toString("utf8"));
  } catch {
    throw new JwksError("the answer is not JSON");
  }
  return { document, maxAgeSeconds: keysetMaxAge(headers["cache-control"]) };
}
