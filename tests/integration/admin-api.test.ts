// The admin API (docs/admin-api.md): every route × every kind of caller, the rotation story over HTTP, and PUT
// config giving the same result and the same problems as the CLI import.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import { ADMIN_ROUTES, handleAdmin } from "@/lib/api/admin-routes";
import { configureWebhookOutgoing, createWebhookEndpoint, sendTestEvent } from "@/lib/dal/webhooks";
import { openApiDocument } from "@/lib/identity/contract";
import { handleIdentityPost } from "@/lib/api/identity-route";
import { run, type Io } from "@/lib/cli/main";
import { createApiToken, revokeApiToken } from "@/lib/dal/api-tokens";
import { importCommunityConfig } from "@/lib/dal/community-config";
import { invalidateRuntimeConfig } from "@/lib/dal/runtime-config";
import { db } from "@/lib/db";
import { resetDb, seedActor } from "../helpers/db";
import { specConfigDocument } from "../helpers/config";
import { nowS, signHs256 } from "../helpers/tokens";

const BASE = "http://vouch.test/api/v1/admin/";
let tokens: Record<string, string>;

beforeEach(async () => {
  await resetDb();
  invalidateRuntimeConfig();
  await importCommunityConfig(null, specConfigDocument());
  const admin = await seedActor("admin", "owner@example.com");
  const make = async (role: "admin" | "viewer", name: string, expires_days?: number) =>
    (await createApiToken(admin, { name, role, expires_days })).token;
  const revoked = await createApiToken(admin, { name: "old", role: "admin" });
  await revokeApiToken(admin, revoked.dto.id);
  const expiring = await make("admin", "short", 1);
  await db().apiToken.updateMany({ where: { name: "short" }, data: { expiresAt: new Date(Date.now() - 1000) } });
  tokens = {
    admin: await make("admin", "ci"),
    viewer: await make("viewer", "dashboard"),
    revoked: revoked.token,
    expired: expiring,
    unknown: `vouch_${"A".repeat(43)}`,
    malformed: "not-a-token",
  };
});

