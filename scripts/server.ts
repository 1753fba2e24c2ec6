// The production server `npm start` runs (after building and migrating): one node:http server on PORT.
// The identity route — the hot path chat widgets call — is answered by lib/api/node-server.ts, the
// same handler and lib/ core as the Next route file, without the framework's per-request cost
// (docs/benchmarks.md); every other request goes to Next.js (console, server actions, health, docs).
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { admitRequest, serveIdentityRoute } from "../lib/api/node-server";
import { prepareRateLimits } from "../lib/api/rate-limits";
import { flushRouteTelemetry } from "../lib/dal/route-telemetry";
import { logger } from "../lib/logger";
import { CLIENT_ADDRESS_HEADER, stampClientAddress } from "../lib/client-address";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.PORT ?? 3000);

const app = next({ dev: false, dir: root, port, hostname: "localhost" });
await app.prepare();
await prepareRateLimits();
const handle = app.getRequestHandler();

const server = http.createServer((req, res) => {
  const client = admitRequest(req);
  if (serveIdentityRoute(req, res, client)) return;
  // The sign-in throttle's client address: computed here, where the TCP peer is known; a value a
  // client sent under this name is overwritten.
  req.headers[CLIENT_ADDRESS_HEADER] = stampClientAddress(client);
  handle(req, res).catch((err: unknown) => {
    logger.error({ err, url: req.url }, "next: unhandled error");
    if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" }).end("Internal Server Error");
  });
});
server.keepAliveTimeout = 65_000; // longer than common load balancers' idle timeout
// Every interface, as `next start` does.
server.listen(port, () => console.log(`vouch: serving on http://localhost:${port}`));

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeIdleConnections();
  void flushRouteTelemetry().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 5000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
