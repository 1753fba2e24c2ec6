// Optimistic gate: console pages without a session cookie go straight to sign-in. The real check is
// done by every page (requireActor) and every server action (authedAction); this only saves a render.
import { NextResponse, type NextRequest } from "next/server";
import { getSessionCookie } from "better-auth/cookies";

export function proxy(request: NextRequest) {
  if (getSessionCookie(request, { cookiePrefix: "vouch" })) return NextResponse.next();
  const url = new URL("/login", request.url);
  url.searchParams.set("next", request.nextUrl.pathname);
  return NextResponse.redirect(url);
}

export const config = { matcher: ["/communities/:path*", "/accounts/:path*"] };