async function call(method: string, route: string, who: string | null, body?: unknown) {
  const headers: Record<string, string> = {};
  if (who) headers.authorization = `Bearer ${tokens[who]}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await handleAdmin(
    new Request(BASE + route, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }),
    route.split("?")[0]!.split("/"),
  );
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked by the assertions
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, any> };
}

describe("admin API: who may call what", () => {
  it("answers every route × caller with the exact status and code", async () => {
    const doc = specConfigDocument();
    configureWebhookOutgoing({ allowPrivate: true });
    const hook = "communities/acme-shop/webhooks";
    const { endpoint } = await createWebhookEndpoint(null, "acme-shop", {
      url: "http://127.0.0.1:9/hook",
      events: ["identity.created"],
    });
    const { messageId } = await sendTestEvent(null, "acme-shop", endpoint.id);
    const routes: [string, string, unknown, number, string | null][] = [
      // method, route, body, admin status, viewer code (null: allowed)
      ["GET", "communities", undefined, 200, null],
      ["GET", "communities/acme-shop/config", undefined, 200, null],
      ["GET", "communities/acme-shop/stats?window=7d", undefined, 200, null],
      ["PUT", "communities/acme-shop/config", doc, 200, "forbidden"],
      ["POST", "communities/acme-shop/keys", { kid: "new_key", algorithm: "HS256" }, 201, "forbidden"],
      ["DELETE", "communities/acme-shop/keys/rsa_main", undefined, 204, "forbidden"],
      ["GET", "communities/acme-shop/identities?q=ann&verified=true&limit=10", undefined, 200, null],
      ["GET", "communities/acme-shop/identities/C000001", undefined, 200, null],
      ["POST", "communities/acme-shop/identities/C000002/revoke", undefined, 200, "forbidden"],
      ["POST", "communities/acme-shop/revoke-tokens", undefined, 200, "forbidden"],
      ["DELETE", "communities/acme-shop/identities/C000001", undefined, 200, "forbidden"],
      ["GET", hook, undefined, 200, null],
      ["POST", hook, { url: "http://127.0.0.1:9/other", events: ["identity.erased"] }, 201, "forbidden"],
      ["GET", `${hook}/${endpoint.id}`, undefined, 200, null],
      ["PATCH", `${hook}/${endpoint.id}`, { description: "CRM" }, 200, "forbidden"],
      ["POST", `${hook}/${endpoint.id}/rotate-secret`, undefined, 200, "forbidden"],
      ["POST", `${hook}/${endpoint.id}/test`, undefined, 202, "forbidden"],
      ["GET", `${hook}/${endpoint.id}/messages?limit=5`, undefined, 200, null],
      ["POST", `${hook}/${endpoint.id}/messages/${messageId}/redeliver`, undefined, 202, "forbidden"],
      ["DELETE", `${hook}/${endpoint.id}`, undefined, 204, "forbidden"],
    ];
    // The table covers every operation the API has (and so every operation its OpenAPI document lists).
    const template = (route: string) =>
      route
        .split("?")[0]!
        .replace(/^communities\/acme-shop/, "communities/{slug}")
        .replace(/keys\/[^/]+$/, "keys/{kid}")
        .replace(/identities\/[^/]+$/, "identities/{uuid}")
        .replace(/identities\/[^/]+\/revoke$/, "identities/{uuid}/revoke")
        .replace(/webhooks\/ep_[^/]+/, "webhooks/{id}")
        .replace(/messages\/msg_[^/]+/, "messages/{message}");
    expect(routes.map(([m, r]) => `${m} ${template(r)}`).sort()).toEqual(
      ADMIN_ROUTES.flatMap((r) => Object.keys(r.methods).map((m) => `${m} ${r.path}`)).sort(),
    );
    await handleIdentityPost(
      new Request("http://vouch.test/api/v1/communities/acme-shop/identity", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          signed_identity: await signHs256(
            "9aeaf06388b8ab6487d1605b",
            { uuid: "C000001", firstname: "Ann", exp: nowS() + 7200 },
            { kid: "prod_2026" },
          ),
        }),
      }),
      "acme-shop",
    );
    for (const [method, route, body, adminStatus, viewerCode] of routes) {
      for (const who of [null, "malformed", "unknown", "revoked", "expired"]) {
        const res = await call(method, route, who, body);
        expect({ who, route, status: res.status, code: res.body.error?.code }).toEqual({
          who,
          route,
          status: 401,
          code: "unauthorized",
        });
      }
      const viewer = await call(method, route, "viewer", body);
      expect([route, viewer.status, viewer.body.error?.code]).toEqual(
        viewerCode ? [route, 403, viewerCode] : [route, 200, undefined],
      );
      // Refused by the router from the route table's role, before the handler (the data layer says it otherwise).
      if (viewerCode) expect(viewer.body.error.message, route).toMatch(/needs an admin token/);
      const admin = await call(method, route, "admin", body);
      expect([route, admin.status]).toEqual([route, adminStatus]);
      // Each answer is what the OpenAPI document says it is (the same zod schema).
      const op = ADMIN_ROUTES.find((r) => r.path === template(route))!.methods[method]!;
      for (const answer of viewerCode ? [admin] : [viewer, admin]) {
        if (op.ok[1]) expect(op.ok[1].safeParse(answer.body).error).toBeUndefined();
        else expect(answer.body).toEqual({});
      }
    }
    expect((await call("GET", "communities", null)).body).toEqual({
      error: { code: "unauthorized", message: "Send an API token as Authorization: Bearer <token>." },
    });
    expect((await call("GET", "communities", "revoked")).body.error.message).toBe("This API token was revoked.");
    expect((await call("GET", "communities", "expired")).body.error.message).toBe("This API token has expired.");
    expect((await call("GET", "communities/ghost-shop/config", "admin")).status).toBe(404);
    expect((await call("GET", "nothing-here", "admin")).status).toBe(404);
    expect((await call("PATCH", "communities", "admin")).status).toBe(405);
    expect((await call("GET", "communities/acme-shop/stats?window=1y", "admin")).body.error.code).toBe(
      "invalid_request",
    );
  });

  it("never shows a secret, and stores tokens only as hashes", async () => {
    const config = await call("GET", "communities/acme-shop/config", "admin");
    expect(JSON.stringify(config.body)).not.toContain("9aeaf06388b8ab6487d1605b");
    const rows = await db().apiToken.findMany();
    for (const t of Object.values(tokens)) expect(JSON.stringify(rows)).not.toContain(t);
  });
});

describe("admin API: rotation from a script", () => {
  it("adds a key, tokens signed with it are accepted, deletes the old key, its tokens refused; the audit names the token", async () => {
    const post = async (token: string) =>
      (
        await handleIdentityPost(
          new Request("http://vouch.test/api/v1/communities/acme-shop/identity", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ signed_identity: token }),
          }),
          "acme-shop",
        )
      ).json() as Promise<{ identity?: Record<string, unknown>; error: { code: string } }>;
    expect((await call("POST", "communities/acme-shop/keys", "admin", "not an object")).status).toBe(422);
    const rotated = await call("POST", "communities/acme-shop/keys", "admin", { kid: "prod_2027", algorithm: "HS256" });
    expect(rotated.status).toBe(201);
    expect(rotated.body.secret).toMatch(/^[0-9a-f]{24}$/);
    const sign = (secret: string, kid: string) => signHs256(secret, { uuid: "C000001", exp: nowS() + 7200 }, { kid });
    expect((await post(await sign(rotated.body.secret, "prod_2027"))).identity).toMatchObject({
      kid: "prod_2027",
      verified: true,
    });
    expect((await call("DELETE", "communities/acme-shop/keys/prod_2026", "admin")).status).toBe(204);
    expect((await post(await sign("9aeaf06388b8ab6487d1605b", "prod_2026"))).error.code).toBe("unknown_kid");
    // (Both entries may carry the same millisecond: ordered by action, which is what is compared.)
    const audit = await db().auditLog.findMany({
      where: { action: { in: ["jwt_key.create", "jwt_key.delete"] } },
      orderBy: { action: "asc" },
    });
    expect(audit.map((a) => [a.action, a.actorEmail])).toEqual([
      ["jwt_key.create", "API token “ci” (by owner@example.com)"],
      ["jwt_key.delete", "API token “ci” (by owner@example.com)"],
    ]);
    expect(JSON.stringify(audit)).not.toContain(rotated.body.secret);
  });
});

describe("admin API: PUT config and the CLI import", () => {
  it("give the same result and the same list of problems for the same documents", async () => {
    const io = () => {
      const out: string[] = [];
      const err: string[] = [];
      const value: Io = { stdout: (s) => out.push(s), stderr: (s) => err.push(s), readStdin: async () => "" };
      return { value, out, err };
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-admin-"));
    const doc = specConfigDocument();
    const bad = {
      ...doc,
      community: { ...doc.community, clock_skew_seconds: 999, jwt_keys: [{ kid: "Bad Kid", algorithm: "HS512" }] },
    };
    const file = path.join(dir, "bad.json");
    fs.writeFileSync(file, JSON.stringify(bad));
    const viaCli = io();
    expect(await run(["community", "import", file], viaCli.value)).toBe(1);
    const viaApi = await call("PUT", "communities/acme-shop/config", "admin", bad);
    expect(viaApi.status).toBe(422);
    expect(viaApi.body.error.code).toBe("invalid_config");
    expect(viaCli.err.slice(1)).toEqual(
      (viaApi.body.error.errors as { path: string; message: string }[]).map((e) => `  ${e.path}: ${e.message}`),
    );
    expect(viaApi.body.error.errors.length).toBeGreaterThanOrEqual(2);
    // The same good document: the same summary either way.
    const good = { ...doc, community: { ...doc.community, name: "Acme Outlet" } };
    const api = await call("PUT", "communities/acme-shop/config", "admin", good);
    expect(api.status).toBe(200);
    expect(api.body.imported).toMatchObject({
      slug: "acme-shop",
      created: false,
      keys: { kept: ["prod_2026", "rsa_main"] },
    });
    // The address names the community: a document for another one is refused.
    const other = await call("PUT", "communities/acme-shop/config", "admin", {
      ...doc,
      community: { ...doc.community, slug: "elsewhere" },
    });
    expect(other.body.error.errors).toEqual([
      { path: "community.slug", message: 'Must be "acme-shop", the community in the address' },
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("admin API and CLI: one identity's data (docs/reference.md)", () => {
  it("lists with a cursor, exports one with every attribute and its source, erases it with its log entries", async () => {
    const { flushRouteTelemetry } = await import("@/lib/dal/route-telemetry");
    const identify = async (body: unknown) =>
      handleIdentityPost(
        new Request("http://vouch.test/api/v1/communities/acme-shop/identity", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
        "acme-shop",
      );
    // require mode: signed identities for three customers; then unsigned data for a verified one, refused and logged.
    for (const n of [1, 2, 3]) {
      const token = await signHs256(
        "9aeaf06388b8ab6487d1605b",
        { uuid: `C00000${n}`, firstname: `Ann${n}`, exp: nowS() + 7200, extra_values: { cell_number: "+1 555" } },
        { kid: "prod_2026" },
      );
      expect((await identify({ signed_identity: token })).status).toBe(200);
    }
    await importCommunityConfig(null, {
      ...specConfigDocument(),
      community: { ...specConfigDocument().community, signed_identities: "accept" },
    });
    invalidateRuntimeConfig();
    expect((await identify({ identity: { uuid: "C000002", firstname: "Mallory" } })).status).toBe(403);
    await flushRouteTelemetry();
    expect(await db().verificationLog.count({ where: { uuid: "C000002" } })).toBe(1);

    const first = await call("GET", "communities/acme-shop/identities?limit=2", "viewer");
    expect(first.body.identities.map((i: { uuid: string }) => i.uuid)).toHaveLength(2);
    const rest = await call(
      "GET",
      `communities/acme-shop/identities?limit=2&cursor=${first.body.next_cursor}`,
      "viewer",
    );
    expect([...first.body.identities, ...rest.body.identities].map((i: { uuid: string }) => i.uuid).sort()).toEqual([
      "C000001",
      "C000002",
      "C000003",
    ]);
    expect(rest.body.next_cursor).toBeNull();

    const one = await call("GET", "communities/acme-shop/identities/C000002", "viewer");
    expect(one.body).toMatchObject({
      uuid: "C000002",
      verified: true,
      kid: "prod_2026",
      fields: { firstname: "Ann2", mobile_phone: "+1 555" },
      custom_fields: { customer_id: "C000002" },
      extra_values: { cell_number: "+1 555" },
    });
    expect(Object.keys(one.body.sources).length).toBeGreaterThan(0);

    expect((await call("DELETE", "communities/acme-shop/identities/C000002", "viewer")).status).toBe(403);
    const deleted = await call("DELETE", "communities/acme-shop/identities/C000002", "admin");
    expect(deleted).toEqual({ status: 200, body: { identities_deleted: 1, log_entries_deleted: 1 } });
    expect((await call("GET", "communities/acme-shop/identities/C000002", "admin")).status).toBe(404);
    expect(await db().verificationLog.count({ where: { uuid: "C000002" } })).toBe(0);
    const erased = await db().auditLog.findFirstOrThrow({ where: { action: "identity.erase" } });
    expect(erased.actorEmail).toBe("API token “ci” (by owner@example.com)");
    expect(JSON.stringify(erased)).not.toMatch(/C000002|Ann2|555/);

    // The CLI: the same document, then erasure.
    const out: string[] = [];
    const cli: Io = { stdout: (s) => out.push(s), stderr: () => {}, readStdin: async () => "" };
    expect(await run(["identity", "export", "acme-shop", "C000003"], cli)).toBe(0);
    expect(JSON.parse(out[0]!)).toEqual((await call("GET", "communities/acme-shop/identities/C000003", "admin")).body);
    expect(await run(["identity", "erase", "acme-shop", "C000003"], cli)).toBe(0);
    expect(out[1]).toBe("Erased the identity and 0 verification-log entries recorded for its uuid.");
    // Again: nothing left to erase, which is an answer, not an error.
    expect(await run(["identity", "erase", "acme-shop", "C000003"], cli)).toBe(0);
    expect(out[2]).toBe("No identity was stored for this uuid; erased 0 verification-log entries recorded for it.");
  });
});

describe("admin API: its OpenAPI document", () => {
  it("is served without a token, OpenAPI 3.1, listing every operation with its role, parameters and answers", async () => {
    const res = await call("GET", "openapi.json", null);
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toBe("3.1.0");
    // Valid against the OpenAPI 3.1 schema (an independent validator), and so is the identity route's.
    for (const spec of [doc, openApiDocument("http://vouch.test")]) {
      const result = await new Validator().validate(structuredClone(spec));
      expect(result.errors).toBeUndefined();
      expect(result.valid).toBe(true);
    }
    expect(doc.servers).toEqual([{ url: "http://vouch.test" }]);
    expect(Object.keys(doc.paths).sort()).toEqual(ADMIN_ROUTES.map((r) => `/api/v1/admin/${r.path}`).sort());
    const list = doc.paths["/api/v1/admin/communities/{slug}/identities"].get;
    expect(list["x-vouch-role"]).toBe("viewer");
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(["q", "verified", "limit", "cursor"]);
    expect(Object.keys(list.responses)).toEqual(["200", "401", "404", "422", "503"]);
    expect(list.responses["200"].content["application/json"].schema.properties.next_cursor).toBeDefined();
    const erase = doc.paths["/api/v1/admin/communities/{slug}/identities/{uuid}"].delete;
    expect(erase["x-vouch-role"]).toBe("admin");
    expect(Object.keys(erase.responses)).toEqual(["200", "401", "403", "404", "503"]);
    const addKey = doc.paths["/api/v1/admin/communities/{slug}/keys"].post;
    expect(JSON.stringify(addKey.requestBody.content["application/json"].schema)).toContain("public_key");
    const operationIds = Object.values(doc.paths).flatMap((item) =>
      Object.values(item as Record<string, { operationId?: string }>).flatMap((o) =>
        o.operationId ? [o.operationId] : [],
      ),
    );
    expect(new Set(operationIds).size).toBe(20); // one per operation, none twice
    expect((await call("POST", "openapi.json", null)).status).toBe(405);
  });
});
