// Console server actions are same-origin only (CSRF). Next.js refuses a foreign Origin itself, but by
// throwing — a 500. proxy.ts asks this first and answers 403. The comparison is Next's own (the Origin's
// host against X-Forwarded-Host, else Host), so nothing Next would refuse gets through and nothing it
// would accept is refused. No framework imports.

/** The header Next.js puts on a server action's POST. */
export const ACTION_HEADER = "next-action";

/**
 * Why a server-action request must be refused, or null when its Origin is this site's own (or absent:
 * older browsers send none on same-origin POSTs, and Next.js accepts those too).
 */
export function foreignActionOrigin(origin: string | null, host: string | null): string | null {
  if (origin === null) return null;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return `Origin "${origin.slice(0, 100)}" is not an origin`;
  }
  if (originHost !== "" && originHost === host) return null;
  return `this console's actions can only be sent from its own pages, not from ${origin.slice(0, 100)}`;
}
