// A raw driver connection beside the Prisma client, for the identity route's one write per request:
// a prepared statement on better-sqlite3 (on a worker thread) or a pg pool query, without the ORM's per-query work
// (docs/benchmarks.md). Values are written in the formats Prisma writes, so Prisma reads them back.
import { Worker } from "node:worker_threads";
import pg from "pg";
import type { DatabaseTarget } from "./db-url";
import { workerEntry } from "./worker-entry";

export type RawParam = string | number | boolean | Date | null;

/**
 * SQLite: how many WAL pages (4 KiB each) a commit may leave before it checkpoints them into the database
 * file (SQLite's default: 1,000). Every connection of the process sets the same value, so the checkpoint
 * nearly always falls to the identity route's writer (the worker below, which commits most often), not to
 * a Prisma write on the event loop. Why 4,000: a checkpoint copies each page once however many times the
 * WAL holds it, and identity upserts rewrite the same index pages batch after batch — 10–20% less CPU per
 * stored row than 1,000 (docs/benchmarks.md), for a WAL file of up to ≈ 16 MiB.
 */
export const SQLITE_WAL_AUTOCHECKPOINT = 4000;

export interface RawStatements {
  /** Runs one statement written with `?` placeholders; resolves to the number of rows changed. */
  execute(sql: string, params: RawParam[]): Promise<number>;
  /** Runs one statement that returns rows (e.g. `… RETURNING`), with `?` placeholders. */
  queryRows(sql: string, params: RawParam[]): Promise<Record<string, unknown>[]>;
}

/** One statement of a batch: `rows` returns its rows (`… RETURNING`), else the number of rows changed. */
export interface BatchStatement {
  sql: string;
  params: RawParam[];
  rows?: boolean;
}

export interface RawDb extends RawStatements {
  dialect: "sqlite" | "postgres";
  /**
   * Runs the statements in order in one transaction and resolves to each one's result once it has
   * committed (rolled back as a whole if one fails). On SQLite the whole batch runs inside the worker,
   * holding the write lock only while it runs — never across a round trip to the event loop (which may
   * itself be waiting for that lock through the ORM's synchronous driver).
   */
  batch(statements: BatchStatement[]): Promise<(number | Record<string, unknown>[])[]>;
  close(): Promise<void>;
}

/** Prisma's SQLite adapter stores DateTime as ISO text with an explicit offset, booleans as 0/1. */
const sqliteValue = (v: RawParam) => (v instanceof Date ? sqliteDate(v) : typeof v === "boolean" ? (v ? 1 : 0) : v);
// A row's createdAt and updatedAt, and a batch's rows, mostly share one instant: formatted once.
let lastInstant = NaN;
let lastText = "";
function sqliteDate(d: Date): string {
  const t = d.getTime();
  if (t !== lastInstant) [lastInstant, lastText] = [t, d.toISOString().replace("Z", "+00:00")];
  return lastText;
}

