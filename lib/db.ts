// The one Prisma client. The provider follows DATABASE_URL (lib/db-url.ts); both generated clients
// are built from the same models, so the SQLite client's types describe both.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresClient } from "./generated/postgres/client";
import { resolveDatabase, type DatabaseTarget } from "./db-url";

export type Db = SqliteClient;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
export { Prisma } from "./generated/sqlite/client";

export function createDb(target: DatabaseTarget): Db {
  if (target.provider === "postgres") {
    const adapter = new PrismaPg({ connectionString: target.url, max: 10 });
    return new PostgresClient({ adapter }) as unknown as Db;
  }
  const adapter = new PrismaBetterSQLite3({ url: target.file ?? target.url, timeout: 5000 });
  const client = new SqliteClient({ adapter });
  // Per connection, and queued before any other statement on it. With WAL (set when the schema is
  // migrated), NORMAL is SQLite's recommended durability: no corruption on crash, no fsync per commit.
  void client.$executeRawUnsafe("PRAGMA synchronous = NORMAL").catch(() => {});
  return client;
}

const globalForDb = globalThis as unknown as { vouchDb?: Db };

/** The process-wide client (kept on globalThis so dev-mode reloads do not open new pools). */
export function db(): Db {
  globalForDb.vouchDb ??= createDb(resolveDatabase());
  return globalForDb.vouchDb;
}

/** Replace the process-wide client (tests point it at their own database). */
export function setDb(client: Db | undefined) {
  globalForDb.vouchDb = client;
}

/** Closes the process-wide client if one was opened. */
export async function disconnectDb() {
  const client = globalForDb.vouchDb;
  globalForDb.vouchDb = undefined;
  await client?.$disconnect();
}
