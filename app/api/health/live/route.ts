// Liveness: the process answers. No I/O — also the benchmark's "constant Next.js route" reference.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
