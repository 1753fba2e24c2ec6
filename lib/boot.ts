// What every Vouch process does before it serves (npm start, npm run dev, the identity server): the
// environment validated, the schema brought up to date, the encryption key checked against the database
// — any problem printed with the process's name and the process stopped — and, once it serves, a clean
// stop on SIGTERM/SIGINT that writes the buffered telemetry and last-seen instants first. No framework imports.
import type http from "node:http";
import { loadEnv, type VouchEnv } from "./env";
import { ensureSchema } from "./migrate";
import { verifyEncryptionKey } from "./encryption-key";
import { flushRouteTelemetry } from "./dal/route-telemetry";
import { flushLastSeen } from "./dal/last-seen";

export async function prepareProcess(name: string): Promise<VouchEnv> {
  try {
    const env = loadEnv();
    const t0 = Date.now();
    const { applied } = await ensureSchema(env.database);
    const where = env.database.provider === "sqlite" ? env.database.file : "PostgreSQL";
    console.log(`${name}: database ${where} ${applied ? "migrated" : "up to date"} (${Date.now() - t0} ms)`);
    // The encryption key must be the one that sealed this database's secrets (created only while there are none).
    await verifyEncryptionKey(env);
    return env;
  } catch (err) {
    console.error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}

/** Stops serving on SIGTERM/SIGINT: no new connections, the buffered telemetry written, then exit. */
export function stopOnSignals(server: http.Server): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeIdleConnections();
    void Promise.allSettled([flushRouteTelemetry(), flushLastSeen()]).finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
