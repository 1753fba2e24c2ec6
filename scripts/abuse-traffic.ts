// Hostile traffic for `npm run abuse` and the memory test: bounded in count and time, loopback only.
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";

export interface FloodResult {
  sent: number;
  byStatus: Record<string, number>;
  seconds: number;
  slowestMs: number;
}

/** Refuses anything but this machine: abuse traffic never leaves loopback. */
export function assertLoopback(base: string) {
  const host = new URL(base).hostname.replace(/^\[|\]$/g, "");
  if (!(host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host))) {
    throw new Error(`refusing to send abuse traffic to ${host}: only loopback addresses (127.0.0.0/8, ::1, localhost)`);
  }
}

export interface Shot {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Sends `count` requests made by `make(i)` with `concurrency` in flight, stopping early after `maxSeconds`. */
export async function flood(
  base: string,
  count: number,
  make: (i: number) => Shot,
  options: { concurrency?: number; maxSeconds?: number } = {},
): Promise<FloodResult> {
  assertLoopback(base);
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency ?? 32 });
  const deadline = Date.now() + (options.maxSeconds ?? 120) * 1000;
  const byStatus: Record<string, number> = {};
  let next = 0;
  let slowest = 0;
  const t0 = Date.now();
  const one = (shot: Shot) =>
    new Promise<string>((resolve) => {
      const started = Date.now();
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: shot.method,
          path: shot.path,
          agent,
          headers: { ...(shot.body ? { "content-type": "application/json" } : {}), ...shot.headers },
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            slowest = Math.max(slowest, Date.now() - started);
            resolve(String(res.statusCode));
          });
        },
      );
      req.setTimeout(15_000, () => req.destroy(new Error("timeout")));
      req.on("error", (err) => resolve(`error ${(err as NodeJS.ErrnoException).code ?? err.message}`));
      req.end(shot.body);
    });
  const worker = async () => {
    while (next < count && Date.now() < deadline) {
      const status = await one(make(next++));
      byStatus[status] = (byStatus[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 32 }, worker));
  agent.destroy();
  return {
    sent: Object.values(byStatus).reduce((a, b) => a + b, 0),
    byStatus,
    seconds: (Date.now() - t0) / 1000,
    slowestMs: slowest,
  };
}

const hex = (bytes: number) => crypto.randomBytes(bytes).toString("hex");
const ROUTE = (slug: string) => `/api/v1/communities/${slug}/identity`;

/** The traffic of the hardening issue, by kind. */
export const shots = {
  /** OPTIONS for random 6 KB slugs (malformed: longer than the slug rule allows). */
  longSlugPreflight: (): Shot => ({
    method: "OPTIONS",
    path: ROUTE(hex(3072)),
    headers: { origin: "https://evil.example" },
  }),
  /** POSTs for random well-formed slugs nobody has: each a lookup and a (bounded) negative cache entry. */
  unknownSlug: (): Shot => ({ method: "POST", path: ROUTE(`x${hex(12)}`), body: '{"identity":{}}' }),
  /** Random long paths elsewhere (Next.js answers them). */
  longPath: (): Shot => ({ method: "GET", path: `/${hex(1024)}/${hex(512)}?${hex(256)}` }),
  /** Unsigned identities for one community, one client: the rate limit's work. */
  identity: (slug: string) => (): Shot => ({
    method: "POST",
    path: ROUTE(slug),
    body: JSON.stringify({ identity: { uuid: `abuse-${hex(6)}` } }),
  }),
  /** Refusals with attacker-sized texts for the verification log. */
  hugeRefusal: (slug: string) => (): Shot => ({
    method: "POST",
    path: ROUTE(slug),
    body: JSON.stringify({ [hex(25_000)]: 1 }),
  }),
};

/** Resident set size of `pid` in MiB (Linux /proc). */
export function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return Math.round((kb / 1024) * 10) / 10;
}

/** The process listening on `port` on this machine (Linux /proc, as root or the owner), or null. */
export function pidListeningOn(port: number): number | null {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = fs.readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== "0A") continue; // LISTEN
      if (parseInt(cols[1]!.split(":")[1]!, 16) === port) inodes.add(cols[9]!);
    }
  }
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
        const link = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
        const m = /^socket:\[(\d+)\]$/.exec(link);
        if (m && inodes.has(m[1]!)) return Number(pid);
      }
    } catch {
      // gone, or not ours to read
    }
  }
  return null;
}
