// Which address a request came from, for the sign-in throttle. Only the production server knows the
// TCP peer; it computes this once per request and passes it to Next in CLIENT_ADDRESS_HEADER,
// overwriting whatever a client sent under that name, stamped with a token that lives only in this
// process — so under a server that does not stamp (`next start`, a bare `next dev`) the header means nothing.
// No framework imports.
import crypto from "node:crypto";
import { isIP } from "node:net";

export const CLIENT_ADDRESS_HEADER = "x-vouch-client-address";

const normalise = (a: string) => {
  const v = a.trim().replace(/^\[|\]$/g, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(v);
  return mapped ? mapped[1]! : v.toLowerCase();
};

/**
 * With no trusted proxy, the socket's peer. With `trustedHops` proxies in front (each appending the
 * address it saw to X-Forwarded-For), the entry that many places from the right: the one the outermost
 * trusted proxy saw. Entries further left were written by the client and are never trusted.
 */
export function clientAddress(
  remote: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedHops: number,
): string | null {
  if (trustedHops > 0) {
    const entries = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const candidate = entries[entries.length - trustedHops];
    if (candidate && isIP(normalise(candidate))) return normalise(candidate);
    return null; // the request did not come through the configured proxies
  }
  return remote && isIP(normalise(remote)) ? normalise(remote) : null;
}

/**
 * Lives only in this process: an outsider cannot stamp. Kept on the process's global object, so that a
 * second copy of this module in the same process (`npm run dev`: the door loads lib/ through tsx, Next
 * bundles its own) reads what the first stamped.
 */
const TOKEN_KEY = Symbol.for("vouch.client-address-token");
const slot = globalThis as { [TOKEN_KEY]?: string };
const token = () => (slot[TOKEN_KEY] ??= crypto.randomBytes(16).toString("hex"));

/** The header value for `address` (server side). */
export function stampClientAddress(address: string | null): string {
  return address ? `${token()} ${address}` : "";
}

/** The address in a stamped header, or null when absent, unstamped or stamped by someone else. */
export function readClientAddress(header: string | null | undefined): string | null {
  const [stamp, address] = (header ?? "").split(" ");
  const expected = token();
  if (!stamp || !address || stamp.length !== expected.length) return null;
  return crypto.timingSafeEqual(Buffer.from(stamp), Buffer.from(expected)) ? address : null;
}
