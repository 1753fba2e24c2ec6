// The raw driver connection of the identity writes (lib/db-raw.ts): on SQLite a worker thread that
// receives each statement's text once, then its number and values. Runs on SQLite and PostgreSQL.
import { afterEach, describe, expect, it } from "vitest";
import { createRawDb, SQLITE_WAL_AUTOCHECKPOINT, type RawDb } from "@/lib/db-raw";
import { resolveDatabase } from "@/lib/db-url";
import { createDb } from "@/lib/db";

let raw: RawDb | undefined;
afterEach(async () => {
  await raw?.execute(`DROP TABLE IF EXISTS raw_probe`, []).catch(() => {});
  await raw?.close();
  raw = undefined;
});

describe("raw driver connection", () => {
  it("runs statements with values, reuses them, reports errors with the driver's message, and reopens after close", async () => {
    raw = createRawDb(resolveDatabase());
    await raw.execute(`DROP TABLE IF EXISTS raw_probe`, []);
    await raw.execute(`CREATE TABLE raw_probe (k TEXT PRIMARY KEY, n INTEGER NOT NULL, at TEXT)`, []);
    const insert = `INSERT INTO raw_probe (k, n) VALUES (?, ?)`;
    for (let i = 0; i < 20; i++) expect(await raw.execute(insert, [`k${i}`, i])).toBe(1);
    // A statement's error: rejected with the driver's words; the statement still works afterwards.
    await expect(raw.execute(insert, ["k1", 1])).rejects.toThrow(/unique|duplicate/i);
    expect(await raw.execute(insert, ["k20", 20])).toBe(1);
    // A statement that cannot be prepared fails each time it is sent, with its reason.
    const broken = `SELECT nope FROM raw_probe WHERE k = ?`;
    await expect(raw.queryRows(broken, ["k1"])).rejects.toThrow(/nope/);
    await expect(raw.queryRows(broken, ["k1"])).rejects.toThrow(/nope/);
    // Many at once, answered each with its own rows.
    const select = `SELECT k, n FROM raw_probe WHERE k = ?`;
    const rows = await Promise.all(Array.from({ length: 21 }, (_, i) => raw!.queryRows(select, [`k${i}`])));
    expect(rows.map((r) => Number(r[0]!.n))).toEqual(Array.from({ length: 21 }, (_, i) => i));
    expect(Number((await raw.queryRows(`SELECT COUNT(*) AS c FROM raw_probe`, []))[0]!.c)).toBe(21);
  });

  // (A pg pool is not reopened after close: that happens only as the process ends.)
  it.runIf(resolveDatabase().provider === "sqlite")(
    "on SQLite, starts a new worker after close, which learns the statements' texts anew",
    async () => {
      raw = createRawDb(resolveDatabase());
      await raw.execute(`DROP TABLE IF EXISTS raw_probe`, []);
      await raw.execute(`CREATE TABLE raw_probe (k TEXT PRIMARY KEY, n INTEGER NOT NULL, at TEXT)`, []);
      const insert = `INSERT INTO raw_probe (k, n) VALUES (?, ?)`;
      expect(await raw.execute(insert, ["a", 1])).toBe(1);
      await raw.close();
      expect(await raw.execute(insert, ["b", 2])).toBe(1); // the same statement, sent to a new worker
      expect(await raw.queryRows(`SELECT k, n FROM raw_probe ORDER BY k`, [])).toEqual([
        { k: "a", n: 1 },
        { k: "b", n: 2 },
      ]);
    },
  );

  // Both connections of a process checkpoint at the same WAL size, so the checkpoint falls to the
  // identity writer (the worker, which commits most often), not to a Prisma write on the event loop.
  it.runIf(resolveDatabase().provider === "sqlite")(
    "on SQLite, the worker and the Prisma client share one durability and checkpoint setting",
    async () => {
      raw = createRawDb(resolveDatabase());
      const client = createDb(resolveDatabase());
      try {
        const setting = async (run: (sql: string) => Promise<Record<string, unknown>[]>) => ({
          walAutocheckpoint: Number((await run("PRAGMA wal_autocheckpoint"))[0]!.wal_autocheckpoint),
          synchronous: Number((await run("PRAGMA synchronous"))[0]!.synchronous),
        });
        const expected = { walAutocheckpoint: SQLITE_WAL_AUTOCHECKPOINT, synchronous: 1 }; // 1: NORMAL
        expect(SQLITE_WAL_AUTOCHECKPOINT).toBeGreaterThan(1000); // (SQLite's default)
        expect(await setting((sql) => raw!.queryRows(sql, []))).toEqual(expected);
        expect(await setting((sql) => client.$queryRawUnsafe<Record<string, unknown>[]>(sql))).toEqual(expected);
      } finally {
        await client.$disconnect();
      }
    },
  );
});
