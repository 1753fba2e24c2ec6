#!/usr/bin/env node
// Summarises a V8 CPU profile (node --cpu-prof) for docs/benchmarks.md: self time by area (the
// package or Vouch folder a function lives in) and the heaviest functions.
//   node scripts/profile-summary.mjs <file.cpuprofile> [top=25]
import fs from "node:fs";

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: node scripts/profile-summary.mjs <file.cpuprofile> [top]");
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(file, "utf8"));
const top = Number(topArg ?? 25);

// Self time per node: samples × the mean interval.
const interval = (profile.endTime - profile.startTime) / Math.max(1, profile.samples.length);
const hits = new Map();
for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);

function area(url, name) {
  if (!url)
    return name === "(garbage collector)"
      ? "GC"
      : name === "(idle)"
        ? "idle"
        : name.startsWith("(")
          ? name
          : "V8 / native";
  if (url.startsWith("node:"))
    return `node: ${url
      .slice(5)
      .replace(/^internal\//, "")
      .split("/")
      .slice(0, 2)
      .join("/")
      .replace(/\.js$/, "")}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) {
    if (pkg[1] === "@vouch/core") {
      const mod = /@vouch\/core\/(.+?)\.js/.exec(url)?.[1] ?? "?";
      return `vouch: ${/(^|\/)chunk-/.test(mod) ? "(shared chunk)" : mod.split("/").slice(0, 2).join("/")}`;
    }
    return pkg[1];
  }
  if (url.includes("/lib/")) return `vouch: ${url.split("/lib/")[1].replace(/\.[tj]s$/, "")}`;
  return url
    .replace(/^file:\/\//, "")
    .split("/")
    .slice(-2)
    .join("/");
}

const byArea = new Map();
const byFunction = new Map();
let total = 0;
for (const node of profile.nodes) {
  const n = hits.get(node.id) ?? 0;
  if (!n) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const ms = (n * interval) / 1000;
  total += ms;
  const a = area(url, functionName);
  byArea.set(a, (byArea.get(a) ?? 0) + ms);
  const fn = `${functionName || "(anonymous)"} — ${a}${url ? `:${lineNumber + 1}` : ""}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
}
const busy = total - (byArea.get("idle") ?? 0);
const rows = (m) =>
  [...m]
    .filter(([k]) => k !== "idle")
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, ms]) => `| ${k} | ${ms.toFixed(0)} | ${((100 * ms) / busy).toFixed(1)}% |`)
    .join("\n");
console.log(
  `Profile: ${(total / 1000).toFixed(1)} s sampled, ${(busy / 1000).toFixed(1)} s busy (${((100 * busy) / total).toFixed(0)}%).\n`,
);
console.log(`| area | self ms | of busy |\n|---|---:|---:|\n${rows(byArea)}\n`);
console.log(`| function | self ms | of busy |\n|---|---:|---:|\n${rows(byFunction)}\n`);

// Inclusive time: each busy sample counted once for every function on its stack (a function and what
// it calls) — where a request's time goes, e.g. answerPost → verification → jose → WebCrypto.
const parentOf = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const inclusive = new Map();
for (const [id, n] of hits) {
  if (byId.get(id).callFrame.functionName === "(idle)") continue;
  const seen = new Set();
  for (let at = id; at !== undefined; at = parentOf.get(at)) {
    const { functionName, url, lineNumber } = byId.get(at).callFrame;
    if (functionName === "(root)") continue;
    const fn = `${functionName || "(anonymous)"} — ${area(url, functionName)}${url ? `:${lineNumber + 1}` : ""}`;
    if (seen.has(fn)) continue;
    seen.add(fn);
    inclusive.set(fn, (inclusive.get(fn) ?? 0) + (n * interval) / 1000);
  }
}
console.log(`| function, inclusive | ms | of busy |\n|---|---:|---:|\n${rows(inclusive)}`);
