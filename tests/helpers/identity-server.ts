// A real `npm run identity-server` process (same database settings as the test), resolved once it
// listens. Port 0 (the default) lets the OS choose a free one — the sqlite and postgres projects run at
// the same time, so two randomly picked ports could collide; `port` is the one it listens on.
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";

export async function startIdentityServer(
  port = 0,
  env: Record<string, string> = {},
  nodeOptions: string[] = [],
): Promise<ChildProcess & { port: number }> {
  const proc = fork(path.resolve("scripts/identity-server.ts"), [], {
    execArgv: ["--import", "tsx", ...nodeOptions],
    env: { ...process.env, IDENTITY_PORT: String(port), LOG_LEVEL: "silent", VOUCH_RATE_LIMIT_PER_CLIENT: "0", ...env },
    stdio: "pipe",
  });
  const listening = await new Promise<number>((resolve, reject) => {
    proc.once("message", (m: { port: number }) => resolve(m.port));
    proc.once("exit", (code) => reject(new Error(`identity server exited with ${code}`)));
  });
  return Object.assign(proc, { port: listening });
}
