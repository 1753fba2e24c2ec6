// Creates this project's test database (a fresh SQLite file, or a fresh PostgreSQL database on the
// server named by VOUCH_TEST_PG_URL), migrates it with the committed migrations, and drops it after.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { ensureSchema } from "../../lib/migrate";
import { resolveDatabase } from "../../lib/db-url";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    dataDir: string;
  }
}

export const PG_HINT =
  "VOUCH_TEST_PG_URL is not set: the PostgreSQL tests need a server to create a scratch database on, e.g.\n" +
  "  VOUCH_TEST_PG_URL=postgresql://postgres@127.0.0.1:5432/test npm test";

export default async function setup(project: TestProject) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `vouch-${project.name}-`));
  let url: string;
  let teardown: () => Promise<void>;
  if (project.name === "postgres") {
    const base = process.env.VOUCH_TEST_PG_URL;
    if (!base) throw new Error(PG_HINT);
    const name = `vouch_test_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    url = u.toString();
    teardown = async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    };
  } else {
    url = `file:${path.join(dataDir, "test.db")}`;
    teardown = async () => {};
  }
  await ensureSchema(resolveDatabase({ DATABASE_URL: url }));
  project.provide("databaseUrl", url);
  project.provide("dataDir", dataDir);
  return async () => {
    await teardown();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
