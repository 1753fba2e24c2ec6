// Prometheus metrics of this instance (lib/api/metrics-route.ts).
import { metricsResponse } from "@vouch/core/api/metrics-route";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return metricsResponse(request);
}
