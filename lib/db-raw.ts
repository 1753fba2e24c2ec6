// A raw driver connection beside the Prisma client, for the identity route's one write per request:
// a prepared statement on better-sqlite3 or a pg pool query, without the ORM's per-query work
// (docs/benchmarks.md). Values are written in the formats Prisma writes, so Prisma reads them back.
import Database from "better-sqlite3";
import pg from "pg";
import type { DatabaseTarget } from "./db-url";

export type RawParam = string | number | boolean | Date | null;

export interface RawDb {
  /** Runs one statement written with `?` placeholders; resolves to the number of rows changed. */
  execute(sql: string, params: RawParam[]): Promise<number>;
  /** Runs one statement that returns rows (e.g. `… RETURNING`), with `?` placeholders. */
  queryRows(sql: string, params: RawParam[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** Prisma's SQLite adapter stores DateTime as ISO text with an explicit offset, booleans as 0/1. */
const sqliteValue = (v: RawParam) =>
  v instanceof Date ? v.toISOString().replace("Z", "+00:00") : typeof v === "boolean" ? (v ? 1 : 0) : v;

function sqlite(file: string): RawDb {
  const conn = new Database(file, { timeout: 5000 });
  conn.pragma("synchronous = NORMAL");
  conn.pragma("foreign_keys = ON"); // (better-sqlite3's default; said here because the upsert relies on it)
  const statements = new Map<string, Database.Statement>();
  const prepared = (sql: string) => {
    let stmt = statements.get(sql);
    if (!stmt) statements.set(sql, (stmt = conn.prepare(sql)));
    return stmt;
  };
  return {
    async execute(sql, params) {
      return prepared(sql).run(...params.map(sqliteValue)).changes;
    },
    async queryRows(sql, params) {
      return prepared(sql).all(...params.map(sqliteValue)) as Record<string, unknown>[];
    },
    async close() {
      conn.close();
    },
  };
}

/** TIMESTAMP(3) columns hold UTC without a zone (as Prisma writes them), whatever the server's TimeZone. */
const pgValue = (v: RawParam) => (v instanceof Date ? v.toISOString().slice(0, -1) : v);

function postgres(url: string): RawDb {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on("error", () => {}); // an idle client lost with the server: the next query reports it
  const texts = new Map<string, string>();
  const numbered = (sql: string) => {
    let text = texts.get(sql);
    if (!text) {
      let n = 0;
      texts.set(sql, (text = sql.replace(/\?/g, () => `$${++n}`)));
    }
    return text;
  };
  return {
    async execute(sql, params) {
      return (await pool.query(numbered(sql), params.map(pgValue))).rowCount ?? 0;
    },
    async queryRows(sql, params) {
      return (await pool.query(numbered(sql), params.map(pgValue))).rows as Record<string, unknown>[];
    },
    async close() {
      await pool.end();
    },
  };
}

export function createRawDb(target: DatabaseTarget): RawDb {
  return target.provider === "postgres"
    ? postgres(target.url)
    : sqlite(target.file ?? target.url.replace(/^file:/, ""));
}
