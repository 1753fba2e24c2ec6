// Brings the database schema up to date with the committed migrations (prisma/<provider>/migrations),
// the way `prisma migrate deploy` does — because it IS prisma migrate deploy, run only when a cheap
// query shows a migration is missing. Used by `npm start`, the CLI and the test setup.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createDb } from "./db";
import type { DatabaseTarget } from "./db-url";
import { projectRoot as root } from "./project-root";

export function committedMigrations(provider: DatabaseTarget["provider"]): string[] {
  const dir = path.join(root, "prisma", provider, "migrations");
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort();
}

async function appliedMigrations(target: DatabaseTarget): Promise<Set<string> | null> {
  if (target.provider === "sqlite" && target.file && target.file !== ":memory:" && !fs.existsSync(target.file)) {
    return null;
  }
  const client = createDb(target);
  try {
    const rows = await client.$queryRawUnsafe<{ migration_name: string }[]>(
      `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    return new Set(rows.map((r) => r.migration_name));
  } catch {
    return null; // no migrations table yet, or the database does not exist
  } finally {
    await client.$disconnect();
  }
}

export interface EnsureSchemaResult {
  applied: boolean;
}

export async function ensureSchema(target: DatabaseTarget): Promise<EnsureSchemaResult> {
  const wanted = committedMigrations(target.provider);
  const have = await appliedMigrations(target);
  if (have && wanted.every((m) => have.has(m))) return { applied: false };
  if (target.provider === "sqlite" && target.file && target.file !== ":memory:") {
    fs.mkdirSync(path.dirname(target.file), { recursive: true, mode: 0o700 });
  }
  const r = spawnSync(
    process.execPath,
    [
      "-r",
      path.join(root, "scripts/prisma-preload.cjs"),
      path.join(root, "node_modules/prisma/build/index.js"),
      "migrate",
      "deploy",
    ],
    {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: target.url, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
    },
  );
  if (r.status !== 0) {
    const out = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim();
    throw new Error(`Database migration failed (${target.provider}):\n${out}`);
  }
  if (target.provider === "sqlite") {
    // WAL lets the console read while the identity route writes; the setting persists in the file.
    const client = createDb(target);
    try {
      await client.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    } finally {
      await client.$disconnect();
    }
  }
  return { applied: true };
}
