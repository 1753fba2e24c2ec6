// `npm run bench` — not a test: measures the identity route as `npm start` serves it (scripts/start.mjs:
// node:http in front of Next, the identity route answered before Next sees it) and, in the same
// run and on the same machine, two references: a constant Next.js route (the framework's ceiling)
// and a plain node:http server doing the same jose verification. Prints req/s, p50/p99 latency,
// server RSS and the ratios; `-- --write` also replaces this database's latest-run section of docs/benchmarks.md.
//   --duration <s>   seconds per scenario (default 10)     --soak <s>   then a soak of this length
//   --rounds <n>     the route and its references run n times, interleaved (default 3): the machine's
//                    drift hits both sides of a round alike, so each ratio is the median of per-round ratios
//   --profile <dir>  only the identity route (HS256 at c=50), `npm start` under
//                    node --cpu-prof writing its profile to <dir> (summarise: scripts/profile-summary.mjs)
//   --only <regexp>  only the interleaved scenarios whose name matches, then stop (quick comparisons
//                    while tuning, e.g. --only HS256; no ratios beyond the rounds, no --write)
//   BENCH_DATABASE_URL=postgresql://…   benchmark on PostgreSQL instead of SQLite
import { fork, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { SignJWT } from "jose";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    soak: { type: "string", default: "0" },
    write: { type: "boolean", default: false },
    profile: { type: "string" },
    rounds: { type: "string", default: "3" },
    only: { type: "string" },
  },
});
const duration = Number(args.duration);
const soakSeconds = Number(args.soak);
const rounds = Number(args.rounds);
if (!(Number.isInteger(rounds) && rounds >= 1 && rounds <= 10)) {
  console.error("bench: --rounds must be an integer 1–10");
  process.exit(2);
}
if (args.only !== undefined && args.write) {
  console.error("bench: --only is for quick comparisons; --write needs the whole run");
  process.exit(2);
}
if (!(duration > 0 && duration <= 120) || !(soakSeconds >= 0 && soakSeconds <= 3600)) {
  console.error("bench: --duration must be 1–120 s and --soak 0–3600 s");
  process.exit(2);
}

const APP_PORT = 3300;
const REF_PORT = 3301;
const LEAN_PORT = 3302;
const SAME_WORK_PORT = 3303;
const LEAN_PORT_2 = 3304;
const BALANCER_PORT = 3305;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-bench-"));
const SECRET = crypto.randomBytes(12).toString("hex");
const rsa = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const children: ChildProcess[] = [];
const cleanup = () => {
  for (const c of children) c.kill("SIGTERM");
  fs.rmSync(dataDir, { recursive: true, force: true });
};
process.on("exit", cleanup);
process.on("SIGINT", () => process.exit(130));

process.env.VOUCH_DATA_DIR = dataDir;
if (process.env.BENCH_DATABASE_URL) process.env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
else delete process.env.DATABASE_URL;

async function waitFor(url: string, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up`);
}

function rssMiB(pid: number): number {
  // `next start` runs the server in the same process tree: sum the RSS of the process and its children.
  const pids = [
    pid,
    ...fs
      .readdirSync("/proc")
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return fs.readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]!.split(" ")[1] === String(pid);
        } catch {
          return false;
        }
      })
      .map(Number),
  ];
  let kb = 0;
  for (const p of pids) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // exited
    }
  }
  return Math.round(kb / 1024);
}

type PackageJson = { scripts: { start: string } };

interface Row {
  scenario: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  rssMiB: number;
  /** The server process's CPU time (all its threads: user + system) per answered request, µs. */
  cpuUs?: number;
  /** Group commit: identity rows per upsert statement (each one commit), from the server's /api/metrics. */
  rowsPerCommit?: number;
}
const rows: Row[] = [];

const METRICS_TOKEN = crypto.randomBytes(16).toString("hex");
process.env.VOUCH_METRICS_TOKEN = METRICS_TOKEN; // every Vouch server of the run: /api/metrics on
/** The group-commit counters of a Vouch server (statements, rows), or null for the references. */
async function commitCounts(url: string): Promise<[number, number] | null> {
  const metrics = new URL("/api/metrics", url);
  const res = await fetch(metrics, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).catch(() => null);
  if (!res?.ok) return null;
  const text = await res.text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\d+)`, "m").exec(text)?.[1] ?? NaN);
  return [value("vouch_identity_write_statements_total"), value("vouch_identity_write_rows_total")];
}

