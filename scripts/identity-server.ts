// `npm run identity-server`: the identity route alone on node:http (see lib/api/node-server.ts).
// Same environment as the app (DATABASE_URL, VOUCH_DATA_DIR, secrets); IDENTITY_PORT (default 3001).
import type { AddressInfo } from "node:net";
import { prepareProcess, stopOnSignals } from "../lib/boot";
import { createIdentityServer } from "../lib/api/node-server";
import { prepareRateLimits } from "../lib/api/rate-limits";
import { startSignatureWorker } from "../lib/crypto/signature-worker";
import { startWebhookDelivery } from "../lib/webhooks/delivery";

const port = Number(process.env.IDENTITY_PORT ?? 3001);
await prepareProcess("vouch identity server");
await prepareRateLimits();
startSignatureWorker(); // as npm start: signatures checked on a worker thread
startWebhookDelivery(); // as npm start: this instance sends its share of the webhook outbox
const server = createIdentityServer();
server.listen(port, process.env.IDENTITY_HOST ?? "127.0.0.1", () => {
  const { address, port: listening } = server.address() as AddressInfo; // (IDENTITY_PORT=0: one the OS chose)
  console.log(`vouch identity server on http://${address}:${listening}`);
  process.send?.({ ready: true, port: listening });
});
// For the memory test (tests/integration/abuse.test.ts): started with --expose-gc and an IPC channel,
// the message "gc" runs a full collection, so what it measures is memory kept, not garbage not yet collected.
const collect = (globalThis as { gc?: () => void }).gc;
if (process.send && collect) {
  process.on("message", (m) => {
    if (m !== "gc") return;
    collect();
    process.send?.("gc-done");
  });
}
stopOnSignals(server);
