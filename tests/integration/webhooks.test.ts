// Webhooks (docs/reference.md, webhooks) on both databases: endpoints and their secrets, the events each
// change writes in its own transaction (the identity route's group commit included), delivery signed per
// Standard Webhooks — checked by the specification's own library and by Python's hmac alone — retries,
// 410 and redirects, rotation, erasure, and what a viewer may do.
import { execFileSync } from "node:child_process";
import net from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { handleAdmin } from "@/lib/api/admin-routes";
import { webhookCreatedSchema, webhookListSchema, webhookMessagesSchema } from "@/lib/api/admin-contract";
import { run } from "@/lib/cli/main";
import { metricsResponse } from "@/lib/api/metrics-route";
import { createApiToken } from "@/lib/dal/api-tokens";
import { importCommunityConfig } from "@/lib/dal/community-config";
import { getIdentity, identityDocument } from "@/lib/dal/identities";
import { eraseIdentity } from "@/lib/dal/erasure";
import { revokeIdentity } from "@/lib/dal/revocations";
import { invalidateRuntimeConfig } from "@/lib/dal/runtime-config";
import { pruneIdentities } from "@/lib/dal/retention";
import { announceExpiringKeys, announceFailingKeysets } from "@/lib/dal/webhook-notices";
import { configureJwks, fetchKeysetNow } from "@/lib/jwks/cache";
import { addJwtKey } from "@/lib/dal/jwt-keys";
import {
  configureWebhookOutgoing,
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookEndpoints,
  listWebhookMessages,
  redeliverMessage,
  rotateWebhookSecret,
  sendTestEvent,
  updateWebhookEndpoint,
} from "@/lib/dal/webhooks";
import { attemptsInFlight, deliverDue } from "@/lib/webhooks/delivery";
import { db } from "@/lib/db";
import { resetDb, seedActor } from "../helpers/db";
import { postIdentity } from "../helpers/identities";
import { nowS, signHs256 } from "../helpers/tokens";
import { startReceiver, type Receiver } from "../helpers/webhook-receiver";

const SLUG = "hook-shop";
const SECRET = "0123456789abcdef01234567";
let receiver: Receiver;

const document = {
  version: 1 as const,
  community: {
    name: "Hook Shop",
    slug: SLUG,
    signed_identities: "accept" as const,
    rate_limit_per_minute: 0,
    jwt_keys: [{ kid: "main", algorithm: "HS256" as const, secret: SECRET }],
  },
};

/** Runs the delivery loop's look until nothing is due or in flight. */
async function deliverAll() {
  for (let i = 0; i < 50; i++) {
    const started = await deliverDue();
    while (attemptsInFlight() > 0) await new Promise((r) => setTimeout(r, 10));
    if (started === 0) return;
  }
}

const messages = (type?: string) =>
  db().webhookMessage.findMany({ where: type ? { type } : {}, orderBy: { createdAt: "asc" } });

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  configureWebhookOutgoing(null);
});
beforeEach(async () => {
  await resetDb();
  invalidateRuntimeConfig();
  configureWebhookOutgoing({ allowPrivate: true });
  receiver.received.length = 0;
  receiver.answer = { status: 204 };
  await importCommunityConfig(null, document);
});