/** What the identity writes of a Vouch server did since it started (changed / unchanged / locked). */
async function identityWrites(url: string): Promise<Record<"changed" | "unchanged" | "locked", number> | null> {
  const res = await fetch(new URL("/api/metrics", url), {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  }).catch(() => null);
  if (!res?.ok) return null;
  const text = await res.text();
  const value = (result: string) =>
    Number(new RegExp(`^vouch_identity_writes_total\\{result="${result}"\\} (\\d+)`, "m").exec(text)?.[1] ?? 0);
  return { changed: value("changed"), unchanged: value("unchanged"), locked: value("locked") };
}

/** CPU time a process has used so far (user + system, all threads), in clock ticks (1/100 s on Linux). */
function cpuTicks(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of proc(5))
  } catch {
    return NaN;
  }
}

async function run(
  scenario: string,
  url: string,
  connections: number,
  pid: number,
  bodies?: Bodies,
  seconds = duration,
  record = true,
): Promise<Row> {
  let i = 0;
  const before = bodies ? await commitCounts(url) : null;
  const ticks = cpuTicks(pid);
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      bodies
        ? {
            method: "POST",
            headers: { "content-type": "application/json" },
            setupRequest: (req) => ({
              ...req,
              body: typeof bodies === "function" ? bodies(i++) : bodies[i++ % bodies.length],
            }),
          }
        : { method: "GET" },
    ],
  });
  const row = {
    scenario,
    connections,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    rssMiB: rssMiB(pid),
    cpuUs: Math.round(((cpuTicks(pid) - ticks) * 10_000) / Math.max(1, result.requests.total)),
  } as Row;
  const after = before ? await commitCounts(url) : null;
  if (before && after && after[0] > before[0])
    row.rowsPerCommit = Math.round((10 * (after[1] - before[1])) / (after[0] - before[0])) / 10;
  if (record) rows.push(row);
  console.log(
    `${scenario.padEnd(34)} c=${String(connections).padStart(2)}  ${String(row.rps).padStart(6)} req/s  p50 ${row.p50} ms  p99 ${row.p99} ms  errors ${row.errors}  CPU ${row.cpuUs} µs/req  RSS ${row.rssMiB} MiB${row.rowsPerCommit ? `  ${row.rowsPerCommit} rows/commit` : ""}`,
  );
  return row;
}

/** Unmeasured load at c=50: POSTs of random bodies for `seconds` (warm-up, soak). */
/** Request bodies: a list cycled through, or made per request (n counts the scenario's requests). */
type Bodies = string[] | ((n: number) => string);

const load = (url: string, bodies: string[], seconds: number) =>
  autocannon({
    url,
    connections: 50,
    duration: seconds,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        setupRequest: (req) => ({ ...req, body: bodies[Math.floor(Math.random() * bodies.length)] }),
      },
    ],
  });

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
/** One table row for a scenario run in rounds: medians, the errors of all rounds, the largest RSS. */
type Combined = Row & { perRound: number[] };
function combine(runs: Row[]): Combined {
  const row = {
    ...runs[0]!,
    rps: Math.round(median(runs.map((r) => r.rps))),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    rssMiB: Math.max(...runs.map((r) => r.rssMiB)),
    cpuUs: median(runs.map((r) => r.cpuUs ?? NaN)),
    rowsPerCommit: runs[0]!.rowsPerCommit === undefined ? undefined : median(runs.map((r) => r.rowsPerCommit ?? 0)),
    perRound: runs.map((r) => r.rps),
  };
  rows.push(row);
  return row;
}

