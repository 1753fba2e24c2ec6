// `npm run bench:identities` — not a test: times the Identities search (docs/reference.md; the console page and
// GET …/identities run the same data-layer call) on 100,000 identities, each query 40 times, and prints
// p50 / p99 / max in ms. SQLite in a temporary folder, or BENCH_DATABASE_URL=postgresql://… (the bench
// community is deleted afterwards).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-bench-identities-"));
process.env.VOUCH_DATA_DIR = dataDir;
if (process.env.BENCH_DATABASE_URL) process.env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
else delete process.env.DATABASE_URL;
process.on("exit", () => fs.rmSync(dataDir, { recursive: true, force: true }));

const COUNT = 100_000;
const RUNS = 40;
const SLUG = "bench-identities";

async function main() {
  const { ensureSchema } = await import("../lib/migrate");
  const { loadEnv } = await import("../lib/env");
  const { db, disconnectDb } = await import("../lib/db");
  const { importCommunityConfig } = await import("../lib/dal/community-config");
  const { listIdentityPage } = await import("../lib/dal/identities");
  const { seedIdentities } = await import("../tests/helpers/identities");
  await ensureSchema(loadEnv().database);
  await (await import("../lib/encryption-key")).verifyEncryptionKey();
  await db().community.deleteMany({ where: { slug: SLUG } });
  await importCommunityConfig(null, { version: 1, community: { name: "Bench identities", slug: SLUG } });
  const communityId = (await db().community.findUniqueOrThrow({ where: { slug: SLUG } })).id;
  let started = performance.now();
  await seedIdentities(communityId, COUNT);
  console.log(`seeded ${COUNT.toLocaleString("en")} identities in ${Math.round(performance.now() - started)} ms`);

  // A cursor 200 pages (10,000 rows) deep, for "a deep page".
  let cursor: string | null = null;
  for (let i = 0; i < 200; i++) cursor = (await listIdentityPage(null, SLUG, { cursor })).nextCursor;

  const scenarios: [string, Parameters<typeof listIdentityPage>[2]][] = [
    ["newest 50 (no search)", {}],
    ["page 201 (keyset cursor)", { cursor }],
    ["uuid, exact", { q: "v4242" }],
    ["e-mail prefix, 1 match", { q: "visitor99999@" }],
    ["name prefix, 11 matches", { q: "name9999" }],
    ["name prefix, 11,111 matches", { q: "name1" }],
    ["verified only (100)", { verified: true }],
    ["unverified only", { verified: false }],
    ["no match", { q: "nobody" }],
  ];
  console.log(`\n${"search".padEnd(30)} ${"rows".padStart(4)}   p50 ms   p99 ms   max ms`);
  for (const [name, query] of scenarios) {
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < RUNS; i++) {
      started = performance.now();
      rows = (await listIdentityPage(null, SLUG, query)).identities.length;
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1).padStart(8);
    console.log(`${name.padEnd(30)} ${String(rows).padStart(4)} ${at(0.5)} ${at(0.99)} ${at(1)}`);
  }
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}, ${process.env.BENCH_DATABASE_URL ? "PostgreSQL" : "SQLite"}`;
  console.log(`\n${machine}; ${RUNS} runs each, through the data layer (listIdentityPage).`);
  await db().community.deleteMany({ where: { slug: SLUG } });
  await disconnectDb();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