describe("endpoints", () => {
  it("are added with a whsec_ secret shown once and sealed at rest; URLs pass the outgoing guard", async () => {
    const admin = await seedActor("admin");
    const { endpoint, secret } = await createWebhookEndpoint(admin, SLUG, {
      url: receiver.url,
      events: ["identity.created", "identity.erased"],
      description: "CRM",
    });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), "base64")).toHaveLength(32);
    expect(endpoint).toMatchObject({
      url: receiver.url,
      events: ["identity.created", "identity.erased"],
      enabled: true,
    });
    const row = await db().webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(row.secretCiphertext).not.toContain(secret.slice(6, 20));
    expect(JSON.stringify(await listWebhookEndpoints(admin, SLUG))).not.toContain(secret.slice(6, 20));
    const audited = await db().auditLog.findMany({ where: { action: "webhook.create" } });
    expect(audited).toHaveLength(1);
    expect(JSON.stringify(audited)).not.toContain(secret.slice(6, 20));

    // Without VOUCH_ALLOW_PRIVATE_URLS: https only, public addresses only.
    configureWebhookOutgoing({ allowPrivate: false });
    await expect(
      createWebhookEndpoint(admin, SLUG, { url: receiver.url, events: ["identity.created"] }),
    ).rejects.toThrow("The webhook URL must use https, not http");
    await expect(
      createWebhookEndpoint(admin, SLUG, { url: "https://127.0.0.1/hook", events: ["identity.created"] }),
    ).rejects.toThrow("127.0.0.1 is not a public address (loopback)");
    await expect(
      createWebhookEndpoint(admin, SLUG, {
        url: "https://x.example/h",
        events: ["identity.nope" as "identity.created"],
      }),
    ).rejects.toThrow(/Choose from identity.created/);
    await expect(createWebhookEndpoint(admin, SLUG, { url: "https://x.example/h", events: [] })).rejects.toThrow(
      "Choose at least one event type",
    );
    await expect(
      createWebhookEndpoint(admin, SLUG, {
        url: `https://x.example/${"a".repeat(2048)}`,
        events: ["identity.created"],
      }),
    ).rejects.toThrow("At most 2,048 characters");
    // At most 20 endpoints per community.
    configureWebhookOutgoing({ allowPrivate: true });
    for (let i = 1; i < 20; i++)
      await createWebhookEndpoint(admin, SLUG, { url: `${receiver.url}/${i}`, events: ["identity.erased"] });
    await expect(
      createWebhookEndpoint(admin, SLUG, { url: `${receiver.url}/21`, events: ["identity.erased"] }),
    ).rejects.toThrow("A community has at most 20 webhook endpoints; delete one first");
    expect(await db().webhookEndpoint.count()).toBe(20);
    await db().webhookEndpoint.deleteMany({ where: { url: { startsWith: `${receiver.url}/` } } });
    configureWebhookOutgoing({ allowPrivate: false });
    // A viewer reads, never changes.
    const viewer = await seedActor("viewer");
    expect(await listWebhookEndpoints(viewer, SLUG)).toHaveLength(1);
    await expect(updateWebhookEndpoint(viewer, SLUG, endpoint.id, { enabled: false })).rejects.toThrow(/role/);
    await expect(rotateWebhookSecret(viewer, SLUG, endpoint.id)).rejects.toThrow(/role/);
    await expect(deleteWebhookEndpoint(viewer, SLUG, endpoint.id)).rejects.toThrow(/role/);
    await expect(sendTestEvent(viewer, SLUG, endpoint.id)).rejects.toThrow(/role/);
    expect(await db().webhookEndpoint.count()).toBe(1);
  });
});

