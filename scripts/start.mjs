#!/usr/bin/env node
// `npm start`: the production process — one process, one copy of every module.
//   1. refuses a build older than the sources (`npm install` and `npm run build` build; this never does —
//      except the compiled server core alone, restored in a moment when `npm prune` removed it: the
//      package is not in package.json, so a prune after the build takes it away),
//   2. validates the environment and creates the data folder's secrets if missing,
//   3. brings the database schema up to date (committed migrations) and checks the encryption key,
//   4. serves on PORT (default 3000) through the one node:http door (lib/api/node-server.ts): the
//      identity route (the hot path chat widgets call), health and metrics answered without the
//      framework's per-request cost (docs/benchmarks.md), every other request by Next.js.
// package.json starts it with --max-old-space-size=512, which also makes V8 grow the heap in smaller steps
// between major collections (RSS under load ≈ 220 MiB instead of a 220–350 MiB sawtooth; README).
// The server core is imported from the compiled package (@vouch/core, scripts/build.mjs) — the very
// modules Next.js loads as externals for its routes, so both halves share one database client, one
// configuration cache, one rate limiter and one telemetry buffer.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { buildProblem, root } from "./build-state.mjs";

if (buildProblem() === "the compiled server core is missing") {
  console.log("vouch: the compiled server core is missing (npm prune removes it): compiling it again");
  spawnSync(process.execPath, [path.join(root, "scripts/build.mjs"), "--core-only"], { stdio: "inherit" });
}
const problem = buildProblem();
if (problem) {
  console.error(`vouch: cannot start: ${problem}. Run \`npm run build\` (npm install also builds).`);
  process.exit(1);
}
process.env.NODE_ENV = "production";
process.env.NEXT_TELEMETRY_DISABLED = "1";

const { prepareProcess, stopOnSignals } = await import("@vouch/core/boot");
const { createDoor } = await import("@vouch/core/api/node-server");
const { prepareRateLimits } = await import("@vouch/core/api/rate-limits");
const { startRetentionJob } = await import("@vouch/core/dal/retention");
const { startSignatureWorker } = await import("@vouch/core/crypto/signature-worker");
const { startWebhookDelivery } = await import("@vouch/core/webhooks/delivery");

const env = await prepareProcess("vouch");

const { default: next } = await import("next");
const port = env.port;
const app = next({ dev: false, dir: root, port, hostname: "localhost" });
await app.prepare();
await prepareRateLimits();
startSignatureWorker(); // signed identities' signatures checked on a worker thread (lib/crypto/signature-worker.ts)
startRetentionJob(); // identities past their community's retention (docs/reference.md); one instance at a time
startWebhookDelivery(); // sends the webhook outbox (lib/webhooks/delivery.ts); every instance takes its share
const handle = app.getRequestHandler();

// The one door (lib/api/node-server.ts): the identity route, health and metrics, then Next.js.
const server = createDoor(handle, "next");
server.keepAliveTimeout = 65_000; // longer than common load balancers' idle timeout
// Every interface, as `next start` does.
server.listen(port, () => console.log(`vouch: serving on http://localhost:${port}`));

stopOnSignals(server);
