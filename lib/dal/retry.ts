// Transactions that read then write can lose a race to another writer: PostgreSQL reports a
// serialization failure (P2034), SQLite "database is locked" (it refuses to upgrade a read lock
// while another connection writes, rather than deadlock), and a transaction that waited for the
// write lock past its timeout is rolled back (P1008/P2028, "timed out"). All are transient: retry.
import { prismaCode } from "../errors";
import { db, Prisma, type Tx } from "../db";

const TRANSIENT = /could not serialize|deadlock detected|database is locked|SQLITE_BUSY|timed out/i;
const TRANSIENT_CODES = new Set(["P2034", "P1008", "P2028"]);

export function isTransientConflict(err: unknown): boolean {
  const code = prismaCode(err);
  return (code !== undefined && TRANSIENT_CODES.has(code)) || TRANSIENT.test(String((err as Error)?.message ?? err));
}

/** Interactive transaction limits for configuration changes: room to wait for a busy writer. */
export const TX_OPTIONS = { timeout: 15_000, maxWait: 10_000 } as const;

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

/**
 * The one way to run a read-then-write rule under concurrency: a serializable transaction, retried on
 * transient conflicts (rules span rows — the last admin, the last key in "require" mode, one mapping
 * per destination).
 */
export function serializable<T>(fn: (tx: Tx) => Promise<T>, options: { timeout?: number } = {}): Promise<T> {
  return retryTransient(() =>
    db().$transaction(fn, { isolationLevel: Prisma.TransactionIsolationLevel.Serializable, ...TX_OPTIONS, ...options }),
  );
}
