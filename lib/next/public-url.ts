import "server-only";
import { headers } from "next/headers";
import { publicOrigin as originOf } from "@vouch/core/public-origin";

/** The console's public origin for this request (lib/public-origin.ts). */
export async function publicOrigin(): Promise<string> {
  const h = await headers();
  // (Forwarded headers reach this far only from configured proxies: the door drops them otherwise.)
  return originOf(`${h.get("x-forwarded-proto") ?? "http"}://${h.get("host") ?? "localhost:3000"}`);
}

export const identityRoute = (origin: string, slug: string) => `${origin}/api/v1/communities/${slug}/identity`;