// SQLite runs on a worker thread of its own: the identity route's writes (and SQLite's waits for a lock,
// up to 5 s) never block the event loop that answers requests; each caller is answered when the worker
// reports its statement done, so group commit's promise (a 200 after its commit) holds unchanged.
// The worker's source is inline (`eval`), so the same code runs from lib/ (tsx, vitest), the compiled
// core (npm start) and Next's bundles without a second file to locate.
const SQLITE_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver ?? "better-sqlite3"); // (else from the working directory)
const conn = new Database(workerData.file, { timeout: 5000 });
conn.pragma("synchronous = NORMAL");
conn.pragma("wal_autocheckpoint = " + workerData.walAutocheckpoint);
conn.pragma("foreign_keys = ON"); // (better-sqlite3's default; said here because the upsert relies on it)
const statements = new Map(); // statement number → prepared statement (its text is sent once)
parentPort.on("message", ({ id, op, statement, sql, params }) => {
  try {
    if (op === "close") {
      conn.close();
      return parentPort.postMessage({ id, ok: true });
    }
    if (op === "batch") {
      // [{ statement, sql?, params, rows }]: one IMMEDIATE transaction, all or nothing.
      const steps = JSON.parse(params);
      const run = conn.transaction(() =>
        steps.map((s) => {
          let st = statements.get(s.statement);
          if (!st) statements.set(s.statement, (st = conn.prepare(s.sql)));
          return s.rows ? st.all(...s.params) : st.run(...s.params).changes;
        }),
      );
      return parentPort.postMessage({ id, ok: true, result: run.immediate() });
    }
    let stmt = statements.get(statement);
    if (!stmt) statements.set(statement, (stmt = conn.prepare(sql)));
    const values = JSON.parse(params);
    const result = op === "all" ? stmt.all(...values) : stmt.run(...values).changes;
    parentPort.postMessage({ id, ok: true, result });
  } catch (err) {
    parentPort.postMessage({ id, ok: false, error: { name: err.name, message: err.message, code: err.code } });
  }
});`;

type WorkerReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: WorkerError };
type WorkerError = { name: string; message: string; code?: string };

function sqlite(file: string): RawDb {
  let worker: Worker | null = null;
  let nextId = 0;
  // Each statement's text crosses to the worker once (it is long: a batch's multi-row upsert); after
  // that, its number and the values do.
  const numbers = new Map<string, number>();
  let known = new Set<number>(); // statement numbers the current worker has prepared
  const waiting = new Map<number, { statement: number; resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const failAll = (err: unknown) => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
    worker = null; // the next statement starts a new worker
  };
  const start = () => {
    known = new Set();
    const w = new Worker(SQLITE_WORKER, {
      eval: true,
      workerData: { file, driver: workerEntry("better-sqlite3"), walAutocheckpoint: SQLITE_WAL_AUTOCHECKPOINT },
    });
    w.unref(); // referenced only while a statement is out (see call)
    w.on("message", (reply: WorkerReply) => {
      const caller = waiting.get(reply.id);
      waiting.delete(reply.id);
      if (waiting.size === 0) w.unref();
      if (!caller) return;
      if (reply.ok) return caller.resolve(reply.result);
      known.delete(caller.statement); // (a statement that failed to prepare is sent again next time)
      caller.reject(Object.assign(new Error(reply.error.message), reply.error));
    });
    w.on("error", (err) => {
      if (worker === w) failAll(err);
    });
    w.on("exit", (code) => {
      if (worker === w) failAll(new Error(`the SQLite worker stopped (exit code ${code})`));
    });
    return w;
  };
  type Op = "run" | "all" | "close";
  const numberOf = (sql: string) => {
    let statement = numbers.get(sql);
    if (statement === undefined) numbers.set(sql, (statement = numbers.size + 1));
    return statement;
  };
  const call = (op: Op, sql = "", params: RawParam[] = []) =>
    new Promise<unknown>((resolve, reject) => {
      worker ??= start();
      const id = ++nextId;
      const statement = op === "close" ? 0 : numberOf(sql);
      waiting.set(id, { statement, resolve, reject });
      if (waiting.size === 1) worker.ref();
      const first = !known.has(statement);
      if (first) known.add(statement);
      // The values as one JSON string (strings, numbers and null only): one copy, not a clone per value.
      const values = JSON.stringify(params.map(sqliteValue));
      worker.postMessage({ id, op, statement, sql: first ? sql : undefined, params: values });
    });
  const batch = (steps: BatchStatement[]) =>
    new Promise<unknown>((resolve, reject) => {
      worker ??= start();
      const id = ++nextId;
      const payload = steps.map((step) => {
        const statement = numberOf(step.sql);
        const first = !known.has(statement);
        if (first) known.add(statement);
        return { statement, sql: first ? step.sql : undefined, params: step.params.map(sqliteValue), rows: step.rows };
      });
      // A failed batch may have prepared some of its statements and not others: all are sent again next time.
      waiting.set(id, {
        statement: 0,
        resolve,
        reject: (err) => {
          for (const p of payload) known.delete(p.statement);
          reject(err);
        },
      });
      if (waiting.size === 1) worker.ref();
      worker.postMessage({ id, op: "batch", statement: 0, params: JSON.stringify(payload) });
    });
  return {
    dialect: "sqlite",
    async execute(sql, params) {
      return (await call("run", sql, params)) as number;
    },
    async queryRows(sql, params) {
      return (await call("all", sql, params)) as Record<string, unknown>[];
    },
    async batch(steps) {
      return (await batch(steps)) as (number | Record<string, unknown>[])[];
    },
    async close() {
      const w = worker;
      if (!w) return;
      await call("close").catch(() => {});
      worker = null;
      await w.terminate();
    },
  };
}

/** TIMESTAMP(3) columns hold UTC without a zone (as Prisma writes them), whatever the server's TimeZone. */
const pgValue = (v: RawParam) => (v instanceof Date ? v.toISOString().slice(0, -1) : v);

/**
 * Every PostgreSQL pool (Prisma's and the raw one): a server that does not accept a connection within
 * 10 s is an error (→ 503), not a request waiting forever; a transaction left idle for a minute (a bug,
 * a paused process) is ended by the server, so its locks cannot hold the other instances.
 */
export const pgPoolConfig = (url: string): pg.PoolConfig => ({
  connectionString: url,
  max: 10,
  connectionTimeoutMillis: 10_000,
  idle_in_transaction_session_timeout: 60_000,
});

function postgres(url: string): RawDb {
  const pool = new pg.Pool(pgPoolConfig(url));
  pool.on("error", () => {}); // an idle client lost with the server: the next query reports it
  // Named (prepared) statements: each connection parses and plans a statement once, then only binds
  // and executes it — group commit reuses one text per batch size.
  const statements = new Map<string, { name: string; text: string }>();
  const prepared = (sql: string, values: RawParam[]) => {
    let statement = statements.get(sql);
    if (!statement) {
      let n = 0;
      statement = { name: `vouch_raw_${statements.size + 1}`, text: sql.replace(/\?/g, () => `$${++n}`) };
      statements.set(sql, statement);
    }
    return { ...statement, values: values.map(pgValue) };
  };
  return {
    dialect: "postgres",
    async execute(sql, params) {
      return (await pool.query(prepared(sql, params))).rowCount ?? 0;
    },
    async queryRows(sql, params) {
      return (await pool.query(prepared(sql, params))).rows as Record<string, unknown>[];
    },
    async batch(steps) {
      // One pooled connection, one transaction.
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query("BEGIN");
        const results: (number | Record<string, unknown>[])[] = [];
        for (const step of steps) {
          const res = await client.query(prepared(step.sql, step.params));
          results.push(step.rows ? (res.rows as Record<string, unknown>[]) : (res.rowCount ?? 0));
        }
        await client.query("COMMIT");
        return results;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => (broken = true));
        throw err;
      } finally {
        client.release(broken);
      }
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
