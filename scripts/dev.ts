// `npm run dev`: the console with hot reload (`next dev`) behind the same node:http door as `npm start`
// (lib/api/node-server.ts), so client addresses, forwarded headers, rate limits, CORS, health and errors
// behave in development as in production. The door's lib/ is loaded from its sources through tsx; Next
// bundles its own copy for the console. PORT (default 3000).
import path from "node:path";
import { fileURLToPath } from "node:url";

Object.assign(process.env, { NODE_ENV: process.env.NODE_ENV ?? "development" });
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const { prepareProcess, stopOnSignals } = await import("../lib/boot");
const { createDoor } = await import("../lib/api/node-server");
const { prepareRateLimits } = await import("../lib/api/rate-limits");
const { startWebhookDelivery } = await import("../lib/webhooks/delivery");

const env = await prepareProcess("vouch dev");

const { default: next } = await import("next");
const app = next({ dev: true, dir: root, port: env.port, hostname: "localhost" });
await app.prepare();
await prepareRateLimits();
startWebhookDelivery();
const server = createDoor(app.getRequestHandler(), "next dev");
server.on("upgrade", app.getUpgradeHandler()); // hot reload's websocket
server.listen(env.port, () => console.log(`vouch dev: serving on http://localhost:${env.port}`));

stopOnSignals(server);
