// Which database Vouch uses, from the environment. Shared by the app, the CLI, the migrator and
// prisma.config.ts, so all of them always agree. No framework imports.
import path from "node:path";

export type DatabaseProvider = "sqlite" | "postgres";
export interface DatabaseTarget {
  provider: DatabaseProvider;
  /** For SQLite: `file:` + absolute path. For PostgreSQL: the URL as given. */
  url: string;
  /** For SQLite: the absolute file path. */
  file?: string;
}

export type EnvSource = Record<string, string | undefined>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function dataDir(env: EnvSource = process.env): string {
  const dir = env.VOUCH_DATA_DIR?.trim() || "data";
  // turbopackIgnore: the data folder is chosen at run time, not part of the build.
  return path.resolve(/* turbopackIgnore: true */ process.cwd(), dir);
}

export function resolveDatabase(env: EnvSource = process.env): DatabaseTarget {
  const raw = env.DATABASE_URL?.trim();
  if (!raw) {
    const file = path.join(dataDir(env), "vouch.db");
    return { provider: "sqlite", url: `file:${file}`, file };
  }
  if (raw.startsWith("file:")) {
    const rest = raw.slice("file:".length).replace(/^\/\/(?=\/)/, "");
    if (!rest || rest.includes("?")) {
      throw new ConfigError(`DATABASE_URL "${raw}" is not a usable SQLite URL: expected file:<path to a .db file>`);
    }
    if (rest === ":memory:") return { provider: "sqlite", url: raw, file: ":memory:" };
    const file = path.resolve(/* turbopackIgnore: true */ process.cwd(), rest);
    return { provider: "sqlite", url: `file:${file}`, file };
  }
  if (/^postgres(ql)?:\/\//.test(raw)) {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      throw new ConfigError(
        `DATABASE_URL is not a valid PostgreSQL URL (expected postgresql://user:password@host:5432/database)`,
      );
    }
    if (!u.hostname || u.pathname.length <= 1) {
      throw new ConfigError(
        `DATABASE_URL must name a host and a database (postgresql://user:password@host:5432/database)`,
      );
    }
    return { provider: "postgres", url: raw };
  }
  throw new ConfigError(
    `DATABASE_URL must start with "file:" (SQLite) or "postgresql://" (PostgreSQL); got "${raw.split(":")[0]}:…"`,
  );
}
