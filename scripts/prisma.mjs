#!/usr/bin/env node
// Runs the Prisma CLI with this project's fixes preloaded (scripts/prisma-preload.cjs).
//   node scripts/prisma.mjs generate          generate the client for both providers
//   node scripts/prisma.mjs check             fail if either provider's migrations lag the models
//   node scripts/prisma.mjs <prisma args...>  anything else, passed through
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "node_modules/prisma/build/index.js");
const preload = path.join(root, "scripts/prisma-preload.cjs");
const providers = ["sqlite", "postgres"];

export function prisma(args, env = {}) {
  const r = spawnSync(process.execPath, ["-r", preload, cli, ...args], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1", ...env },
  });
  return r.status ?? 1;
}

function pgUrlForCheck() {
  const url = process.env.VOUCH_TEST_PG_URL || process.env.DATABASE_URL;
  if (!url || !/^postgres/.test(url)) {
    console.error(
      "check: set VOUCH_TEST_PG_URL (e.g. postgresql://postgres@127.0.0.1:5432/test) to check the PostgreSQL migrations",
    );
    process.exit(2);
  }
  return url;
}

const [cmd, ...rest] = process.argv.slice(2);
if (cmd === "generate") {
  for (const p of providers) {
    const status = prisma(["generate", "--schema", `prisma/${p}`, ...rest]);
    if (status !== 0) process.exit(status);
  }
} else if (cmd === "check") {
  let failed = false;
  for (const p of providers) {
    const env = { DATABASE_URL: p === "postgres" ? pgUrlForCheck() : "file::memory:" };
    const status = prisma(
      [
        "migrate",
        "diff",
        "--exit-code",
        "--from-migrations",
        `prisma/${p}/migrations`,
        "--to-schema-datamodel",
        `prisma/${p}`,
      ],
      env,
    );
    if (status === 2) {
      console.error(`\n✗ prisma/${p}/migrations lag prisma/models.prisma: run "npm run db:migration -- <name>"`);
      failed = true;
    } else if (status !== 0) {
      console.error(`\n✗ migration check for ${p} failed (exit ${status})`);
      failed = true;
    } else console.log(`✓ ${p} migrations match the models`);
  }
  process.exit(failed ? 1 : 0);
} else if (cmd) {
  process.exit(prisma([cmd, ...rest]));
} else {
  console.error("usage: node scripts/prisma.mjs generate|check|<prisma args>");
  process.exit(2);
}
