// Transactions that read then write can lose a race to another writer: PostgreSQL reports a
// serialization failure (P2034), SQLite "database is locked" (it refuses to upgrade a read lock
// while another connection writes, rather than deadlock). Both are transient: retry with jitter.
import { prismaCode } from "../errors";

const TRANSIENT = /could not serialize|deadlock detected|database is locked|SQLITE_BUSY/i;

export function isTransientConflict(err: unknown): boolean {
  return prismaCode(err) === "P2034" || TRANSIENT.test(String((err as Error)?.message ?? err));
}

export async function retryTransient<T>(fn: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts || !isTransientConflict(err)) throw err;
      await new Promise((r) => setTimeout(r, Math.min(500, 10 * 2 ** attempt) * (0.5 + Math.random())));
    }
  }
}
