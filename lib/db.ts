// The one Prisma client. The provider follows DATABASE_URL (lib/db-url.ts); both generated clients
// are built from the same models, so the SQLite client's types describe both.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresClient } from "./generated/postgres/client";
import { resolveDatabase, type DatabaseTarget } from "./db-url";
import { createRawDb, type RawDb } from "./db-raw";

export type Db = SqliteClient;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
export { Prisma } from "./generated/sqlite/client";

// Kept on the client object under registry symbols, not in module state: the production server loads
// this module twice in one process (Next's bundle and the identity route beside it), sharing one client.
const TARGET = Symbol.for("vouch.db.target");
const RAW = Symbol.for("vouch.db.raw");
type Tagged = Db & { [TARGET]?: DatabaseTarget; [RAW]?: RawDb };

export function createDb(target: DatabaseTarget): Db {
  const client = openClient(target) as Tagged;
  client[TARGET] = target;
  return client;
}

function openClient(target: DatabaseTarget): Db {
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

/** A raw driver connection to the process-wide client's database (lib/db-raw.ts), opened on first use. */
export function rawDb(): RawDb {
  const client = db() as Tagged;
  if (!client[RAW]) {
    const target = client[TARGET];
    if (!target) throw new Error("rawDb: the current client was not made by createDb");
    client[RAW] = createRawDb(target);
  }
  return client[RAW];
}

/** Replace the process-wide client (tests point it at their own database). */
export function setDb(client: Db | undefined) {
  globalForDb.vouchDb = client;
}

/** Closes the process-wide client if one was opened. */
export async function disconnectDb() {
  const client = globalForDb.vouchDb;
  globalForDb.vouchDb = undefined;
  await (client as Tagged | undefined)?.[RAW]?.close();
  await client?.$disconnect();
}