describe("events", () => {
  it("the identity route writes created, verified and updated with the row, and nothing when nothing changed", async () => {
    await createWebhookEndpoint(null, SLUG, {
      url: receiver.url,
      events: ["identity.created", "identity.verified", "identity.updated"],
    });
    const a = await postIdentity(SLUG, { identity: { uuid: "v-1", firstname: "Ada" } });
    expect(a.status).toBe(200);
    // Written before the 200, in the same transaction: no delivery has run yet.
    expect((await messages()).map((m) => m.type)).toEqual(["identity.created"]);
    await postIdentity(SLUG, { identity: { uuid: "v-1", firstname: "Ada" } }); // the same data
    expect(await db().webhookMessage.count()).toBe(1);
    await postIdentity(SLUG, { identity: { uuid: "v-1", firstname: "Ada", lastname: "Lovelace" } });
    const token = await signHs256(
      SECRET,
      { uuid: "v-1", firstname: "Ada", lastname: "Lovelace", exp: nowS() + 7200 },
      { kid: "main" },
    );
    expect((await postIdentity(SLUG, { signed_identity: token })).body).toMatchObject({ identity: { verified: true } });
    const all = await messages();
    expect(all.map((m) => m.type)).toEqual(["identity.created", "identity.updated", "identity.verified"]);
    const verified = JSON.parse(all[2]!.payload);
    expect(verified).toMatchObject({
      type: "identity.verified",
      data: { uuid: "v-1", verified: true, kid: "main", fields: { firstname: "Ada", lastname: "Lovelace" } },
    });
    expect(Date.parse(verified.timestamp)).toBeGreaterThan(Date.now() - 60_000);
    // Each carries the identity exactly as the admin API exports it.
    expect(verified.data).toEqual(identityDocument(await getIdentity(null, SLUG, "v-1")));
    expect(verified.data.created_at).toBe(JSON.parse(all[0]!.payload).data.created_at);
    // Unsigned data for the verified uuid is refused by the lock: no event.
    expect((await postIdentity(SLUG, { identity: { uuid: "v-1", firstname: "Eve" } })).body.error?.code).toBe(
      "verified_identity_locked",
    );
    expect(await db().webhookMessage.count()).toBe(3);
  });

  it("many visitors at once: every identity answered 200 has its event, each once", async () => {
    await createWebhookEndpoint(null, SLUG, { url: receiver.url, events: ["identity.created"] });
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        postIdentity(SLUG, { identity: { uuid: `burst-${i % 200}`, firstname: `N${i}` } }),
      ),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const created = await messages("identity.created");
    expect(created.map((m) => m.uuid).sort()).toEqual(Array.from({ length: 200 }, (_, i) => `burst-${i}`).sort());
  });

  it("a community without subscribers writes no message; an unsubscribed type neither", async () => {
    await postIdentity(SLUG, { identity: { uuid: "quiet" } });
    expect(await db().webhookMessage.count()).toBe(0);
    await createWebhookEndpoint(null, SLUG, { url: receiver.url, events: ["identity.erased"] });
    await postIdentity(SLUG, { identity: { uuid: "quiet-2" } });
    expect(await db().webhookMessage.count()).toBe(0);
  });

  it("erasure deletes the messages about the visitor and sends identity.erased; revocation and config changes too", async () => {
    const admin = await seedActor("admin");
    await createWebhookEndpoint(admin, SLUG, {
      url: receiver.url,
      events: ["identity.created", "identity.erased", "identity.revoked", "community.config_changed"],
    });
    await postIdentity(SLUG, { identity: { uuid: "gone-1", email: "gone@example.com" } });
    await postIdentity(SLUG, { identity: { uuid: "stays", email: "stays@example.com" } });
    await eraseIdentity(admin, SLUG, "gone-1");
    const afterErase = await messages();
    expect(afterErase.map((m) => [m.type, m.uuid])).toEqual([
      ["identity.created", "stays"],
      ["identity.erased", "gone-1"],
    ]);
    expect(JSON.stringify(afterErase)).not.toContain("gone@example.com");
    expect(JSON.parse(afterErase[1]!.payload).data).toEqual({
      uuid: "gone-1",
      identities_deleted: 1,
      log_entries_deleted: 0,
    });

    await revokeIdentity(admin, SLUG, "stays");
    const revoked = JSON.parse((await messages("identity.revoked"))[0]!.payload);
    expect(revoked.data).toMatchObject({ uuid: "stays", identity_stored: true, was_verified: false });

    const newSecret = "fedcba9876543210fedcba98";
    await addJwtKey(admin, SLUG, { kid: "second", algorithm: "HS256", secret: newSecret });
    const changed = await messages("community.config_changed");
    expect(changed).toHaveLength(1);
    expect(JSON.parse(changed[0]!.payload).data).toMatchObject({
      community: SLUG,
      action: "jwt_key.create",
      actor: admin.email,
    });
    expect(changed[0]!.payload).not.toContain(newSecret);
  });
});

