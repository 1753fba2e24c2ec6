// Worker threads started from inline source (`eval`: lib/db-raw.ts, lib/crypto/signature-worker.ts) have
// no module context of their own, so the package they load is resolved here, beside this file.
import { createRequire } from "node:module";
import path from "node:path";

/**
 * The absolute path of a package's entry file, or undefined: then the worker resolves the bare name
 * from the working directory. (Under `next dev` the bundler rewrites this resolution into a name of its
 * own, which is not a path.)
 */
export function workerEntry(name: string): string | undefined {
  try {
    const resolved = createRequire(import.meta.url).resolve(name);
    return path.isAbsolute(resolved) ? resolved : undefined;
  } catch {
    return undefined;
  }
}
