// Several instances behave as one: two real identity-server processes on the same database; the
// configuration is changed from this (third) process. Runs on SQLite and PostgreSQL.
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCommunityConfig } from "@/lib/dal/community-config";
import { updateSignedIdentitySettings } from "@/lib/dal/identity-settings";
import { addJwtKey, deleteJwtKey } from "@/lib/dal/jwt-keys";
import { revokeIdentity } from "@/lib/dal/revocations";
import { db } from "@/lib/db";
import { CHECK_INTERVAL_MS } from "@/lib/dal/runtime-config";
import { resetDb } from "../helpers/db";
import { startIdentityServer } from "../helpers/identity-server";
import { nowS, signHs256 } from "../helpers/tokens";

const OLD = "0123456789abcdef01234567";
const NEW = "89abcdef0123456789abcdef";
const servers: { proc: ChildProcess; url: string }[] = [];

async function start() {
  const proc = await startIdentityServer();
  servers.push({ proc, url: `http://127.0.0.1:${proc.port}/api/v1/communities/scale/identity` });
}

async function post(url: string, body: unknown) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
}

/** Polls until `check` holds on every server; returns how long that took. */
async function untilEverywhere(check: (url: string) => Promise<boolean>, timeoutMs = 5 * CHECK_INTERVAL_MS) {
  const t0 = Date.now();
  for (;;) {
    const results = await Promise.all(servers.map((s) => check(s.url)));
    if (results.every(Boolean)) return Date.now() - t0;
    if (Date.now() - t0 > timeoutMs) throw new Error(`not propagated to every instance within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const token = (secret: string, kid: string, uuid: string) => signHs256(secret, { uuid, exp: nowS() + 7200 }, { kid });

beforeAll(async () => {
  await resetDb();
  await importCommunityConfig(null, {
    version: 1,
    // Load from one address: no rate limit here (tests/integration/rate-limits.test.ts covers limits).
    community: {
      name: "Scale",
      slug: "scale",
      signed_identities: "accept",
      rate_limit_per_minute: 0,
      jwt_keys: [{ kid: "old", algorithm: "HS256", secret: OLD }],
    },
  });
  await Promise.all([start(), start()]);
}, 60_000);

afterAll(() => {
  for (const s of servers) s.proc.kill("SIGTERM");
});

describe("scale-out: two instances, one database", () => {
  it("a mode change made elsewhere takes effect in every instance within the documented bound", async () => {
    for (const s of servers) expect((await post(s.url, { identity: { uuid: "before" } })).status).toBe(200);
    await updateSignedIdentitySettings(null, "scale", { signed_identities: "require", clock_skew_seconds: 10 });
    const ms = await untilEverywhere(
      async (url) => (await post(url, { identity: {} })).body.error?.code === "signed_identity_required",
    );
    console.log(`mode change visible on both instances after ${ms} ms (bound ${CHECK_INTERVAL_MS} ms + one request)`);
    await updateSignedIdentitySettings(null, "scale", { signed_identities: "accept", clock_skew_seconds: 10 });
    await untilEverywhere(async (url) => (await post(url, { identity: {} })).status === 200);
  });

  it("rotates keys under load with no false refusal, and stores every identity exactly once", async () => {
    let stop = false;
    let phase: "old" | "new" = "old";
    const refusals: string[] = [];
    let sent = 0;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const uuid = `rot-${w}-${i}`;
        const t = phase === "old" ? await token(OLD, "old", uuid) : await token(NEW, "new", uuid);
        const res = await post(servers[(w + i) % servers.length]!.url, { signed_identity: t });
        sent++;
        if (res.status !== 200) refusals.push(`${uuid}: ${res.status} ${res.body.error?.code}`);
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
    try {
      await new Promise((r) => setTimeout(r, 500));
      await addJwtKey(null, "scale", { algorithm: "HS256", kid: "new", secret: NEW }); // 1. add the new key
      await untilEverywhere(
        async (url) => (await post(url, { signed_identity: await token(NEW, "new", "probe") })).status === 200,
      );
      phase = "new"; // 2. the website switches to it
      await new Promise((r) => setTimeout(r, 500));
      await deleteJwtKey(null, "scale", "old"); // 3. remove the old key once unused
      await new Promise((r) => setTimeout(r, 2 * CHECK_INTERVAL_MS));
    } finally {
      stop = true;
      await load;
    }
    console.log(`key rotation under load: ${sent} signed requests across 2 instances, ${refusals.length} refused`);
    expect(refusals).toEqual([]);
    expect(sent).toBeGreaterThan(50);
    const stored = await db().identity.count({ where: { uuid: { startsWith: "rot-" } } });
    expect(stored).toBe(sent);
    // The old key is gone everywhere.
    await untilEverywhere(
      async (url) =>
        (await post(url, { signed_identity: await token(OLD, "old", "late") })).body.error?.code === "unknown_kid",
    );
  });

  it("a revocation made elsewhere applies on every instance within a second, under load, refusing no one else", async () => {
    const issued = nowS() - 30;
    const signedAt = (uuid: string, iat: number) => signHs256(NEW, { uuid, iat, exp: iat + 7200 }, { kid: "new" });
    const victim = await signedAt("victim", issued);
    for (const s of servers) expect((await post(s.url, { signed_identity: victim })).status).toBe(200);
    let stop = false;
    let sent = 0;
    const refusals: string[] = [];
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const uuid = `rev-${w}-${i % 20}`;
        const res = await post(servers[(w + i) % servers.length]!.url, {
          signed_identity: await signedAt(uuid, issued),
        });
        sent++;
        if (res.status !== 200) refusals.push(`${uuid}: ${res.status} ${res.body.error?.code}`);
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
    let ms: number;
    let revokedAt: Date;
    try {
      await new Promise((r) => setTimeout(r, 300));
      ({ revokedAt } = await revokeIdentity(null, "scale", "victim"));
      const t0 = Date.now();
      await untilEverywhere(
        async (url) => (await post(url, { signed_identity: victim })).body.error?.code === "token_revoked",
      );
      ms = Date.now() - t0;
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      stop = true;
      await load;
    }
    console.log(
      `revocation applied on both instances after ${ms} ms; ${sent} other requests, ${refusals.length} refused`,
    );
    expect(ms).toBeLessThanOrEqual(CHECK_INTERVAL_MS + 500); // the cache's re-check interval, plus a request or two
    expect(refusals).toEqual([]);
    expect(sent).toBeGreaterThan(50);
    // A token issued after the revocation is accepted everywhere.
    const fresh = await signedAt("victim", Math.floor(revokedAt.getTime() / 1000) + 1);
    for (const s of servers) expect((await post(s.url, { signed_identity: fresh })).status).toBe(200);
  });
});
