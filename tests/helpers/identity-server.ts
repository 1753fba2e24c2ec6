// A real `npm run identity-server` process on `port` (same database settings as the test), resolved once it listens.
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";

export async function startIdentityServer(port: number, env: Record<string, string> = {}): Promise<ChildProcess> {
  const proc = fork(path.resolve("scripts/identity-server.ts"), [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, IDENTITY_PORT: String(port), LOG_LEVEL: "silent", VOUCH_RATE_LIMIT_PER_CLIENT: "0", ...env },
    stdio: "pipe",
  });
  await new Promise<void>((resolve, reject) => {
    proc.once("message", () => resolve());
    proc.once("exit", (code) => reject(new Error(`identity server exited with ${code}`)));
  });
  return proc;
}
