#!/usr/bin/env node
// `npm run build` (also run by `npm install`): builds what `npm start` serves, in two steps.
//   1. The server core — every module of lib/ but the Next.js glue in lib/next/ — compiled by esbuild
//      into node_modules/@vouch/core, one file per module plus shared chunks. next.config.js names it in
//      serverExternalPackages, so the production process loads each module once, through Node's module
//      cache: the console's pages, server actions and route files (which Next would otherwise bundle, a
//      copy per route) and the node:http identity route in scripts/start.mjs all share one database
//      client, one configuration cache, one rate limiter and one telemetry buffer.
//   2. `next build`.
// The sources' hash is written last: `npm start` refuses a build that does not match the sources.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { coreDir, recordBuild, root, sourceHash } from "./build-state.mjs";

const t0 = Date.now();
const hash = sourceHash();
const lib = path.join(root, "lib");
const entryPoints = [];
const collect = (dir) => {
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) {
      // The Prisma clients are reached through lib/db.ts; lib/next/ is the Next.js glue, bundled by Next;
      // the operator CLI (lib/cli/) and the demo shop (lib/demo/) run from their sources through tsx
      // (scripts/vouch.mjs, scripts/demo.ts) and are no part of the production server.
      if (!["generated", "next", "cli", "demo"].includes(d.name)) collect(full);
    } else if (/\.tsx?$/.test(d.name) && !/\.test\.tsx?$/.test(d.name)) entryPoints.push(full);
  }
};
collect(lib);

fs.rmSync(coreDir, { recursive: true, force: true });
fs.mkdirSync(coreDir, { recursive: true });
await build({
  entryPoints,
  outbase: lib,
  outdir: coreDir,
  bundle: true,
  splitting: true, // a module reached from several entries lives in one shared chunk: one copy
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external", // dependencies come from node_modules, as for the rest of the app
  sourcemap: true,
  logLevel: "warning",
  chunkNames: "chunks/[name]-[hash]",
});
// `types` (and `vouch-source`) point at the TypeScript sources through a link, so type-checking and
// the tests read lib/ itself; Node and Next.js read the compiled files.
fs.symlinkSync(path.relative(coreDir, lib), path.join(coreDir, "src"), "dir");
fs.writeFileSync(
  path.join(coreDir, "package.json"),
  JSON.stringify(
    {
      name: "@vouch/core",
      private: true,
      description: "Vouch's server core (lib/), compiled by scripts/build.mjs; do not edit",
      type: "module",
      exports: { "./*": { "vouch-source": "./src/*.ts", types: "./src/*.ts", default: "./*.js" } },
    },
    null,
    2,
  ) + "\n",
);
console.log(`vouch: compiled the server core (${entryPoints.length} modules) in ${Date.now() - t0} ms`);

if (process.argv.includes("--core-only")) process.exit(0);
const r = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
});
if (r.status !== 0) process.exit(r.status ?? 1);
recordBuild(hash);
console.log(`vouch: build done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
