import crypto from "node:crypto";
import { decodeProtectedHeader, importSPKI, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, createSigner, customerUuid, renderPage, type Customer } from "./shop";
import type { DemoSettings } from "./config";

const SECRET = "0123456789abcdef01234567";
const base: Omit<DemoSettings, "signer"> = {
  vouch: "http://127.0.0.1:3000",
  community: "acme-shop",
  ttl: 7200,
  port: 4000,
  host: "127.0.0.1",
};
const jane: Customer = { firstname: "Jane", lastname: "Doe", email: "Jane.Doe@example.com", customerNumber: "C123456" };

describe("demo shop", () => {
  it("signs the customer's identity with the community key, at least an hour ahead", async () => {
    const sign = (await createSigner({ ...base, signer: { kind: "HS256", kid: "prod_2026", secret: SECRET } }))!;
    const token = await sign(jane);
    expect(decodeProtectedHeader(token)).toEqual({ alg: "HS256", kid: "prod_2026", typ: "JWT" });
    const { payload } = await jwtVerify(token, new TextEncoder().encode(SECRET), { algorithms: ["HS256"] });
    expect(payload).toMatchObject({
      uuid: customerUuid(jane),
      firstname: "Jane",
      lastname: "Doe",
      email: "Jane.Doe@example.com",
      extra_values: { customer_number: "C123456" },
    });
    expect(payload.exp! - Math.floor(Date.now() / 1000)).toBeGreaterThanOrEqual(7199);
    expect(customerUuid({ email: "jane.doe@EXAMPLE.com" })).toBe(customerUuid(jane));
  });

  it("signs with RS256 from a PKCS#8 key", async () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const sign = (await createSigner({ ...base, signer: { kind: "RS256", kid: "rsa_main", privateKeyPem: pem } }))!;
    const key = await importSPKI(publicKey.export({ type: "spki", format: "pem" }).toString(), "RS256");
    await expect(jwtVerify(await sign(jane), key, { algorithms: ["RS256"] })).resolves.toBeTruthy();
    expect(await createSigner({ ...base, signer: { kind: "unsigned" } })).toBeNull();
  });

  it.each([
    ["ES256", () => crypto.generateKeyPairSync("ec", { namedCurve: "P-256" })],
    ["EdDSA", () => crypto.generateKeyPairSync("ed25519")],
  ] as const)("signs with %s from a PKCS#8 key", async (kind, pair) => {
    const { privateKey, publicKey } = pair();
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const sign = (await createSigner({ ...base, signer: { kind, kid: "k", privateKeyPem: pem } }))!;
    const key = await importSPKI(publicKey.export({ type: "spki", format: "pem" }).toString(), kind);
    const { protectedHeader } = await jwtVerify(await sign(jane), key, { algorithms: [kind] });
    expect(protectedHeader).toEqual({ alg: kind, kid: "k", typ: "JWT" });
  });

  it("renders visitor data escaped, in HTML and inside the inline script", () => {
    const evil: Customer = { ...jane, firstname: "</script><script>alert(1)</script>", lastname: "<b>x</b>" };
    const html = renderPage({
      settings: { ...base, signer: { kind: "unsigned" } },
      origin: "http://127.0.0.1:4000",
      customer: evil,
      token: null,
    });
    expect(html).not.toContain("<script>alert(1)");
    expect(html).not.toContain("<b>x</b>");
    expect(html).toContain("\\u003c/script>\\u003cscript>alert(1)\\u003c/script>");
    expect(html).toContain('<script async src="http://127.0.0.1:3000/widget.js"></script>');
    expect(html).toContain('_chatq.push(["setIdentity"');
  });

  it("serves a strict CSP: nonced inline code, Vouch's origin only for the widget and its calls", () => {
    expect(contentSecurityPolicy("https://vouch.example.com/base", "n0nce")).toBe(
      "default-src 'none'; script-src 'nonce-n0nce' https://vouch.example.com; style-src 'nonce-n0nce'; connect-src 'self' https://vouch.example.com; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    );
    const html = renderPage({
      settings: { ...base, signer: { kind: "unsigned" } },
      origin: "http://127.0.0.1:4000",
      customer: null,
      token: null,
      nonce: "n0nce",
    });
    expect(html.match(/<(script|style)(?: [^>]*)?>/g)).toEqual([
      '<style nonce="n0nce">',
      '<script nonce="n0nce">',
      '<script async src="http://127.0.0.1:3000/widget.js">',
    ]);
    expect(html).not.toMatch(/ style="| on[a-z]+="/);
  });
});

describe("demo shop webhooks", () => {
  it("verifies Vouch's webhooks with the Standard Webhooks library, lists them, refuses forged ones", async () => {
    const { newWebhookSecret, webhookHeaders } = await import("../webhooks/standard");
    const { createDemoShop } = await import("./shop");
    const secret = newWebhookSecret();
    const shop = await createDemoShop(
      { ...base, port: 0, webhookSecret: secret, signer: { kind: "unsigned" } },
      () => "http://127.0.0.1",
    );
    await new Promise<void>((r) => shop.server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(shop.server.address() as import("node:net").AddressInfo).port}`;
    try {
      const body = JSON.stringify({
        type: "identity.created",
        timestamp: new Date().toISOString(),
        data: { uuid: "cust_1" },
      });
      const headers = webhookHeaders([secret], "msg_demo0000000000000000000", Math.floor(Date.now() / 1000), body);
      const ok = await fetch(`${url}/webhooks/vouch`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body,
      });
      expect(ok.status).toBe(204);
      const forged = await fetch(`${url}/webhooks/vouch`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: body.replace("cust_1", "cust_2"),
      });
      expect(forged.status).toBe(401);
      expect(await forged.text()).toMatch(/webhook refused/);
      const page = await (await fetch(`${url}/webhooks`)).text();
      expect(page).toContain("<code>identity.created</code>");
      expect(page).toContain("cust_1");
      expect(page).not.toContain("cust_2");
      const home = await (await fetch(`${url}/`)).text();
      expect(home).toContain("Webhooks from Vouch");
      expect(home).toContain("<code>identity.created</code> · cust_1");
    } finally {
      shop.server.close();
    }
  });
});