async function main() {
  // Seed one community doing the full work: mode accept, two keys, a regex custom field, mappings.
  const { importCommunityConfig } = await import("../lib/dal/community-config");
  const { ensureSchema } = await import("../lib/migrate");
  const { loadEnv } = await import("../lib/env");
  const { disconnectDb } = await import("../lib/db");
  await ensureSchema(loadEnv().database);
  await (await import("../lib/encryption-key")).verifyEncryptionKey();
  await importCommunityConfig(null, {
    version: 1,
    community: {
      name: "Bench",
      slug: "bench",
      signed_identities: "accept",
      clock_skew_seconds: 10,
      allowed_origins: [],
      // The limiter is evaluated on every request, with limits high enough never to trip from one address.
      rate_limit_per_minute: 1_000_000,
      jwt_keys: [
        { kid: "bench_hs", algorithm: "HS256", secret: SECRET },
        {
          kid: "bench_rs",
          algorithm: "RS256",
          public_key: rsa.publicKey.export({ type: "spki", format: "pem" }).toString(),
        },
      ],
      custom_fields: [{ key: "customer_id", label: "Customer ID", type: "string", regex: "^C[0-9]{6}$" }],
      extra_value_mappings: [
        { key: "uuid", field: "custom:customer_id" },
        { key: "cell_number", field: "mobile_phone" },
      ],
    },
  });
  // The same community once more, with one webhook endpoint subscribed to every event (a local receiver
  // answering 204): what a subscribed endpoint costs the route (docs/reference.md, webhooks).
  const { configureWebhookOutgoing, createWebhookEndpoint } = await import("../lib/dal/webhooks");
  const { SUBSCRIBABLE_EVENT_TYPES } = await import("../lib/webhooks/events");
  const http = await import("node:http");
  let received = 0;
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as import("node:net").AddressInfo).port}/hooks`;
  process.env.VOUCH_ALLOW_PRIVATE_URLS = "1"; // the servers below deliver to 127.0.0.1
  configureWebhookOutgoing({ allowPrivate: true });
  const benchDocument = await (
    await import("../lib/dal/community-config")
  ).exportCommunityConfig(null, "bench", {
    includeSecrets: true,
  });
  await importCommunityConfig(null, {
    ...benchDocument,
    community: { ...benchDocument.community, name: "Bench hooks", slug: "bench-hooks" },
  });
  await createWebhookEndpoint(null, "bench-hooks", { url: receiverUrl, events: [...SUBSCRIBABLE_EVENT_TYPES] });
  // The same-work reference's table: shaped like Vouch's `identity` (columns and indexes; no foreign key).
  const database = loadEnv().database;
  const { db } = await import("../lib/db");
  await db().$executeRawUnsafe(`DROP TABLE IF EXISTS bench_ref_identity`);
  if (database.provider === "postgres") {
    await db().$executeRawUnsafe(`CREATE TABLE bench_ref_identity (LIKE "identity" INCLUDING ALL)`);
  } else {
    const ddl = await db().$queryRawUnsafe<{ sql: string }[]>(
      `SELECT sql FROM sqlite_master WHERE tbl_name = 'identity' AND sql IS NOT NULL ORDER BY type DESC`,
    );
    for (const { sql } of ddl) {
      await db().$executeRawUnsafe(
        sql
          .replace(/,\s*CONSTRAINT "[^"]+" FOREIGN KEY[^\n]*(?=\n\)$)/, "")
          .replace(/"identity"/g, "bench_ref_identity")
          .replace(/INDEX "identity_/g, 'INDEX "bench_ref_identity_'),
      );
    }
  }
  const referenceStore = database.provider === "postgres" ? `postgres:${database.url}` : `sqlite:${database.file}`;
  await disconnectDb();

  const exp = Math.floor(Date.now() / 1000) + 4 * 3600;
  const sign = (kid: string, alg: "HS256" | "RS256", n: number) =>
    new SignJWT({
      uuid: `C${String(100000 + (n % 900000)).padStart(6, "0")}`,
      firstname: "Bench",
      email: "bench@example.com",
      exp,
      extra_values: { cell_number: "+1 555 0100" },
    })
      .setProtectedHeader({ alg, kid, typ: "JWT" })
      .sign(alg === "HS256" ? new TextEncoder().encode(SECRET) : rsa.privateKey);
  // A token made per request for a uuid never seen before (HMAC in this process, synchronously: jose's
  // signing is asynchronous and autocannon asks for bodies synchronously). Each round its own uuids.
  const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const hsHeader = b64url({ alg: "HS256", kid: "bench_hs", typ: "JWT" });
  let newRound = 0;
  const newVisitors = () => {
    const round = ++newRound;
    return (n: number) => {
      const claims = b64url({ uuid: `new-${round}-${n}`, firstname: "Bench", email: "bench@example.com", exp });
      const mac = crypto.createHmac("sha256", SECRET).update(`${hsHeader}.${claims}`).digest("base64url");
      return JSON.stringify({ signed_identity: `${hsHeader}.${claims}.${mac}` });
    };
  };
  const hsBodies = await Promise.all(
    Array.from({ length: 2000 }, async (_, n) =>
      JSON.stringify({ signed_identity: await sign("bench_hs", "HS256", n) }),
    ),
  );
  const rsBodies = await Promise.all(
    Array.from({ length: 500 }, async (_, n) =>
      JSON.stringify({ signed_identity: await sign("bench_rs", "RS256", n) }),
    ),
  );
  // Data that changes at every request of a visitor (each uuid alternates between two first names), so a
  // subscribed community writes an identity.updated message for every request.
  const changingBodies = Array.from({ length: 4000 }, (_, n) =>
    JSON.stringify({ identity: { uuid: `changing-${n % 2000}`, firstname: n < 2000 ? "Ada" : "Grace" } }),
  );
  const unsignedBodies = Array.from({ length: 2000 }, (_, n) =>
    JSON.stringify({
      identity: { uuid: `visitor-${n}`, firstname: "Bench", extra_values: { cell_number: "+1 555 0100" } },
    }),
  );

  console.log("bench: starting the production build (`npm run build` first if it is out of date)…");
  const profileArgs = args.profile ? ["--cpu-prof", "--cpu-prof-dir", path.resolve(args.profile)] : [];
  // Exactly what `npm start` runs: its node options (the heap cap, see package.json) and script.
  const startArgs = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as PackageJson).scripts.start
    .split(/\s+/)
    .slice(1);
  const app = spawn(process.execPath, [...profileArgs, ...startArgs], {
    cwd: root,
    env: { ...process.env, PORT: String(APP_PORT), LOG_LEVEL: "warn", VOUCH_RATE_LIMIT_PER_CLIENT: "10000000" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  children.push(app);
  await Promise.race([
    waitFor(`http://127.0.0.1:${APP_PORT}/api/health/console`, 300_000),
    new Promise((_, reject) => app.once("exit", (code) => reject(new Error(`npm start exited (${code})`)))),
  ]);
  const { SQLITE_WAL_AUTOCHECKPOINT } = await import("../lib/db-raw");
  const referenceEnv = {
    ...process.env,
    BENCH_SQLITE_WAL_AUTOCHECKPOINT: String(SQLITE_WAL_AUTOCHECKPOINT), // the same work, the same SQLite setting
    BENCH_HS256_SECRET: SECRET,
    BENCH_RS256_PUBLIC_KEY: rsa.publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
  const ref = fork(path.join(root, "scripts/bench-reference.mjs"), [], {
    env: { ...referenceEnv, PORT: String(REF_PORT) },
    stdio: "inherit",
  });
  children.push(ref);
  await new Promise((resolve) => ref.once("message", resolve));
  // The floor for this work: verify + one prepared upsert of the row, no framework, no Vouch code.
  const sameWork = fork(path.join(root, "scripts/bench-reference.mjs"), [], {
    env: { ...referenceEnv, PORT: String(SAME_WORK_PORT), BENCH_STORE: referenceStore },
    stdio: "inherit",
  });
  children.push(sameWork);
  await new Promise((resolve) => sameWork.once("message", resolve));

  const lean = fork(path.join(root, "scripts/identity-server.ts"), [], {
    execArgv: ["--import", "tsx"],
    env: {
      ...process.env,
      IDENTITY_PORT: String(LEAN_PORT),
      LOG_LEVEL: "warn",
      NODE_ENV: "production",
      VOUCH_RATE_LIMIT_PER_CLIENT: "10000000",
    },
    stdio: "inherit",
  });
  children.push(lean);
  await new Promise((resolve) => lean.once("message", resolve));

  const route = `http://127.0.0.1:${APP_PORT}/api/v1/communities/bench/identity`;
  const hooksRoute = `http://127.0.0.1:${APP_PORT}/api/v1/communities/bench-hooks/identity`;
  const leanRoute = `http://127.0.0.1:${LEAN_PORT}/api/v1/communities/bench/identity`;
  const appPid = app.pid!;
  // Warm-up (JIT, caches, first compile of the route; both algorithms at full load, as a production
  // server runs), not measured.
  for (const bodies of [hsBodies, rsBodies]) await load(route, bodies, 3);
  // After a scenario that wrote webhook messages, the next one starts once the outbox is empty, so a
  // backlog's deliveries are not charged to it; how fast it drained is a figure of its own.
  const drainRates: number[] = [];
  const drain = async () => {
    const pending = async () => {
      const res = await fetch(`http://127.0.0.1:${APP_PORT}/api/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      return Number(/^vouch_webhook_messages_pending (\d+)/m.exec(await res.text())?.[1] ?? 0);
    };
    const t0 = Date.now();
    const first = await pending();
    let left = first;
    while (left > 0 && Date.now() - t0 < 180_000) {
      await new Promise((r) => setTimeout(r, 250));
      left = await pending();
    }
    if (first > 1000) drainRates.push(Math.round((first - left) / ((Date.now() - t0) / 1000)));
    if (left > 0) console.log(`bench: ${left} webhook messages still pending after 180 s`);
  };
  await load(hooksRoute, hsBodies, 3); // (its 2,000 visitors are stored: identity.created for each, delivered)
  await drain(); // (not measured: the warm-up's messages are delivered before any scenario runs)
  drainRates.length = 0;
  await autocannon({ url: `http://127.0.0.1:${APP_PORT}/api/health/console`, connections: 10, duration: 2 });
  if (args.profile) {
    await run("identity route, HS256 token", route, 50, appPid, hsBodies);
    await new Promise((resolve) => {
      app.once("exit", resolve);
      app.kill("SIGTERM"); // exits, writing its profile
    });
    console.log(`bench: CPU profile written to ${path.resolve(args.profile)}`);
    return;
  }

  const only = args.only === undefined ? null : new RegExp(args.only);
  if (only) console.log(`bench: --only ${only.source}`);
  // The health route is served by Next's router: the framework's ceiling on the same server.
  const constant = (connections: number) =>
    run("Next constant route (GET)", `http://127.0.0.1:${APP_PORT}/api/health/console`, connections, appPid);
  const constant50 = only ? null : await constant(50);
  if (!only) await constant(1);
  // The route and its references, interleaved in rounds (see --rounds). Each route scenario runs right
  // after the reference it is compared with, and the scenarios that write a row per request come last
  // in a round: their background I/O (WAL, the kernel's writeback) slowed whatever ran next.
  const scenarios: [string, string, number, Bodies | (() => Bodies)][] = [
    ["node:http + jose HS256 verify", `http://127.0.0.1:${REF_PORT}/`, ref.pid!, hsBodies],
    ["identity route, HS256 token", route, appPid, hsBodies],
    ["identity route, HS256, one visitor hammering", route, appPid, [hsBodies[0]!]],
    ["identity route, HS256, 1 webhook endpoint", hooksRoute, appPid, hsBodies],
    ["node:http + jose RS256 verify", `http://127.0.0.1:${REF_PORT}/`, ref.pid!, rsBodies],
    ["identity route, RS256 token", route, appPid, rsBodies],
    ["same work: verify + 1 upsert, HS256", `http://127.0.0.1:${SAME_WORK_PORT}/`, sameWork.pid!, hsBodies],
    ["same work: verify + 1 upsert, RS256", `http://127.0.0.1:${SAME_WORK_PORT}/`, sameWork.pid!, rsBodies],
    ["identity route, HS256, new visitors", route, appPid, newVisitors],
    ["identity route, data changing, no endpoint", route, appPid, changingBodies],
    ["identity route, data changing, 1 webhook endpoint", hooksRoute, appPid, changingBodies],
  ];
  const paired: Row[][] = scenarios.map(() => []);
  for (let k = 0; k < rounds; k++) {
    if (rounds > 1) console.log(`bench: round ${k + 1} of ${rounds}`);
    for (const [n, [name, url, pid, bodies]] of scenarios.entries())
      if (!only || only.test(name)) {
        const each =
          typeof bodies === "function" && bodies.length === 0 ? (bodies as () => Bodies)() : (bodies as Bodies);
        paired[n]!.push(await run(name, url, 50, pid, each, duration, false));
        if (url === hooksRoute) await drain();
      }
  }
  if (drainRates.length)
    console.log(`webhook delivery to one local endpoint: ${drainRates.join(", ")} messages/s while idle`);
  if (only) {
    for (const [n, [name]] of scenarios.entries())
      if (paired[n]!.length) console.log(`${name}: median ${combine(paired[n]!).rps} req/s`);
    return;
  }
  const [ref50, hs50, hammer50, hooks50, refRs50, rs50, same50, sameRs50, new50, changing50, changingHooks50] =
    paired.map(combine) as Combined[] as [
      Combined,
      Combined,
      Combined,
      Combined,
      Combined,
      Combined,
      Combined,
      Combined,
      Combined,
      Combined,
      Combined,
    ];
  await run("identity route, HS256 token", route, 1, appPid, hsBodies);
  const un50 = await run("identity route, unsigned identity", route, 50, appPid, unsignedBodies);
  await autocannon({
    url: leanRoute,
    connections: 10,
    duration: 2,
    requests: [{ method: "POST", headers: { "content-type": "application/json" }, body: hsBodies[0] }],
  });
  const lean50 = await run("separate identity server, HS256", leanRoute, 50, lean.pid!, hsBodies);

  // Scale-out (PostgreSQL): a second identity server on the same database, both behind a round-robin
  // balancer — on 2 cores the sum is bounded by the machine, so this shows the overhead, not the gain.
  let scaleLines: string[] = [];
  if (database.provider === "postgres") {
    const second = fork(path.join(root, "scripts/identity-server.ts"), [], {
      execArgv: ["--import", "tsx"],
      env: {
        ...process.env,
        IDENTITY_PORT: String(LEAN_PORT_2),
        LOG_LEVEL: "warn",
        NODE_ENV: "production",
        VOUCH_RATE_LIMIT_PER_CLIENT: "10000000",
      },
      stdio: "inherit",
    });
    children.push(second);
    await new Promise((resolve) => second.once("message", resolve));
    const balancer = fork(path.join(root, "scripts/bench-balancer.mjs"), [], {
      env: { ...process.env, PORT: String(BALANCER_PORT), BENCH_UPSTREAMS: `${LEAN_PORT},${LEAN_PORT_2}` },
      stdio: "inherit",
    });
    children.push(balancer);
    await new Promise((resolve) => balancer.once("message", resolve));
    const balanced = `http://127.0.0.1:${BALANCER_PORT}/api/v1/communities/bench/identity`;
    await autocannon({
      url: balanced,
      connections: 10,
      duration: 2,
      requests: [{ method: "POST", headers: { "content-type": "application/json" }, body: hsBodies[0] }],
    });
    const two = await run("2 identity servers + round-robin, HS256", balanced, 50, lean.pid!, hsBodies);
    two.rssMiB = rssMiB(lean.pid!) + rssMiB(second.pid!);
    two.cpuUs = undefined; // (measured for one of the two servers only: not shown)
    scaleLines = [
      `2 identity servers behind a round-robin balancer / 1 identity server (c=50, one PostgreSQL): ${(two.rps / lean50.rps).toFixed(2)}× the throughput, p99 ${two.p99} ms vs ${lean50.p99} ms (2 cores shared by both servers, the balancer, autocannon and PostgreSQL)`,
    ];
  }

  const ratio = (a: Row, b: Row) => (a.rps / b.rps).toFixed(2);
  const writes = await identityWrites(route);
  /** "0.47× (rounds 0.45, 0.47, 0.50)": the median of per-round ratios (a round against the same round), and each. */
  const roundsRatio = (a: Combined, b: Combined) => {
    const each = a.perRound.map((x, k) => x / b.perRound[k]!);
    return `${median(each).toFixed(2)}×${rounds > 1 ? ` (rounds ${each.map((r) => r.toFixed(2)).join(", ")})` : ""}`;
  };
  const pg = database.provider === "postgres";
  const ratios = [
    `identity route HS256 / node:http + jose verify (c=50): ${roundsRatio(hs50, ref50)} (target ≥ ${pg ? "0.35" : "0.5"})`,
    `identity route RS256 / node:http + jose verify (c=50): ${roundsRatio(rs50, refRs50)} (target ≥ ${pg ? "0.35" : "0.5"})`,
    `identity route HS256 / same work (verify + 1 upsert) (c=50): ${roundsRatio(hs50, same50)}${pg ? "" : " (target ≥ 0.8)"}`,
    `identity route RS256 / same work (verify + 1 upsert) (c=50): ${roundsRatio(rs50, sameRs50)}${pg ? "" : " (target ≥ 0.8)"}`,
    `same work HS256 / node:http + jose verify: ${roundsRatio(same50, ref50)} — what one write per request costs on its own`,
    `separate identity server HS256 / node:http + jose verify (c=50): ${ratio(lean50, ref50)}× — same handler, no Next.js in the process`,
    `identity route / Next constant route (c=50): HS256 ${ratio(hs50, constant50!)}×, RS256 ${ratio(rs50, constant50!)}×, unsigned ${ratio(un50, constant50!)}×`,
    `returning visitors (HS256, every visitor stored, data unchanged) / node:http + jose verify (c=50): ${roundsRatio(hs50, ref50)} (target ≥ 0.7), p99 ${hs50.p99} ms (target ≤ 20 ms)`,
    `new visitors (HS256, every uuid unseen: a row written per request) / node:http + jose verify (c=50): ${roundsRatio(new50, ref50)}, p99 ${new50.p99} ms`,
    `one visitor hammering (the same HS256 token) / node:http + jose verify (c=50): ${roundsRatio(hammer50, ref50)} (target ≥ 0.5)`,
    `identity writes during the run: ${writes ? `${writes.changed} changed, ${writes.unchanged} unchanged (nothing written), ${writes.locked} locked` : "-"}`,
    `identity route HS256 with 1 webhook endpoint subscribed to every event / without (c=50): ${roundsRatio(hooks50, hs50)} (target ≥ 0.9)`,
    `data changing at every request (an identity.updated message each), with 1 webhook endpoint / without (c=50): ${roundsRatio(changingHooks50, changing50)}; delivery to one local endpoint afterwards: ${drainRates.length ? `${median(drainRates)} messages/s` : "-"}; ${received} webhook requests received during the run`,
    `p99 of the identity route at c=50: HS256 ${hs50.p99} ms, RS256 ${rs50.p99} ms, unsigned ${un50.p99} ms (target ≤ 25 ms)`,
    `npm start RSS under load: ${Math.min(...rows.filter((r) => r.rssMiB && r.scenario.startsWith("identity route")).map((r) => r.rssMiB))}–${Math.max(...rows.filter((r) => r.scenario.startsWith("identity route")).map((r) => r.rssMiB))} MiB (target ≤ 300)`,
    ...scaleLines,
  ];
  console.log("\n" + ratios.join("\n"));

  let soakLine = "";
  if (soakSeconds > 0) {
    console.log(`\nbench: soak, identity route HS256 at c=50 for ${soakSeconds} s, RSS every 10 s…`);
    const samples: number[] = [];
    const sampler = setInterval(() => samples.push(rssMiB(appPid)), 10_000);
    await load(route, hsBodies, soakSeconds);
    clearInterval(sampler);
    soakLine = `Soak ${soakSeconds} s: RSS first ${samples[0]} MiB, min ${Math.min(...samples)}, max ${Math.max(...samples)}, last ${samples.at(-1)} MiB (${samples.length} samples)`;
    console.log(soakLine);
  }

  const table = [
    "| scenario | connections | req/s | per round | p50 ms | p99 ms | errors | server CPU µs/req | server RSS MiB | rows per commit |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${r.connections} | ${r.rps} | ${"perRound" in r ? (r as Combined).perRound.join(", ") : ""} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.cpuUs ?? ""} | ${r.rssMiB} | ${r.rowsPerCommit ?? (r.scenario.startsWith("same work") ? 1 : "")} |`,
    ),
  ].join("\n");
  console.log("\n" + table);
  if (args.write) {
    // Replaces this database's "latest run" section of docs/benchmarks.md (the rest of the page stays).
    const db = database.provider === "postgres" ? "PostgreSQL" : "SQLite";
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${db}`;
    const [open, close] = [`<!-- bench:${database.provider} -->`, `<!-- /bench:${database.provider} -->`];
    const section = `${open}\n\n## Latest run, ${db}\n\nProduced by \`npm run bench -- --write\` on ${new Date().toISOString().slice(0, 10)} (${machine}); ${duration} s per scenario${rounds > 1 ? `; the route at c=50 and its references in ${rounds} interleaved rounds (medians; ratios are medians of per-round ratios)` : ""}, autocannon on the same machine (it shares the 2 cores with the server, so absolute numbers are low and ratios are what to compare).\n\n${table}\n\n${ratios.map((r) => `- ${r}`).join("\n")}\n${soakLine ? `- ${soakLine}\n` : ""}\n${close}`;
    const file = path.join(root, "docs/benchmarks.md");
    const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Benchmarks\n";
    const at = current.indexOf(open);
    const next =
      at >= 0
        ? current.slice(0, at) + section + current.slice(current.indexOf(close) + close.length)
        : current.replace(/^# Benchmarks\n/, `# Benchmarks\n\n${section}\n`);
    fs.writeFileSync(file, next);
    console.log(`bench: wrote the ${db} section of docs/benchmarks.md`);
  }
}

main()
  .then(() => process.exit(0))
  .catch((err) => {
    console.error(`bench: ${err instanceof Error ? err.stack : err}`);
    process.exit(1);
  });
