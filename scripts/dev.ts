// `npm run dev`: the console with hot reload (`next dev`) behind the same node:http door as `npm start`
// (lib/api/node-server.ts), so client addresses, forwarded headers, rate limits, CORS, health and errors
// behave in development as in production. The door's lib/ is loaded from its sources through tsx; Next
// bundles its own copy for the console. PORT (default 3000).
import path from "node:path";
import { fileURLToPath } from "node:url";

Object.assign(process.env, { NODE_ENV: process.env.NODE_ENV ?? "development" });
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const { loadEnv } = await import("../lib/env");
const { ensureSchema } = await import("../lib/migrate");
const { verifyEncryptionKey } = await import("../lib/encryption-key");
const { createDoor } = await import("../lib/api/node-server");
const { prepareRateLimits } = await import("../lib/api/rate-limits");
const { flushRouteTelemetry } = await import("../lib/dal/route-telemetry");

let env;
try {
  env = loadEnv();
  await ensureSchema(env.database);
  await verifyEncryptionKey(env);
} catch (err) {
  console.error(`vouch dev: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

const { default: next } = await import("next");
const app = next({ dev: true, dir: root, port: env.port, hostname: "localhost" });
await app.prepare();
await prepareRateLimits();
const server = createDoor(app.getRequestHandler(), "next dev");
server.on("upgrade", app.getUpgradeHandler()); // hot reload's websocket
server.listen(env.port, () => console.log(`vouch dev: serving on http://localhost:${env.port}`));

const stop = () => {
  server.close();
  void flushRouteTelemetry().finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
