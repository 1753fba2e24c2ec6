import { readiness } from "@/lib/api/health";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET() {
  return readiness();
}
