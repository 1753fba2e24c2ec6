// The identity route as a Next.js route file (`next dev`; under `npm start` the node:http server in
// scripts/start.mjs answers this path first, with the same handlers and the same fallback answers).
import { handleIdentityOptions, handleIdentityPost } from "@vouch/core/api/identity-route";
import { methodNotAllowed, unexpected } from "@vouch/core/api/answers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string }> };

export async function POST(request: Request, { params }: Context) {
  try {
    return await handleIdentityPost(request, (await params).slug);
  } catch (err) {
    return unexpected(err, "identity route");
  }
}

export async function OPTIONS(request: Request, { params }: Context) {
  try {
    return await handleIdentityOptions(request, (await params).slug);
  } catch (err) {
    return unexpected(err, "identity route");
  }
}

const refuse = () => methodNotAllowed(["POST", "OPTIONS"]);
export { refuse as GET, refuse as HEAD, refuse as PUT, refuse as PATCH, refuse as DELETE };
