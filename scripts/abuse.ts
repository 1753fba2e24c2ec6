// `npm run abuse -- [--url http://127.0.0.1:3000] [--community <slug>] [--count 20000] [--pid <pid>]`
// Throws the hardening issue's hostile traffic at a started Vouch (loopback only, bounded in count and
// time) and prints, per phase, the answers by status, the time taken and the server's RSS. Not a test:
// the figures go into docs/security.md.
import { parseArgs } from "node:util";
import { assertLoopback, flood, pidListeningOn, rssMiB, shots, type Shot } from "./abuse-traffic";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:3000" },
    community: { type: "string" },
    count: { type: "string", default: "20000" },
    pid: { type: "string" },
    concurrency: { type: "string", default: "32" },
  },
});
const base = values.url!.replace(/\/+$/, "");
assertLoopback(base);
const count = Number(values.count);
if (!Number.isInteger(count) || count < 1 || count > 200_000)
  throw new Error("--count must be a whole number from 1 to 200000");
const concurrency = Number(values.concurrency);
const pid = values.pid ? Number(values.pid) : pidListeningOn(Number(new URL(base).port || 80));
const rss = () => (pid ? `${rssMiB(pid)} MiB` : "n/a (pass --pid)");

console.log(
  `vouch abuse run against ${base} (server pid ${pid ?? "unknown"}), ${count} requests a phase, ${concurrency} in flight`,
);
console.log(`RSS at start: ${rss()}`);
const phases: [string, number, (i: number) => Shot][] = [
  ["OPTIONS, random 6 KB slugs", count, shots.longSlugPreflight],
  ["POST, random unknown well-formed slugs", count, shots.unknownSlug],
  ["GET, random long paths (Next.js)", Math.min(count, 5000), shots.longPath],
];
if (values.community) {
  phases.push(["POST, 50 KB property names (log bound)", 200, shots.hugeRefusal(values.community)]);
  phases.push([
    "POST, one community, one client (rate limit)",
    Math.min(count, 5000),
    shots.identity(values.community),
  ]);
}
for (const [name, n, make] of phases) {
  const r = await flood(base, n, make, { concurrency, maxSeconds: 180 });
  const statuses = Object.entries(r.byStatus)
    .map(([s, k]) => `${s}×${k}`)
    .join(" ");
  console.log(
    `${name.padEnd(48)} ${String(r.sent).padStart(6)} sent in ${r.seconds.toFixed(1).padStart(5)} s (${Math.round(r.sent / r.seconds)} req/s), slowest ${r.slowestMs} ms: ${statuses}; RSS ${rss()}`,
  );
}

// Sign-in return paths: never off-origin, never a 5xx.
const hostileNext = [
  "//evil.example",
  "/\t/evil.example",
  "/%2F%2Fevil.example",
  "/\\evil.example",
  "https://evil.example",
  "javascript:alert(1)",
  "/\uff0fevil.example",
  "/\r\n/x",
];
const answers: string[] = [];
for (const next of hostileNext) {
  const res = await fetch(`${base}/login?next=${encodeURIComponent(next)}`, { redirect: "manual" });
  const location = res.headers.get("location");
  if (res.status >= 500 || (location && new URL(location, base).origin !== new URL(base).origin))
    answers.push(`FAIL ${JSON.stringify(next)} → ${res.status} ${location}`);
  else answers.push(`${res.status}`);
}
console.log(`/login?next= with ${hostileNext.length} hostile values: ${answers.join(", ")}`);
console.log(`RSS at end: ${rss()}`);
