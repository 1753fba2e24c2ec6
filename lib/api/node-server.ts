// The node:http door (createDoor): the identity route (lib/api/identity-route.ts) without the framework's
// per-request cost, health and metrics, then Next.js for the console. npm start, npm run dev and the
// identity server all serve through it, so client addresses, forwarded headers, rate limits, CORS,
// health and errors behave the same in each.
import http from "node:http";
import { identityOptions, identityPost, type Answer, type IdentityCall } from "./identity-route";
import { liveness, readiness } from "./health";
import { metricsResponse } from "./metrics-route";
import { methodNotAllowed, notFound, send, sendUnexpected } from "./answers";
import { env } from "../env";
import { CLIENT_ADDRESS_HEADER, clientAddress, stampClientAddress } from "../client-address";

const ROUTE = /^\/api\/v1\/communities\/([^/]+)\/identity\/?$/;

function webHeaders(req: http.IncomingMessage): Headers {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  return headers;
}

/** A node:http request as the identity route's call: headers read in place, the body from the stream. */
function nodeCall(req: http.IncomingMessage): IdentityCall {
  return {
    header(name) {
      const v = req.headers[name];
      return typeof v === "string" ? v : Array.isArray(v) ? v.join(", ") : null;
    },
    readBody(max) {
      // Usually the whole body has arrived by now: all its declared bytes are buffered, and are taken
      // at once, without a promise, listeners or events (`read()` returns all that is buffered).
      const declared = Number(req.headers["content-length"] ?? NaN);
      if (req.readableFlowing === null && req.readableLength === declared && declared <= max)
        return declared === 0 ? "" : (req.read() as Buffer).toString("utf8");
      return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const onData = (chunk: Buffer) => {
          size += chunk.length;
          if (size > max) {
            // Stop keeping it; the rest is read and dropped, and the connection closes after the 413.
            req.off("data", onData);
            req.resume();
            resolve("too_large");
            return;
          }
          chunks.push(chunk);
        };
        req.on("data", onData);
        req.once("end", () =>
          resolve(chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8")),
        );
        req.once("error", reject);
      });
    },
  };
}

/** Writes an answer straight to the node:http response. */
function writeAnswer(res: http.ServerResponse, answer: Answer): void {
  if (answer.code === "payload_too_large") res.shouldKeepAlive = false;
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body ?? undefined);
}

const IDENTITY_METHODS = ["POST", "OPTIONS"] as const;

// Headers only a proxy should write. With no trusted proxy configured (VOUCH_TRUSTED_PROXY_HOPS=0)
// any copy came from the client, so it is dropped before anything (the identity route's same-origin
// check, Next's server-action origin check, public URLs) can read it (docs/security.md).
const PROXY_HEADERS = [
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-port",
  "x-forwarded-for",
  "forwarded",
] as const;

/**
 * Run first on every request: drops forwarded headers nobody trusted wrote, and returns the client
 * address (the TCP peer, or the X-Forwarded-For entry the outermost trusted proxy wrote).
 */
export function admitRequest(req: http.IncomingMessage, trustedProxyHops = env().trustedProxyHops): string | null {
  const address = clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], trustedProxyHops);
  if (trustedProxyHops === 0) for (const h of PROXY_HEADERS) delete req.headers[h];
  return address;
}

const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // fails the slug rule: 404 without a lookup
  }
};

/** Serves the identity route when `req` is for it and returns true; false leaves `req` untouched. */
export function serveIdentityRoute(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  client: string | null,
): boolean {
  const pathname = (req.url ?? "/").split("?", 1)[0]!;
  const match = ROUTE.exec(pathname);
  if (!match) return false;
  void (async () => {
    try {
      const slug = safeDecode(match[1]!);
      if (req.method === "POST") return writeAnswer(res, await identityPost(nodeCall(req), slug, { client }));
      if (req.method === "OPTIONS") return writeAnswer(res, await identityOptions(nodeCall(req), slug, { client }));
      return send(res, methodNotAllowed(IDENTITY_METHODS));
    } catch (err) {
      sendUnexpected(res, err, "identity route");
    }
  })();
  return true;
}

/** Next.js's request handler (`app.getRequestHandler()`), when the door serves the console too. */
export type NextHandler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

const HEALTH_METHODS = ["GET", "HEAD"] as const;

/**
 * The one door every way of serving Vouch goes through (`npm start`, `npm run dev`, `npm run
 * identity-server`): the client address and forwarded headers (admitRequest), the identity route, health
 * and metrics answered here, alike in every mode; everything else to Next.js with the client address
 * stamped for it — or, for the identity server alone, 404.
 */
export function createDoor(
  next: NextHandler | null,
  name: string,
  /** VOUCH_TRUSTED_PROXY_HOPS unless a test says otherwise. */
  trustedProxyHops: () => number = () => env().trustedProxyHops,
): http.Server {
  return http.createServer((req, res) => {
    const client = admitRequest(req, trustedProxyHops());
    if (serveIdentityRoute(req, res, client)) return;
    void (async () => {
      try {
        const pathname = (req.url ?? "/").split("?", 1)[0];
        if (pathname === "/api/health/live" || pathname === "/api/health/ready") {
          if (req.method !== "GET" && req.method !== "HEAD") return send(res, methodNotAllowed(HEALTH_METHODS));
          return send(res, pathname === "/api/health/live" ? liveness() : await readiness());
        }
        if (pathname === "/api/metrics") {
          if (req.method !== "GET") return send(res, methodNotAllowed(["GET"]));
          return send(
            res,
            await metricsResponse(new Request(`http://localhost${req.url}`, { headers: webHeaders(req) })),
          );
        }
        if (!next) return send(res, notFound());
        // The sign-in throttle's client address: computed here, where the TCP peer is known; a value a
        // client sent under this name is overwritten.
        req.headers[CLIENT_ADDRESS_HEADER] = stampClientAddress(client);
        await next(req, res);
      } catch (err) {
        // An error Next.js itself did not answer: logged, and the shared 503.
        sendUnexpected(res, err, `${name} ${req.method} ${req.url}`);
      }
    })();
  });
}

/** The identity route, health and metrics alone (npm run identity-server). */
export function createIdentityServer(): http.Server {
  return createDoor(null, "identity server");
}