describe("delivery", () => {
  it("signs per Standard Webhooks: the specification's library and Python's hmac both verify", async () => {
    const { endpoint, secret } = await createWebhookEndpoint(null, SLUG, {
      url: receiver.url,
      events: ["identity.created"],
    });
    await postIdentity(SLUG, { identity: { uuid: "signed-1", firstname: 'Zoë "quoted" \u2603' } });
    await deliverAll();
    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received;
    const headers = got!.headers as Record<string, string>;
    expect(headers["content-type"]).toBe("application/json");
    expect(headers["webhook-id"]).toMatch(/^msg_/);
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    const verified = new Webhook(secret).verify(got!.body, headers) as { type: string; data: { uuid: string } };
    expect(verified).toMatchObject({ type: "identity.created", data: { uuid: "signed-1" } });
    expect(() => new Webhook(secret).verify(got!.body.replace("signed-1", "signed-2"), headers)).toThrow();
    const python = execFileSync(
      "/usr/bin/python3",
      [
        "-c",
        `import base64, hashlib, hmac, json, sys
d = json.load(sys.stdin)
key = base64.b64decode(d["secret"][len("whsec_"):])
mac = hmac.new(key, (d["id"] + "." + d["ts"] + "." + d["body"]).encode(), hashlib.sha256).digest()
expected = "v1," + base64.b64encode(mac).decode()
print("ok" if any(hmac.compare_digest(expected, s) for s in d["sig"].split(" ")) else "bad")`,
      ],
      {
        input: JSON.stringify({
          secret,
          id: headers["webhook-id"],
          ts: headers["webhook-timestamp"],
          body: got!.body,
          sig: headers["webhook-signature"],
        }),
        encoding: "utf8",
      },
    );
    expect(python.trim()).toBe("ok");
    const [message] = await listWebhookMessages(null, SLUG, endpoint.id);
    expect(message).toMatchObject({ status: "delivered", attemptCount: 1, nextAttemptAt: null });
    expect(message!.attempts).toEqual([expect.objectContaining({ status: 204, ok: true })]);
    expect((await listWebhookEndpoints(null, SLUG))[0]).toMatchObject({ attempts24h: 1, succeeded24h: 1, pending: 0 });
  });

  it("retries on failure with the same webhook-id on the schedule, keeps 1 KiB, never follows a redirect", async () => {
    const { endpoint } = await createWebhookEndpoint(null, SLUG, { url: receiver.url, events: ["identity.created"] });
    receiver.answer = { status: 500, body: "x".repeat(5000) };
    await postIdentity(SLUG, { identity: { uuid: "retry-1" } });
    const t0 = Date.now();
    await deliverAll();
    let [message] = await listWebhookMessages(null, SLUG, endpoint.id);
    expect(message).toMatchObject({ status: "pending", attemptCount: 1 });
    expect(message!.nextAttemptAt!.getTime() - t0).toBeGreaterThanOrEqual(4_000);
    expect(message!.nextAttemptAt!.getTime() - t0).toBeLessThan(10_000);
    expect(message!.attempts[0]).toMatchObject({ status: 500, ok: false, excerpt: "x".repeat(1024) });
    // Due again (as if 5 s passed): a redirect is an answer, not followed.
    await db().webhookMessage.updateMany({ data: { nextAttemptAt: new Date(Date.now() - 1) } });
    receiver.answer = { status: 302, location: "http://169.254.169.254/latest" };
    await deliverAll();
    [message] = await listWebhookMessages(null, SLUG, endpoint.id);
    expect(message).toMatchObject({ status: "pending", attemptCount: 2 });
    expect(message!.nextAttemptAt!.getTime() - Date.now()).toBeGreaterThan(4 * 60_000); // then 5 min
    expect(message!.attempts[0]!.excerpt).toMatch(/^redirect to http:\/\/169\.254\.169\.254\/latest \(not followed\)/);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[0]!.headers["webhook-id"]).toBe(receiver.received[1]!.headers["webhook-id"]);
    // The 8th failure fails the message.
    await db().webhookMessage.updateMany({ data: { attemptCount: 7, nextAttemptAt: new Date(Date.now() - 1) } });
    receiver.answer = { status: 503 };
    await deliverAll();
    [message] = await listWebhookMessages(null, SLUG, endpoint.id);
    expect(message).toMatchObject({ status: "failed", attemptCount: 8, nextAttemptAt: null });
    // Redeliver: pending again, same id, and this time it succeeds.
    receiver.answer = { status: 200 };
    await redeliverMessage(null, SLUG, endpoint.id, message!.id);
    await deliverAll();
    [message] = await listWebhookMessages(null, SLUG, endpoint.id);
    expect(message).toMatchObject({ status: "delivered" });
    expect(receiver.received.at(-1)!.headers["webhook-id"]).toBe(message!.id);
  });

  it("410 Gone disables the endpoint at once, audited; an unreachable URL is a failed attempt", async () => {
    const { endpoint } = await createWebhookEndpoint(null, SLUG, { url: receiver.url, events: ["identity.created"] });
    receiver.answer = { status: 410 };
    await postIdentity(SLUG, { identity: { uuid: "gone" } });
    await postIdentity(SLUG, { identity: { uuid: "gone-too" } });
    await deliverAll();
    const [state] = await listWebhookEndpoints(null, SLUG);
    expect(state).toMatchObject({ enabled: false, disabledReason: "answered 410 Gone" });
    expect(await db().auditLog.count({ where: { action: "webhook.disable", targetLabel: endpoint.id } })).toBe(1);
    // Disabled: no new messages for it.
    await postIdentity(SLUG, { identity: { uuid: "later" } });
    expect(await db().webhookMessage.count({ where: { uuid: "later" } })).toBe(0);
    // Enabled again by an admin; an address where nothing listens fails without an answer.
    await updateWebhookEndpoint(null, SLUG, endpoint.id, { enabled: true, url: "http://127.0.0.1:9/none" });
    await postIdentity(SLUG, { identity: { uuid: "nowhere" } });
    await deliverAll();
    const [nowhere] = (await listWebhookMessages(null, SLUG, endpoint.id)).filter((m) => m.payload.includes("nowhere"));
    expect(nowhere!.attempts[0]).toMatchObject({
      status: null,
      ok: false,
      excerpt: expect.stringMatching(/cannot connect: ECONNREFUSED/),
    });
    expect((await listWebhookEndpoints(null, SLUG))[0]!.failingSince).not.toBeNull();
  });

  it("after a rotation, signs with both secrets for 24 hours; each verifies alone", async () => {
    const { endpoint, secret: old } = await createWebhookEndpoint(null, SLUG, {
      url: receiver.url,
      events: ["identity.created"],
    });
    const { secret, previousSecretUntil } = await rotateWebhookSecret(null, SLUG, endpoint.id);
    expect(secret).not.toBe(old);
    expect(previousSecretUntil.getTime() - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    const test = await sendTestEvent(null, SLUG, endpoint.id);
    await deliverAll();
    const got = receiver.received.at(-1)!;
    const headers = got.headers as Record<string, string>;
    expect(headers["webhook-id"]).toBe(test.messageId);
    expect(headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(new Webhook(secret).verify(got.body, headers)).toMatchObject({ type: "webhook.test" });
    expect(new Webhook(old).verify(got.body, headers)).toMatchObject({ type: "webhook.test" });
    // Past the 24 hours: the new secret only.
    await db().webhookEndpoint.update({
      where: { id: endpoint.id },
      data: { previousSecretUntil: new Date(Date.now() - 1) },
    });
    await sendTestEvent(null, SLUG, endpoint.id);
    await deliverAll();
    const last = receiver.received.at(-1)!;
    expect((last.headers["webhook-signature"] as string).split(" ")).toHaveLength(1);
    expect(() => new Webhook(old).verify(last.body, last.headers as Record<string, string>)).toThrow();
  });
});

describe("admin API and CLI", () => {
  it("manage endpoints with the contract's answers; viewers read; bad input names what is wrong", async () => {
    const admin = await seedActor("admin");
    const token = (await createApiToken(admin, { name: "ci", role: "admin" })).token;
    const viewer = (await createApiToken(admin, { name: "dash", role: "viewer" })).token;
    const call = async (bearer: string, method: string, path: string, body?: unknown) => {
      const res = await handleAdmin(
        new Request(`http://vouch.test/api/v1/admin/${path}`, {
          method,
          headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
        path.split("?")[0]!.split("/"),
      );
      const text = await res.text();
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers checked by the contract schemas below
      return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, any> };
    };
    const base = `communities/${SLUG}/webhooks`;
    const created = await call(token, "POST", base, {
      url: receiver.url,
      events: ["identity.created", "webhook.test"],
    });
    expect(created.status).toBe(422);
    expect(created.body.error.errors[0]).toMatchObject({
      path: "events[1]",
      message: expect.stringMatching(/Choose from/),
    });
    const ok = await call(token, "POST", base, { url: receiver.url, events: ["identity.created"], description: "CRM" });
    expect(ok.status).toBe(201);
    expect(webhookCreatedSchema.parse(ok.body).secret).toMatch(/^whsec_/);
    const id = ok.body.webhook.id as string;
    expect((await call(viewer, "POST", base, { url: receiver.url, events: ["identity.created"] })).status).toBe(403);
    const listed = await call(viewer, "GET", base);
    expect(webhookListSchema.parse(listed.body).webhooks).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain(ok.body.secret.slice(6, 20));
    const patched = await call(token, "PATCH", `${base}/${id}`, { enabled: false });
    expect(patched).toMatchObject({
      status: 200,
      body: { enabled: false, disabled_reason: "disabled by an administrator" },
    });
    expect((await call(token, "POST", `${base}/${id}/test`)).body.error.code).toBe("conflict");
    await call(token, "PATCH", `${base}/${id}`, { enabled: true });
    const test = await call(token, "POST", `${base}/${id}/test`);
    expect(test.status).toBe(202);
    await deliverAll();
    const msgs = await call(viewer, "GET", `${base}/${id}/messages?limit=10`);
    const parsed = webhookMessagesSchema.parse(msgs.body);
    expect(parsed.messages[0]).toMatchObject({ id: test.body.message_id, type: "webhook.test", status: "delivered" });
    expect(parsed.messages[0]!.attempts[0]).toMatchObject({ status: 204, ok: true });
    expect((await call(token, "POST", `${base}/${id}/messages/${test.body.message_id}/redeliver`)).status).toBe(202);
    expect((await call(token, "POST", `${base}/${id}/messages/msg_nope/redeliver`)).status).toBe(404);
    const rotated = await call(token, "POST", `${base}/${id}/rotate-secret`);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect((await call(token, "PATCH", `${base}/${id}`, {})).body.error.errors[0].message).toMatch(/at least one/);
    expect((await call(token, "GET", `${base}/ep_unknownunknown00`)).status).toBe(404);
    expect((await call(token, "DELETE", `${base}/${id}`)).status).toBe(204);
    expect(await db().webhookEndpoint.count()).toBe(0);

    // The CLI: add prints the secret once on stdout, list, test, rotate, remove; errors exit 1.
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s), readStdin: async () => "" };
    expect(
      await run(["webhook", "add", SLUG, "--url", receiver.url, "--events", "identity.created,identity.erased"], io),
    ).toBe(0);
    expect(out[0]).toMatch(/^whsec_/);
    const [endpoint] = await listWebhookEndpoints(null, SLUG);
    out.length = 0;
    expect(await run(["webhook", "list", SLUG], io)).toBe(0);
    expect(out[0]).toContain(`${endpoint!.id}  enabled  ${receiver.url}  [identity.created,identity.erased]`);
    expect(await run(["webhook", "test", SLUG, endpoint!.id], io)).toBe(0);
    expect(await run(["webhook", "rotate-secret", SLUG, endpoint!.id], io)).toBe(0);
    expect(out.at(-1)).toMatch(/^whsec_/);
    err.length = 0;
    expect(await run(["webhook", "add", SLUG, "--url", receiver.url, "--events", "nope"], io)).toBe(1);
    expect(err.join("\n")).toMatch(/--events\[0\]|events/);
    expect(await run(["webhook", "remove", SLUG, endpoint!.id], io)).toBe(0);
    expect(await db().webhookEndpoint.count()).toBe(0);
  });
});

