// One value per process, however many times lib/ is loaded: `npm start` (scripts/server.ts) runs the
// identity route's copy of lib/ beside the copy inside Next's bundle, and both must share caches and
// tokens. No framework imports.
export function processShared<T>(name: string, init: () => T): T {
  const slots = globalThis as unknown as Record<symbol, T | undefined>;
  const key = Symbol.for(`vouch.${name}`);
  return (slots[key] ??= init());
}
