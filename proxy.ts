// For console pages: (1) a server action sent from another site is refused 403 (Next.js would throw: a 500);
// (2) a per-request CSP nonce (lib/csp.ts), set on the request so Next.js applies it to its scripts and
// on the response for the browser; (3) an optimistic gate — console pages without a session cookie go
// straight to sign-in. The real check is done by every page (requireActor) and every server action
// (authedAction); this only saves a render.
import { NextResponse, type NextRequest } from "next/server";
import { getSessionCookie } from "better-auth/cookies";
import { consoleCsp } from "@vouch/core/csp";
import { ACTION_HEADER, foreignActionOrigin } from "@vouch/core/action-origin";

const GATED = /^\/(communities|accounts)(\/|$)/;

export function proxy(request: NextRequest) {
  if (request.method === "POST" && request.headers.has(ACTION_HEADER)) {
    const headers = request.headers;
    const refusal = foreignActionOrigin(headers.get("origin"), headers.get("x-forwarded-host") ?? headers.get("host"));
    if (refusal)
      return new NextResponse(`Forbidden: ${refusal}.`, {
        status: 403,
        headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
      });
  }
  if (GATED.test(request.nextUrl.pathname) && !getSessionCookie(request, { cookiePrefix: "vouch" })) {
    const url = new URL("/login", request.url);
    url.searchParams.set("next", request.nextUrl.pathname);
    return NextResponse.redirect(url);
  }
  const nonce = btoa(crypto.randomUUID());
  const csp = consoleCsp(nonce);
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  matcher: [
    "/communities/:path*",
    "/accounts/:path*",
    "/login",
    "/setup",
    // A server action may be posted to any page: those elsewhere reach the proxy for the origin check only.
    { source: "/:path*", has: [{ type: "header", key: "next-action" }] }, // (a literal: Next reads it statically)
  ],
};
