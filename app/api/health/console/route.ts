// Is the console's framework answering? /api/health/live and /ready are answered by the node:http door
// before Next.js (lib/api/node-server.ts); this one goes through Next's router, without I/O — also the
// benchmark's "constant Next.js route" reference (docs/benchmarks.md).
import { liveness } from "@vouch/core/api/health";

export const dynamic = "force-dynamic";

export function GET() {
  return liveness();
}
