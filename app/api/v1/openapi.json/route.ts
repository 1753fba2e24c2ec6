import { openApiDocument } from "@vouch/core/identity/contract";
import { publicOrigin } from "@vouch/core/public-origin";

export const runtime = "nodejs";

export function GET(request: Request) {
  return Response.json(openApiDocument(publicOrigin(new URL(request.url).origin)), {
    headers: { "Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300" },
  });
}
