// The one Prisma client. The provider follows DATABASE_URL (lib/db-url.ts); both generated clients
// are built from the same models, so the SQLite client's types describe both.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresClient } from "./generated/postgres/client";
import { resolveDatabase, type DatabaseTarget } from "./db-url";
import { createRawDb, pgPoolConfig, SQLITE_WAL_AUTOCHECKPOINT, type RawDb } from "./db-raw";

export type Db = SqliteClient;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
export { Prisma } from "./generated/sqlite/client";

// What each client made here points at, and its raw connection once opened.
const targets = new WeakMap<Db, DatabaseTarget>();
const raws = new WeakMap<Db, RawDb>();

export function createDb(target: DatabaseTarget): Db {
  const client = openClient(target);
  targets.set(client, target);
  return client;
}

function openClient(target: DatabaseTarget): Db {
  if (target.provider === "postgres") {
    const adapter = new PrismaPg(pgPoolConfig(target.url));
    return new PostgresClient({ adapter }) as unknown as Db;
  }
  const adapter = new PrismaBetterSQLite3({ url: target.file ?? target.url, timeout: 5000 });
  const client = new SqliteClient({ adapter });
  // Per connection, and queued before any other statement on it. With WAL (set when the schema is
  // migrated), NORMAL is SQLite's recommended durability: no corruption on crash, no fsync per commit.
  void client.$executeRawUnsafe("PRAGMA synchronous = NORMAL").catch(() => {});
  // (returns a row: a query) The identity route's writer checkpoints; see SQLITE_WAL_AUTOCHECKPOINT.
  void client.$queryRawUnsafe(`PRAGMA wal_autocheckpoint = ${SQLITE_WAL_AUTOCHECKPOINT}`).catch(() => {});
  return client;
}

let current: Db | undefined;

/** The process-wide client. */
export function db(): Db {
  current ??= createDb(resolveDatabase());
  return current;
}

/** A raw driver connection to the process-wide client's database (lib/db-raw.ts), opened on first use. */
export function rawDb(): RawDb {
  const client = db();
  let raw = raws.get(client);
  if (!raw) {
    const target = targets.get(client);
    if (!target) throw new Error("rawDb: the current client was not made by createDb");
    raw = createRawDb(target);
    raws.set(client, raw);
  }
  return raw;
}

/** Replace the process-wide client (tests point it at their own database). */
export function setDb(client: Db | undefined) {
  current = client;
}

/** Closes the process-wide client if one was opened. */
export async function disconnectDb() {
  const client = current;
  current = undefined;
  if (!client) return;
  await raws.get(client)?.close();
  raws.delete(client);
  await client.$disconnect();
}