describe("retention", () => {
  it("deletes messages and their attempts 30 days after they were written", async () => {
    const { endpoint } = await createWebhookEndpoint(null, SLUG, { url: receiver.url, events: ["identity.created"] });
    await sendTestEvent(null, SLUG, endpoint.id);
    await sendTestEvent(null, SLUG, endpoint.id);
    await deliverAll();
    const [old] = await messages();
    await db().webhookMessage.update({
      where: { id: old!.id },
      data: { createdAt: new Date(Date.now() - 31 * 86_400_000) },
    });
    expect(await pruneIdentities()).toMatchObject({ messages: 1, ran: true });
    expect((await messages()).map((m) => m.id)).not.toContain(old!.id);
    expect(await db().webhookAttempt.count()).toBe(1);
  });
});

describe("metrics", () => {
  it("count deliveries by result and show the pending backlog and its oldest message's age", async () => {
    const TOKEN = "metrics-token-0123456789";
    const scrape = async () => {
      const res = await metricsResponse(
        new Request("http://vouch.test/api/metrics", { headers: { authorization: `Bearer ${TOKEN}` } }),
        TOKEN,
      );
      const text = await res.text();
      return (series: string) => {
        const line = text.split("\n").find((l) => l.startsWith(`${series} `));
        return line ? Number(line.slice(series.length + 1)) : 0;
      };
    };
    const { endpoint } = await createWebhookEndpoint(null, SLUG, { url: receiver.url, events: ["identity.created"] });
    const before = await scrape();
    await postIdentity(SLUG, { identity: { uuid: "m-1" } });
    await postIdentity(SLUG, { identity: { uuid: "m-2" } });
    await db().webhookMessage.updateMany({ data: { createdAt: new Date(Date.now() - 90_000) } });
    const queued = await scrape();
    expect(queued("vouch_webhook_messages_pending")).toBe(2);
    expect(queued("vouch_webhook_oldest_pending_age_seconds")).toBeGreaterThanOrEqual(90);
    receiver.answer = { status: 500 };
    await deliverAll();
    receiver.answer = { status: 204 };
    await sendTestEvent(null, SLUG, endpoint.id);
    await deliverAll();
    const after = await scrape();
    const delta = (series: string) => after(series) - before(series);
    expect(delta('vouch_webhook_deliveries_total{result="retried"}')).toBe(2);
    expect(delta('vouch_webhook_deliveries_total{result="delivered"}')).toBe(1);
    expect(after("vouch_webhook_messages_pending")).toBe(2); // the two, waiting 5 s for their retry
    // A disabled endpoint's leftovers are no backlog.
    await updateWebhookEndpoint(null, SLUG, endpoint.id, { enabled: false });
    expect((await scrape())("vouch_webhook_messages_pending")).toBe(0);
  });
});

