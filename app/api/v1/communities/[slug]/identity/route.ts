import { handleIdentityOptions, handleIdentityPost } from "@/lib/api/identity-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string }> };

export async function POST(request: Request, { params }: Context) {
  return handleIdentityPost(request, (await params).slug);
}

export async function OPTIONS(request: Request, { params }: Context) {
  return handleIdentityOptions(request, (await params).slug);
}
