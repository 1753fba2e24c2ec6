#!/usr/bin/env node
// The benchmark's "plain node:http" reference: the same jose verification as the identity route
// (key imported once), no framework, no database. Env: PORT, BENCH_HS256_SECRET, BENCH_KID.
import http from "node:http";
import { compactVerify, importJWK } from "jose";

const secret = process.env.BENCH_HS256_SECRET ?? "";
const kid = process.env.BENCH_KID ?? "bench_hs";
const key = await importJWK({ kty: "oct", k: Buffer.from(secret, "utf8").toString("base64url") }, "HS256");

http
  .createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      try {
        const { signed_identity } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        const { payload, protectedHeader } = await compactVerify(signed_identity, key, { algorithms: ["HS256"] });
        if (protectedHeader.kid !== kid) throw new Error("kid");
        const claims = JSON.parse(Buffer.from(payload).toString("utf8"));
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ identity: { uuid: claims.uuid, verified: true, kid } }));
      } catch {
        res.writeHead(401, { "content-type": "application/json" });
        res.end('{"error":{"code":"bad_signature"}}');
      }
    });
  })
  .listen(Number(process.env.PORT ?? 3301), "127.0.0.1", () => process.send?.("ready"));
