// Fetches a community's JWKS URL (docs/reference.md) the way a server-side fetch of a user-given URL must be
// done: https only, every address the host resolves to checked to be public (ipaddr.js) at every fetch,
// the connection pinned to the checked address (no second DNS answer can slip in), 3 s for the whole
// exchange, at most 64 KiB, redirects refused, no cookies. VOUCH_JWKS_ALLOW_PRIVATE=1 lifts the https
// and address rules (tests, private deployments). No framework imports.
import dns from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

export const JWKS_TIMEOUT_MS = 3000;
export const JWKS_MAX_BYTES = 64 * 1024;
export const JWKS_MAX_AGE_S = { min: 300, max: 86_400, default: 3600 } as const;

/** Why a URL cannot be used or a fetch failed, in words for the console and the log. */
export class JwksError extends Error {
  override name = "JwksError";
}

export type Resolve = (host: string) => Promise<string[]>;
const systemResolve: Resolve = async (host) =>
  (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export interface FetchOptions {
  allowPrivate: boolean;
  resolve?: Resolve;
  timeoutMs?: number;
}

/** The URL, checked: https (unless allowed otherwise), no credentials, every resolved address public. */
export async function checkJwksUrl(
  raw: string,
  { allowPrivate, resolve = systemResolve }: FetchOptions,
): Promise<{ url: URL; address: string }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new JwksError("This is not a URL");
  }
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) {
    throw new JwksError(`The JWKS URL must use https, not ${url.protocol.replace(":", "")}`);
  }
  if (url.username || url.password) throw new JwksError("The JWKS URL must not carry a user name or password");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  if (ipaddr.isValid(host)) addresses = [host];
  else {
    try {
      addresses = await resolve(host);
    } catch (err) {
      throw new JwksError(`${host} cannot be resolved (${(err as NodeJS.ErrnoException).code ?? "DNS error"})`);
    }
    if (addresses.length === 0) throw new JwksError(`${host} cannot be resolved`);
  }
  if (!allowPrivate) {
    for (const address of addresses) {
      const parsed = ipaddr.process(address); // an IPv4-mapped IPv6 address is judged as the IPv4 one
      const range = parsed.range();
      if (range !== "unicast") {
        const shown = address === host ? host : `${host} resolves to ${address}, which`;
        throw new JwksError(`${shown} is not a public address (${range}): Vouch does not fetch from there`);
      }
    }
  }
  return { url, address: addresses[0]! };
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
  const { url, address } = await checkJwksUrl(raw, options);
  const family = ipaddr.parse(address).kind() === "ipv6" ? 6 : 4;
  // Connect to the address just checked, whatever a second DNS answer would say.
  const lookup = ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) => {
    if (opts?.all) cb(null, [{ address, family }]);
    else cb(null, address, family);
  }) as unknown as LookupFunction;
  const timeoutMs = options.timeoutMs ?? JWKS_TIMEOUT_MS;
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const fail = (message: string) => {
      clearTimeout(timer);
      req.destroy();
      reject(new JwksError(message));
    };
    const req = client.request(
      url,
      {
        method: "GET",
        lookup,
        headers: { accept: "application/jwk-set+json, application/json", "user-agent": "Vouch (JWKS fetch)" },
        agent: false, // a fresh connection each time: nothing pooled to another address
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          return fail(`answered ${status} (a redirect to ${res.headers.location ?? "?"}); redirects are not followed`);
        }
        if (status !== 200) return fail(`answered HTTP ${status}`);
        if (Number(res.headers["content-length"] ?? 0) > JWKS_MAX_BYTES)
          return fail("the keyset is larger than 64 KiB");
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > JWKS_MAX_BYTES) return fail("the keyset is larger than 64 KiB");
          chunks.push(chunk);
        });
        res.on("error", (err) => fail(`the answer broke off (${err.message})`));
        res.on("end", () => {
          clearTimeout(timer);
          let document: unknown;
          try {
            document = JSON.parse(Buffer.concat(chunks).toString("utf8"));
          } catch {
            return reject(new JwksError("the answer is not JSON"));
          }
          resolve({ document, maxAgeSeconds: keysetMaxAge(res.headers["cache-control"]) });
        });
      },
    );
    const timer = setTimeout(() => fail(`no complete answer within ${timeoutMs / 1000} s`), timeoutMs);
    req.on("error", (err) => {
      clearTimeout(timer);
      reject(
        err instanceof JwksError
          ? err
          : new JwksError(`cannot fetch: ${(err as NodeJS.ErrnoException).code ?? err.message}`),
      );
    });
    req.end();
  });
}
