import { readiness } from "@vouch/core/api/health";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET() {
  return readiness();
}
