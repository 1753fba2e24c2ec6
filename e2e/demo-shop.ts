// Starts the demo shop (`npm run demo`) as its own process on a free port, as an administrator would.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { VOUCH_ORIGIN } from "./helpers";

export interface RunningDemo {
  origin: string;
  output: () => string;
  stop: () => Promise<void>;
}

export async function startDemo(args: string[], env: Record<string, string> = {}): Promise<RunningDemo> {
  const root = path.join(import.meta.dirname, "..");
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/demo.ts", "--vouch", VOUCH_ORIGIN, "--port", "0", ...args],
    {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo shop did not start:\n${out}`)), 30_000);
    child.stdout!.on("data", () => {
      const m = /Demo shop on (http:\/\/\S+)/.exec(out);
      if (m && /^(ok|warning): /m.test(out)) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`demo shop exited with ${code}:\n${out}`));
    });
  });
  return {
    origin,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