describe("notices", () => {
  it("key.expiring once a day per key within 14 days; keyset.failing after an hour of failed fetches", async () => {
    await createWebhookEndpoint(null, SLUG, { url: receiver.url, events: ["key.expiring", "keyset.failing"] });
    const community = await db().community.findUniqueOrThrow({ where: { slug: SLUG } });
    const now = new Date();
    await db().jwtKey.updateMany({
      where: { communityId: community.id, kid: "main" },
      data: { expiresAt: new Date(now.getTime() + 10 * 86_400_000 + 60_000) },
    });
    expect(await announceExpiringKeys(now)).toBe(1);
    expect(await announceExpiringKeys(new Date(now.getTime() + 3_600_000))).toBe(0); // not twice a day
    const [expiring] = await messages("key.expiring");
    expect(JSON.parse(expiring!.payload).data).toMatchObject({
      community: SLUG,
      kid: "main",
      algorithm: "HS256",
      days_left: 10,
    });
    expect(await announceExpiringKeys(new Date(now.getTime() + 25 * 3_600_000))).toBe(1); // the next day
    await db().jwtKey.updateMany({
      data: { expiresAt: new Date(now.getTime() + 20 * 86_400_000), expiryNotifiedAt: null },
    });
    expect(await announceExpiringKeys(now)).toBe(0); // 20 days away: not yet

    configureJwks({ allowPrivate: true, timeoutMs: 500 });
    const url = "http://127.0.0.1:9/.well-known/jwks.json"; // nothing listens there
    await db().community.update({ where: { id: community.id }, data: { jwksUrl: url } });
    await fetchKeysetNow(community.id, url);
    expect(await announceFailingKeysets(new Date(Date.now() + 30 * 60_000))).toBe(0); // failing for 30 min only
    expect(await announceFailingKeysets(new Date(Date.now() + 61 * 60_000))).toBe(1);
    expect(await announceFailingKeysets(new Date(Date.now() + 62 * 60_000))).toBe(0); // once a day
    const [failing] = await messages("keyset.failing");
    expect(JSON.parse(failing!.payload).data).toMatchObject({
      community: SLUG,
      jwks_url: url,
      last_error: expect.stringMatching(/cannot connect: ECONNREFUSED/),
    });
    configureJwks(null);
  });
});

