// The current time on the identity route's hot path. In its server process Next.js replaces the global
// `Date` (and `Date.now`) with wrappers that consult its request storage on every call, to catch a
// prerender reading the clock; the identity route is never prerendered, and under load each wrapped
// `new Date()` cost ≈ 2 µs (CPU profile, docs/benchmarks.md). npm start and the identity server load the
// core before Next.js, so these are the platform's own; loaded after it (next dev), they are Next's —
// slower, never wrong.
const PlatformDate = Date;
const platformNow = Date.now;

/** Now, as a Date. */
export const currentTime = (): Date => new PlatformDate(platformNow());
