// Creates this project's test database (a fresh SQLite file, or a fresh PostgreSQL database on the
// server named by VOUCH_TEST_PG_URL, else on a throwaway embedded one), migrates it with the committed
// migrations, and drops it after.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { ensureSchema } from "../../lib/migrate";
import { resolveDatabase } from "../../lib/db-url";
import { startEmbeddedPostgres } from "../../scripts/embedded-pg.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    dataDir: string;
    /** PostgreSQL's server binaries (initdb, pg_ctl) for tests that run a cluster of their own; "" if unknown. */
    pgBinDir: string;
  }
}

export default async function setup(project: TestProject) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `vouch-${project.name}-`));
  let url: string;
  let teardown: () => Promise<void>;
  if (project.name === "postgres") {
    // The given server, or (vitest run on its own, without npm test) a throwaway embedded one.
    let base = process.env.VOUCH_TEST_PG_URL;
    let embedded: { stop: () => Promise<void> } | null = null;
    if (!base) {
      const started = await startEmbeddedPostgres();
      embedded = started;
      base = started.url;
      process.env.VOUCH_TEST_PG_BIN ??= started.binDir; // read below, after both projects' setup
    }
    const server = base;
    const name = `vouch_test_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    // A statement waiting over 15 s for a lock fails, naming itself, instead of holding its test (and the
    // run) until the timeouts: for every connection to this database, spawned servers included.
    await admin.query(`ALTER DATABASE "${name}" SET lock_timeout = '15s'`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    url = u.toString();
    teardown = async () => {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
      await embedded?.stop();
    };
  } else {
    url = `file:${path.join(dataDir, "test.db")}`;
    teardown = async () => {};
  }
  await ensureSchema(resolveDatabase({ DATABASE_URL: url }));
  project.provide("databaseUrl", url);
  project.provide("dataDir", dataDir);
  project.provide("pgBinDir", process.env.VOUCH_TEST_PG_BIN ?? "");
  return async () => {
    await teardown();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
