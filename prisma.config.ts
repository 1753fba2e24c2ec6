// Prisma CLI configuration: one set of models, two providers, the JavaScript (WebAssembly) schema
// engine through driver adapters, so migrate/generate run offline. The provider follows
// DATABASE_URL exactly as the app does (lib/db-url.ts). Run the CLI through scripts/prisma.mjs,
// which preloads the fixes for this Prisma version (see scripts/prisma-preload.cjs).
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { resolveDatabase } from "./lib/db-url";

// Prisma 6.19 otherwise reports every schema error as a failed engine download.
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= "/dev/null";

const db = resolveDatabase(process.env);

/** SQLite: the shadow database replays migrations as multi-statement scripts; route them to executeScript. */
function sqliteAdapter(url: string) {
  const factory = new PrismaBetterSQLite3({ url });
  const connectToShadowDb = factory.connectToShadowDb.bind(factory);
  factory.connectToShadowDb = async () => {
    const shadow = await connectToShadowDb();
    const executeRaw = shadow.executeRaw.bind(shadow);
    shadow.executeRaw = (query) =>
      query.args.length === 0 ? shadow.executeScript(query.sql).then(() => 0) : executeRaw(query);
    return shadow;
  };
  return factory;
}

/** PostgreSQL: explicit connection fields (a connectionString would also rename the shadow database),
 *  and a shadow database that we create and drop ourselves. */
function pgAdapter(url: string) {
  const u = new URL(url);
  const fields = {
    host: decodeURIComponent(u.hostname),
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || "postgres"),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.slice(1) || "postgres"),
    allowExitOnIdle: true,
  };
  const factory = new PrismaPg(fields);
  factory.connectToShadowDb = async () => {
    const name = `vouch_shadow_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ ...fields });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const shadowFactory = new PrismaPg({ ...fields, database: name });
    const adapter = await shadowFactory.connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      const dropper = new pg.Client({ ...fields });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropper.end();
    };
    return adapter;
  };
  return factory;
}

export default defineConfig({
  engine: "js",
  experimental: { adapter: true },
  schema: `prisma/${db.provider}`,
  migrations: { path: `prisma/${db.provider}/migrations` },
  adapter: async () => (db.provider === "postgres" ? pgAdapter(db.url) : sqliteAdapter(db.url)),
});
