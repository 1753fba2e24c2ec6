#!/usr/bin/env node
// Launcher for the operator CLI (lib/cli/main.ts), run through tsx so it shares the app's TypeScript.
import { register } from "tsx/esm/api";

register();
const { run } = await import("../lib/cli/main.ts");
process.exitCode = await run(process.argv.slice(2));
