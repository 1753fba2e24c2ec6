// Where sign-in returns to: a path on this site, or the console home. One rule (docs/security.md): the value
// must be a plain absolute path — printable ASCII, starting with exactly one "/", no backslash — that
// resolves to this origin, and once percent-decoded still no "//" at the start, no control character,
// backslash or slash look-alike (so `/%2F%2Fevil`, `/%5Cevil`, `/%09/evil` fail too). Anything else
// goes home. No framework imports.
export const DEFAULT_RETURN_PATH = "/communities";
const MAX_LENGTH = 512;
// As given: printable ASCII except backslash (a path's characters are all in this range once encoded).
const PLAIN_PATH = /^\/(?![/\\])[\x21-\x5b\x5d-\x7e]*$/;
// Once decoded: text (a search for "a b" or "café" is fine), but no control character, no backslash,
// no slash look-alike, and not "//" at the start.
const DECODED_HOSTILE = /^\/\/|[\x00-\x1f\x7f\\\u2044\u2215\u2571\u29f5\u29f8\u29f9\ufe68\uff0f\uff3c]/;
const BASE = "http://vouch.invalid";

function sameOrigin(value: string): boolean {
  try {
    const u = new URL(value, BASE);
    return u.origin === BASE;
  } catch {
    return false;
  }
}

/** A same-origin path to return to after sign-in, or DEFAULT_RETURN_PATH. Never throws. */
export function safeReturnPath(next: unknown): string {
  if (typeof next !== "string" || next.length === 0 || next.length > MAX_LENGTH) return DEFAULT_RETURN_PATH;
  let decoded: string;
  try {
    decoded = decodeURIComponent(next);
  } catch {
    return DEFAULT_RETURN_PATH; // a malformed escape: nobody's real page
  }
  const ok = PLAIN_PATH.test(next) && sameOrigin(next) && decoded.startsWith("/") && !DECODED_HOSTILE.test(decoded);
  return ok ? next : DEFAULT_RETURN_PATH;
}
