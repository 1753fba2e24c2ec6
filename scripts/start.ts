// `npm start`: the one command that sets up and starts Vouch.
//   1. validates the environment and creates the data folder's secrets if missing,
//   2. builds the app when there is no build or the sources changed since the last one,
//   3. brings the database schema up to date (committed migrations),
//   4. serves the production build on PORT (default 3000) with scripts/server.ts.
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadEnv } from "../lib/env";
import { ensureSchema } from "../lib/migrate";
import { verifyEncryptionKey } from "../lib/encryption-key";
import { disconnectDb } from "../lib/db";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const nextBin = path.join(root, "node_modules/next/dist/bin/next");
const SOURCES = [
  "app",
  "components",
  "lib",
  "public",
  "proxy.ts",
  "next.config.js",
  "postcss.config.mjs",
  "tsconfig.json",
  "package-lock.json",
];

function sourceHash(): string {
  const hash = crypto.createHash("sha256");
  const visit = (rel: string) => {
    const full = path.join(root, rel);
    if (!fs.existsSync(full)) return;
    const stat = fs.statSync(full);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(full).sort()) visit(path.join(rel, name));
    } else {
      hash.update(rel).update("\0").update(fs.readFileSync(full)).update("\0");
    }
  };
  SOURCES.forEach(visit);
  return hash.digest("hex");
}

function buildIfStale() {
  const marker = path.join(root, ".next/vouch-source-hash");
  const current = sourceHash();
  const built =
    fs.existsSync(path.join(root, ".next/BUILD_ID")) &&
    fs.existsSync(marker) &&
    fs.readFileSync(marker, "utf8") === current;
  if (built) return;
  console.log("vouch: building the app (first start, or the sources changed)…");
  const r = spawnSync(process.execPath, [nextBin, "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
  fs.writeFileSync(marker, current);
}

async function main() {
  let env;
  try {
    env = loadEnv();
  } catch (err) {
    console.error(`vouch: ${(err as Error).message}`);
    process.exit(1);
  }
  buildIfStale();
  const t0 = Date.now();
  const { applied } = await ensureSchema(env.database);
  console.log(
    `vouch: database ${env.database.provider === "sqlite" ? env.database.file : "PostgreSQL"} ${applied ? "migrated" : "up to date"} (${Date.now() - t0} ms)`,
  );
  // The encryption key must be the one that sealed this database's secrets (created here only while there are none).
  await verifyEncryptionKey(env);
  await disconnectDb();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/server.ts")], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, PORT: String(env.port), NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main().catch((err) => {
  console.error(`vouch: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
