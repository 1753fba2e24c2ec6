// The one answer to "what is Vouch's public origin?" — for links in the console, the OpenAPI documents'
// server URL, the install snippet: VOUCH_BASE_URL when set (production behind a proxy), else the origin
// the request itself reached. No framework imports.

/** VOUCH_BASE_URL (without a trailing slash) when set, else `requestOrigin`. */
export function publicOrigin(requestOrigin: string): string {
  const base = process.env.VOUCH_BASE_URL;
  return base ? base.replace(/\/+$/, "") : requestOrigin;
}
