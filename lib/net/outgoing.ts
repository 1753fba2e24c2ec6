// The one guard for every request Vouch sends to a URL someone typed in (JWKS URLs, webhook endpoints):
// https only, no credentials in the URL, every address the host resolves to checked to be public
// (ipaddr.js) at every request, the connection pinned to the checked address (no second DNS answer can
// slip in), a deadline for the whole exchange, a cap on what is read of the answer, redirects never
// followed, no cookies, nothing pooled. VOUCH_ALLOW_PRIVATE_URLS=1 lifts the https and address rules
// (tests, private deployments). No framework imports.
import dns from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

/** Why a URL cannot be used or a request failed, in words for the console and the logs. */
export class OutgoingError extends Error {
  override name = "OutgoingError";
}

export type Resolve = (host: string) => Promise<string[]>;
const systemResolve: Resolve = async (host) =>
  (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export interface OutgoingOptions {
  allowPrivate: boolean;
  resolve?: Resolve;
}

/**
 * The URL, checked: https (unless private URLs are allowed), no user name or password, every resolved
 * address public. `what` names the URL in the messages ("The JWKS URL", "The webhook URL").
 */
export async function checkOutgoingUrl(
  raw: string,
  { allowPrivate, resolve = systemResolve }: OutgoingOptions,
  what = "The URL",
): Promise<{ url: URL; address: string }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutgoingError("This is not a URL");
  }
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) {
    throw new OutgoingError(`${what} must use https, not ${url.protocol.replace(":", "")}`);
  }
  if (url.username || url.password) throw new OutgoingError(`${what} must not carry a user name or password`);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  if (ipaddr.isValid(host)) addresses = [host];
  else {
    try {
      addresses = await resolve(host);
    } catch (err) {
      throw new OutgoingError(`${host} cannot be resolved (${(err as NodeJS.ErrnoException).code ?? "DNS error"})`);
    }
    if (addresses.length === 0) throw new OutgoingError(`${host} cannot be resolved`);
  }
  if (!allowPrivate) {
    for (const address of addresses) {
      const parsed = ipaddr.process(address); // an IPv4-mapped IPv6 address is judged as the IPv4 one
      const range = parsed.range();
      if (range !== "unicast") {
        const shown = address === host ? host : `${host} resolves to ${address}, which`;
        throw new OutgoingError(`${shown} is not a public address (${range}): Vouch sends no request there`);
      }
    }
  }
  return { url, address: addresses[0]! };
}

export interface OutgoingRequest {
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  /** For the whole exchange: connecting, sending, the answer's last byte. */
  timeoutMs: number;
  /** At most this much of the answer is read; beyond it the exchange ends (see `overflow`). */
  maxBytes: number;
  /** "fail": an answer larger than maxBytes is an error; "truncate": keep the first maxBytes, stop reading. */
  overflow: "fail" | "truncate";
}

export interface OutgoingAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  truncated: boolean;
}

/** Sends one request through the guard. Redirects are answers like any other (never followed). */
export async function sendOutgoing(
  raw: string,
  request: OutgoingRequest,
  options: OutgoingOptions,
  what?: string,
): Promise<OutgoingAnswer> {
  const { url, address } = await checkOutgoingUrl(raw, options, what);
  const family = ipaddr.parse(address).kind() === "ipv6" ? 6 : 4;
  // Connect to the address just checked, whatever a second DNS answer would say.
  const lookup = ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) => {
    if (opts?.all) cb(null, [{ address, family }]);
    else cb(null, address, family);
  }) as unknown as LookupFunction;
  const client = url.protocol === "https:" ? https : http;
  const limitKiB = `${Math.round(request.maxBytes / 1024)} KiB`;
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (outcome: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      outcome();
    };
    const fail = (message: string) =>
      finish(() => {
        req.destroy();
        reject(new OutgoingError(message));
      });
    const req = client.request(url, {
      method: request.method,
      lookup,
      headers: {
        ...request.headers,
        ...(request.body !== undefined && { "content-length": String(Buffer.byteLength(request.body)) }),
      },
      agent: false, // a fresh connection each time: nothing pooled to another address
    });
    req.on("response", (res) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      const answer = (truncated: boolean) =>
        finish(() => {
          resolve({ status, headers: res.headers, body: Buffer.concat(chunks), truncated });
          if (truncated) req.destroy();
        });
      if (request.overflow === "fail" && Number(res.headers["content-length"] ?? 0) > request.maxBytes)
        return fail(`the answer is larger than ${limitKiB}`);
      res.on("data", (chunk: Buffer) => {
        if (done) return;
        const room = request.maxBytes - size;
        if (chunk.length > room) {
          if (request.overflow === "fail") return fail(`the answer is larger than ${limitKiB}`);
          chunks.push(chunk.subarray(0, room));
          size += room;
          return answer(true);
        }
        size += chunk.length;
        chunks.push(chunk);
      });
      res.on("error", (err) => fail(`the answer broke off (${err.message})`));
      res.on("end", () => answer(false));
    });
    const timer = setTimeout(() => fail(`no complete answer within ${request.timeoutMs / 1000} s`), request.timeoutMs);
    req.on("error", (err) =>
      finish(() =>
        reject(
          err instanceof OutgoingError
            ? err
            : new OutgoingError(`cannot connect: ${(err as NodeJS.ErrnoException).code ?? err.message}`),
        ),
      ),
    );
    req.end(request.body);
  });
}
