import { openApiDocument } from "@vouch/core/identity/contract";

export const runtime = "nodejs";

export function GET(request: Request) {
  return Response.json(openApiDocument(process.env.VOUCH_BASE_URL ?? new URL(request.url).origin), {
    headers: { "Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300" },
  });
}
