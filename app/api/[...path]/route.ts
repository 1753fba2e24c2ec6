// Any /api/ address no route file serves: the same JSON 404 as every other way Vouch is served.
import { notFound } from "@vouch/core/api/answers";

export const dynamic = "force-dynamic";

const answer = () => notFound();
export { answer as GET, answer as HEAD, answer as POST, answer as PUT, answer as PATCH, answer as DELETE };
export { answer as OPTIONS };
