import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { auth } from "@vouch/core/auth";
import { isRole, type Actor } from "@vouch/core/authz";
import { getIdentitySettings } from "@vouch/core/dal/identity-settings";
import { markSessionSeen, SESSION_SEEN_EVERY_MS } from "@vouch/core/dal/sessions";
import { logger } from "@vouch/core/logger";

/**
 * This request's session and its account, or null. Read from the database on every request (an ended
 * session is gone at once); the session is marked seen (at most every 5 minutes: lib/dal/sessions.ts).
 */
const currentSession = cache(async (): Promise<{ actor: Actor; sessionId: string } | null> => {
  const session = await auth().api.getSession({ headers: await headers() });
  // (A disabled account's sessions were ended with it; a row that escaped that is refused here too.)
  if (!session || (session.user as { disabledAt?: unknown }).disabledAt) return null;
  const { id, email, name } = session.user;
  const role = (session.user as { role?: unknown }).role;
  if (Date.now() - new Date(session.session.updatedAt).getTime() > SESSION_SEEN_EVERY_MS)
    await markSessionSeen(session.session.id).catch((err: unknown) =>
      logger.warn({ err }, "could not mark the session seen"),
    );
  return { actor: { id, email, name, role: isRole(role) ? role : "viewer" }, sessionId: session.session.id };
});

/** The signed-in account for this request, or null. */
export const getActor = cache(async (): Promise<Actor | null> => (await currentSession())?.actor ?? null);

/** The id of this request's session (never its token), or null. */
export const getSessionId = async (): Promise<string | null> => (await currentSession())?.sessionId ?? null;

/** For pages: the signed-in account, or a redirect to the sign-in page. */
export async function requireActor(): Promise<Actor> {
  const actor = await getActor();
  if (!actor) redirect("/login");
  return actor;
}

/**
 * The one loader of community pages (and their layout): the signed-in account and the community named
 * in the URL as that account may see it (lib/dal decides: no secret hint for viewers) — or sign-in / 404.
 * Cached per request, so the layout and the page share one read.
 */
export const requireCommunityPage = cache(async (slug: string) => {
  const actor = await requireActor();
  const community = await getIdentitySettings(actor, slug);
  if (!community) notFound();
  return { actor, community };
});
