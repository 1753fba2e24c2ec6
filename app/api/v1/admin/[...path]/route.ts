// The admin API (lib/api/admin-routes.ts): Bearer tokens, the same data layer as the console and the CLI.
import { handleAdmin } from "@vouch/core/api/admin-routes";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ path: string[] }> };
const handle = async (request: Request, { params }: Context) => handleAdmin(request, (await params).path);
export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE };
