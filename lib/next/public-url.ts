import "server-only";
import { headers } from "next/headers";

/** The console's public origin: VOUCH_BASE_URL when set, else the request's own host. */
export async function publicOrigin(): Promise<string> {
  if (process.env.VOUCH_BASE_URL) return process.env.VOUCH_BASE_URL.replace(/\/+$/, "");
  const h = await headers();
  const host = h.get("host") ?? "localhost:3000";
  const proto = h.get("x-forwarded-proto") ?? "http";
  return `${proto}://${host}`;
}

export const identityRoute = (origin: string, slug: string) => `${origin}/api/v1/communities/${slug}/identity`;
