// Structured JSON logs (pino). Secret-bearing fields are redacted wherever they appear, as a second
// line of defence: code never passes secrets to the logger on purpose.
import pino from "pino";

export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { app: "vouch" },
  redact: {
    paths: ["password", "*.password", "secret", "*.secret", "token", "*.token", "signed_identity", "*.signed_identity", "headers.cookie", "*.headers.cookie"],
    censor: "[redacted]",
  },
});