describe("hostile receivers", () => {
  it(
    "a slow receiver holds only its own slots; huge and garbage answers are cut; the route is not held",
    { timeout: 30_000 },
    async () => {
      const slow = await startReceiver("/slow");
      const garbage = net.createServer((socket) => socket.end("\u0000\u00ffnot http at all\r\n\r\n"));
      await new Promise<void>((r) => garbage.listen(0, "127.0.0.1", r));
      try {
        slow.answer = { status: 204, delayMs: 6000 };
        receiver.answer = { status: 200, body: "y".repeat(5 * 1024 * 1024) }; // 5 MiB
        const slowEp = (await createWebhookEndpoint(null, SLUG, { url: slow.url, events: ["identity.created"] }))
          .endpoint;
        const fast = (await createWebhookEndpoint(null, SLUG, { url: receiver.url, events: ["identity.created"] }))
          .endpoint;
        const port = (garbage.address() as net.AddressInfo).port;
        const junk = (
          await createWebhookEndpoint(null, SLUG, { url: `http://127.0.0.1:${port}/h`, events: ["identity.created"] })
        ).endpoint;
        for (let i = 0; i < 6; i++) await postIdentity(SLUG, { identity: { uuid: `hostile-${i}` } });
        await deliverDue();
        // The fast endpoint's six are delivered while the slow one's four attempts still hang (4 in flight
        // per endpoint): its slots are its own.
        await expect
          .poll(
            async () => {
              await deliverDue(); // (the loop is not running in this test: each look claims what is free)
              return receiver.received.length;
            },
            { timeout: 4000 },
          )
          .toBe(6);
        expect(slow.received.length).toBe(4);
        expect(await db().webhookMessage.count({ where: { endpointId: slowEp.id, status: "delivered" } })).toBe(0);
        // The identity route answers meanwhile: 50 identities stored while those attempts are still out.
        const answers = await Promise.all(
          Array.from({ length: 50 }, (_, i) => postIdentity(SLUG, { identity: { uuid: `meanwhile-${i}` } })),
        );
        expect(answers.every((a) => a.status === 200)).toBe(true);
        expect(await db().webhookMessage.count({ where: { endpointId: slowEp.id, status: "delivered" } })).toBe(0);
        while (attemptsInFlight() > 0) await new Promise((r) => setTimeout(r, 20));
        const fastMessages = await listWebhookMessages(null, SLUG, fast.id, { limit: 200 });
        const cut = fastMessages.flatMap((m) => m.attempts).find((a) => a.status === 200)!;
        expect(Buffer.byteLength(cut.excerpt)).toBeLessThanOrEqual(1024);
        const junkAttempts = (await listWebhookMessages(null, SLUG, junk.id, { limit: 200 })).flatMap(
          (m) => m.attempts,
        );
        expect(junkAttempts.length).toBeGreaterThan(0);
        expect(junkAttempts.every((a) => a.status === null && !a.ok && a.excerpt.length > 0)).toBe(true);
        const slowDelivered = await db().webhookMessage.count({
          where: { endpointId: slowEp.id, status: "delivered" },
        });
        expect(slowDelivered).toBe(4);
      } finally {
        await slow.close();
        garbage.close();
      }
    },
  );
});
