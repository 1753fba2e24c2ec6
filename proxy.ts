// For console pages: (1) a per-request CSP nonce (lib/csp.ts), set on the request so Next.js applies it
// to its scripts and on the response for the browser; (2) an optimistic gate — console pages without a
// session cookie go straight to sign-in. The real check is done by every page (requireActor) and every
// server action (authedAction); this only saves a render.
import { NextResponse, type NextRequest } from "next/server";
import { getSessionCookie } from "better-auth/cookies";
import { consoleCsp } from "@vouch/core/csp";

const GATED = /^\/(communities|accounts)(\/|$)/;

export function proxy(request: NextRequest) {
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

export const config = { matcher: ["/communities/:path*", "/accounts/:path*", "/login", "/setup"] };
