// Health for load balancers, answered by the node:http door in every way Vouch is served
// (lib/api/node-server.ts): liveness (the process answers; no I/O) and readiness (the database answers).
import { db } from "../db";
import { jsonAnswer } from "./answers";

export function liveness(): Response {
  return jsonAnswer(200, { status: "ok" });
}

export const READY_TIMEOUT_MS = 2000;

export async function readiness(): Promise<Response> {
  const t0 = performance.now();
  try {
    await Promise.race([
      db().$queryRawUnsafe("SELECT 1"),
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), READY_TIMEOUT_MS).unref()),
    ]);
    return jsonAnswer(200, { status: "ok", database: "ok", latency_ms: Math.round(performance.now() - t0) });
  } catch {
    return jsonAnswer(503, { status: "unavailable", database: "unreachable" });
  }
}
