#!/usr/bin/env node
// The benchmark's references (no framework, no Vouch code): plain node:http doing the identity route's
// jose verification (keys imported once) and — with BENCH_STORE — the same work's floor: one prepared
// upsert of the identity row per request, answered after it is written.
// Env: PORT, BENCH_HS256_SECRET, BENCH_RS256_PUBLIC_KEY (PEM), BENCH_STORE = "" (verify only),
// "sqlite:<file>" or "postgres:<url>" (a table shaped like Vouch's `identity`, indexes included),
// BENCH_SQLITE_WAL_AUTOCHECKPOINT (the bench passes Vouch's own; else SQLite's default, 1000).
import http from "node:http";
import crypto from "node:crypto";
import { compactVerify, importSPKI } from "jose";

const keys = new Map([
  [
    "bench_hs",
    {
      alg: "HS256",
      // A CryptoKey, imported once (raw bytes would make jose import them on every verification).
      key: await crypto.subtle.importKey(
        "raw",
        new TextEncoder().encode(process.env.BENCH_HS256_SECRET ?? ""),
        { name: "HMAC", hash: "SHA-256" },
        false,
        ["verify"],
      ),
    },
  ],
]);
if (process.env.BENCH_RS256_PUBLIC_KEY)
  keys.set("bench_rs", { alg: "RS256", key: await importSPKI(process.env.BENCH_RS256_PUBLIC_KEY, "RS256") });

const UPSERT = (p) => `
  INSERT INTO bench_ref_identity ("id", "communityId", "uuid", "automatedUuid", "verified", "kid", "fields", "customFields", "extraValues", "sources", "emailKey", "nameKey", "createdAt", "updatedAt")
  VALUES (${Array.from({ length: 14 }, (_, i) => p(i + 1)).join(", ")})
  ON CONFLICT ("communityId", "uuid") DO UPDATE SET
    "verified" = excluded."verified", "kid" = excluded."kid", "fields" = excluded."fields",
    "customFields" = excluded."customFields", "extraValues" = excluded."extraValues",
    "sources" = excluded."sources", "emailKey" = excluded."emailKey", "nameKey" = excluded."nameKey",
    "updatedAt" = excluded."updatedAt"
  WHERE bench_ref_identity."verified" = FALSE OR excluded."verified" = TRUE`;

/** (row values) => Promise<void>: one prepared statement, on the same kind of table as Vouch's. */
async function openStore(spec) {
  if (!spec) return async () => {};
  const [kind, target] = [spec.slice(0, spec.indexOf(":")), spec.slice(spec.indexOf(":") + 1)];
  if (kind === "sqlite") {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(target, { timeout: 5000 });
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma(`wal_autocheckpoint = ${Number(process.env.BENCH_SQLITE_WAL_AUTOCHECKPOINT ?? 1000)}`);
    const stmt = db.prepare(UPSERT(() => "?"));
    return async (v) => {
      stmt.run(
        v.map((x) =>
          x instanceof Date ? x.toISOString().replace("Z", "+00:00") : typeof x === "boolean" ? (x ? 1 : 0) : x,
        ),
      );
    };
  }
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({ connectionString: target, max: 10 });
  const text = UPSERT((i) => `$${i}`);
  return async (v) => {
    await pool.query({ name: "bench_ref_upsert", text, values: v });
  };
}
const store = await openStore(process.env.BENCH_STORE ?? "");

http
  .createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      try {
        const { signed_identity } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        const kid = JSON.parse(Buffer.from(signed_identity.split(".", 1)[0], "base64url").toString("utf8")).kid;
        const known = keys.get(kid);
        if (!known) throw new Error("kid");
        const { payload } = await compactVerify(signed_identity, known.key, { algorithms: [known.alg] });
        const claims = JSON.parse(Buffer.from(payload).toString("utf8"));
        const fields = { firstname: claims.firstname, email: claims.email };
        const now = new Date();
        await store([
          crypto.randomUUID(),
          "bench",
          claims.uuid,
          false,
          true,
          kid,
          JSON.stringify(fields),
          "{}",
          JSON.stringify(claims.extra_values ?? {}),
          JSON.stringify({ firstname: "attribute", email: "attribute" }),
          String(claims.email).toLowerCase(),
          String(claims.firstname).toLowerCase(),
          now,
          now,
        ]);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ identity: { uuid: claims.uuid, verified: true, kid, fields } }));
      } catch {
        res.writeHead(401, { "content-type": "application/json" });
        res.end('{"error":{"code":"bad_signature"}}');
      }
    });
  })
  .listen(Number(process.env.PORT ?? 3301), "127.0.0.1", () => process.send?.("ready"));
