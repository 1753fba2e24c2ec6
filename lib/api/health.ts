// Readiness for load balancers: can this instance reach its database right now?
import { db } from "../db";

export const READY_TIMEOUT_MS = 2000;

export async function readiness(): Promise<Response> {
  const t0 = performance.now();
  try {
    await Promise.race([
      db().$queryRawUnsafe("SELECT 1"),
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), READY_TIMEOUT_MS).unref()),
    ]);
    return Response.json(
      { status: "ok", database: "ok", latency_ms: Math.round(performance.now() - t0) },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch {
    return Response.json(
      { status: "unavailable", database: "unreachable" },
      { status: 503, headers: { "Cache-Control": "no-store" } },
    );
  }
}
