// Structured JSON logs (pino). Secret-bearing fields are redacted wherever they appear, as a second
// line of defence: code never passes secrets to the logger on purpose (tests capture every line at
// debug level to prove it: tests/integration/no-secrets-logged.test.ts).
import pino from "pino";

let out = pino.destination(1);
const captures = new Set<(line: string) => void>();

export const logger = pino(
  {
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
    base: { app: "vouch" },
    redact: {
      paths: [
        "password",
        "*.password",
        "secret",
        "*.secret",
        "token",
        "*.token",
        "signed_identity",
        "*.signed_identity",
        "headers.cookie",
        "*.headers.cookie",
      ],
      censor: "[redacted]",
    },
  },
  {
    write(line: string) {
      if (captures.size === 0) return out.write(line);
      for (const capture of captures) capture(line);
      return true;
    },
  },
);

/** Every log line from now on goes to the returned list instead of stdout, at `level` or above, until `stop()`. */
export function captureLogs(level: pino.LevelWithSilent = "debug") {
  const lines: string[] = [];
  const previous = logger.level;
  const capture = (line: string) => void lines.push(line);
  captures.add(capture);
  logger.level = level;
  return {
    lines,
    stop() {
      captures.delete(capture);
      logger.level = previous;
    },
  };
}

/**
 * For the CLI: its standard output is data (an export), so logs go to standard error, warnings and up
 * unless LOG_LEVEL says otherwise.
 */
export function logForCli() {
  out = pino.destination(2);
  if (!process.env.LOG_LEVEL) logger.level = "warn";
}
