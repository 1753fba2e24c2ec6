// GET /api/metrics (docs/operating.md): Prometheus text, only when VOUCH_METRICS_TOKEN is set, and only to a caller
// sending it as a Bearer token (compared in constant time). Served by the node:http door
// (lib/api/node-server.ts) in every mode: every instance exposes its own counts. No framework imports.
import crypto from "node:crypto";
import { env } from "../env";
import { registry } from "../metrics";
import { jsonAnswer, notFound } from "./answers";

const digest = (s: string) => crypto.createHash("sha256").update(s).digest();

export async function metricsResponse(request: Request, token = env().metricsToken): Promise<Response> {
  if (!token) return notFound(); // not configured: as if there were no such address
  const sent = /^Bearer (.+)$/i.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
  if (!crypto.timingSafeEqual(digest(sent), digest(token))) {
    return jsonAnswer(
      401,
      { error: { code: "unauthorized", message: "Send the metrics token as Authorization: Bearer <token>." } },
      { "WWW-Authenticate": 'Bearer realm="vouch-metrics"' },
    );
  }
  return new Response(await registry.metrics(), {
    headers: { "Content-Type": registry.contentType, "Cache-Control": "no-store" },
  });
}
