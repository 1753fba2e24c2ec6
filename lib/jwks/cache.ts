// Each instance's copy of its communities' published keysets (docs/reference.md): fetched on first need, kept
// for the answer's max-age (clamped 5 min–24 h), refetched at most once a minute — on expiry, after a
// failure, or when a token names a kid the set lacks (the website rotated: its new key is picked up
// with no restart and no configuration change). While the URL fails, the last good keyset keeps serving
// for 24 h after its last successful fetch; past that, or with none at all, "unavailable". Bounded: one
// entry per community with a URL, at most 10,000 (least recently used first out). No framework imports.
import { LRUCache } from "lru-cache";
import { env } from "../env";
import { fetchJwksDocument, JwksError, type FetchOptions } from "./fetch";
import { parseKeyset, type IgnoredKey, type KeysetKey } from "./keyset";

export const REFETCH_INTERVAL_MS = 60_000;
export const STALE_LIMIT_MS = 24 * 3_600_000;

export interface KeysetState {
  url: string;
  keys: Map<string, KeysetKey>;
  ignored: IgnoredKey[];
  /** Last successful fetch (epoch ms), null before the first. */
  fetchedAt: number | null;
  /** Until when the last good keyset counts as fresh. */
  freshUntil: number;
  lastAttemptAt: number | null;
  lastError: { at: number; message: string } | null;
  /** The first failed fetch since the last success (epoch ms); null while fetches succeed. */
  failingSince: number | null;
  inflight: Promise<void> | null;
}

let configured: FetchOptions | null = null;
/** From the environment (VOUCH_ALLOW_PRIVATE_URLS) unless a test configured otherwise. */
export const jwksOptions = (): FetchOptions => (configured ??= { allowPrivate: env().allowPrivateUrls });
/** For tests: other fetch options, and a clean slate. */
export function configureJwks(next: FetchOptions | null) {
  configured = next;
  states.clear();
}

const states = new LRUCache<string, KeysetState>({ max: 10_000 });
/** Fetches by result since start (for /api/metrics). */
export const fetchResults = { ok: 0, error: 0 };

function stateFor(communityId: string, url: string): KeysetState {
  let st = states.get(communityId);
  if (!st || st.url !== url) {
    st = {
      url,
      keys: new Map(),
      ignored: [],
      fetchedAt: null,
      freshUntil: 0,
      lastAttemptAt: null,
      lastError: null,
      failingSince: null,
      inflight: null,
    };
    states.set(communityId, st);
  }
  return st;
}

/** Fetches now (one fetch per community at a time); failures are recorded, never thrown. */
function refresh(st: KeysetState, now: number): Promise<void> {
  st.inflight ??= (async () => {
    st.lastAttemptAt = now;
    try {
      const { document, maxAgeSeconds } = await fetchJwksDocument(st.url, jwksOptions());
      const { keys, ignored } = await parseKeyset(document);
      if (keys.length === 0) throw new JwksError("the keyset has no usable key");
      const at = Date.now();
      st.keys = new Map(keys.map((k) => [k.kid, k]));
      st.ignored = ignored;
      st.fetchedAt = at;
      st.freshUntil = at + maxAgeSeconds * 1000;
      st.lastError = null;
      st.failingSince = null;
      fetchResults.ok++;
    } catch (err) {
      fetchResults.error++;
      st.lastError = { at: Date.now(), message: err instanceof JwksError ? err.message : String(err) };
      st.failingSince ??= st.lastError.at;
    } finally {
      st.inflight = null;
    }
  })();
  return st.inflight;
}

const mayAttempt = (st: KeysetState, now: number) =>
  st.lastAttemptAt === null || now - st.lastAttemptAt >= REFETCH_INTERVAL_MS;
const usable = (st: KeysetState, now: number) => st.fetchedAt !== null && now - st.fetchedAt <= STALE_LIMIT_MS;

/** The published key `kid` names, "unknown" if the (usable) keyset lacks it, "unavailable" with no usable keyset. */
export async function keysetKey(
  communityId: string,
  url: string,
  kid: string,
  now = Date.now(),
): Promise<KeysetKey | "unknown" | "unavailable"> {
  const st = stateFor(communityId, url);
  if ((st.fetchedAt === null || now >= st.freshUntil) && mayAttempt(st, now)) await refresh(st, now);
  else if (st.inflight) await st.inflight;
  if (!usable(st, now)) return "unavailable";
  const key = st.keys.get(kid);
  if (key) return key;
  // A kid the set lacks: the website may have just published it. One refetch a minute at most.
  if (mayAttempt(st, now)) {
    await refresh(st, now);
    const again = st.keys.get(kid);
    if (again) return again;
    if (!usable(st, now)) return "unavailable";
  }
  return "unknown";
}

/** "Fetch now" and saving a URL: fetch whatever the interval, and say how it went. */
export async function fetchKeysetNow(communityId: string, url: string): Promise<KeysetState> {
  const st = stateFor(communityId, url);
  await (st.inflight ?? refresh(st, Date.now()));
  return st;
}

/** What this instance knows of a community's keyset, for the console (null before any attempt). */
export function keysetState(communityId: string, url: string): KeysetState | null {
  const st = states.get(communityId);
  return st && st.url === url ? st : null;
}

/** Keysets whose fetches have failed since before `since` (epoch ms), for the keyset.failing webhook event. */
export function failingKeysets(
  since: number,
): { communityId: string; url: string; failingSince: number; error: string }[] {
  const out: { communityId: string; url: string; failingSince: number; error: string }[] = [];
  for (const [communityId, st] of states.entries())
    if (st.failingSince !== null && st.failingSince <= since)
      out.push({ communityId, url: st.url, failingSince: st.failingSince, error: st.lastError?.message ?? "" });
  return out;
}
