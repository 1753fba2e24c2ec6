// The demo shop (`npm run demo`): a fake website on its own origin that embeds the Vouch widget the
// way an integrator would. Its server signs the signed-in customer's JWT with a community key and
// hands it to the widget; a /token endpoint gives fresh ones for the widget's refresh callback.
// Plain node:http, sessions in memory: it is a demonstration, not a template for a real shop.
import crypto from "node:crypto";
import http from "node:http";
import { importPKCS8, SignJWT } from "jose";
import { Webhook } from "standardwebhooks";
import { z } from "zod";
import type { DemoSettings } from "./config";
import { publicJwks, readDemoKeyset } from "./keyset";

export interface Customer {
  firstname: string;
  lastname: string;
  email: string;
  customerNumber: string;
}

export const customerSchema = z.object({
  firstname: z.string().trim().min(1, "Enter a first name").max(50, "At most 50 characters"),
  lastname: z.string().trim().max(50, "At most 50 characters"),
  email: z.email("Enter an e-mail address").max(120),
  customerNumber: z.string().trim().max(20, "At most 20 characters"),
});

/** The shop's own stable user id, as a real site would use its database id. */
export const customerUuid = (c: Pick<Customer, "email">) =>
  "cust_" + crypto.createHash("sha256").update(c.email.toLowerCase()).digest("hex").slice(0, 16);

export function identityClaims(c: Customer) {
  return {
    uuid: customerUuid(c),
    firstname: c.firstname,
    ...(c.lastname ? { lastname: c.lastname } : {}),
    email: c.email,
    extra_values: c.customerNumber ? { customer_number: c.customerNumber } : {},
  };
}

export type TokenSigner = (c: Customer) => Promise<string>;

export async function createSigner(settings: DemoSettings): Promise<TokenSigner | null> {
  const { signer, ttl } = settings;
  if (signer.kind === "unsigned") return null;
  if (signer.kind === "jwks") {
    // The newest key of the keyset file, read at every signature: `npm run demo -- rotate` takes effect at once.
    const imported = new Map<string, Awaited<ReturnType<typeof importPKCS8>>>();
    return async (c) => {
      const newest = readDemoKeyset(signer.file).at(-1);
      if (!newest) throw new Error(`${signer.file} holds no key`);
      let key = imported.get(newest.kid);
      if (!key) imported.set(newest.kid, (key = await importPKCS8(newest.privateKeyPem, "ES256")));
      return new SignJWT(identityClaims(c))
        .setProtectedHeader({ alg: "ES256", kid: newest.kid, typ: "JWT" })
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + ttl)
        .sign(key);
    };
  }
  const key =
    signer.kind === "HS256"
      ? new TextEncoder().encode(signer.secret)
      : await importPKCS8(signer.privateKeyPem, signer.kind);
  return (c) =>
    new SignJWT(identityClaims(c))
      .setProtectedHeader({ alg: signer.kind, kid: signer.kid, typ: "JWT" })
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + ttl)
      .sign(key);
}

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
/** A value inside an inline <script>: JSON with `<` escaped, so `</script>` cannot end the block. */
const js = (v: unknown) =>
  JSON.stringify(v)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");

const PRODUCTS = [
  ["Trail running shoes", "89.00"],
  ["Merino base layer", "59.00"],
  ["Insulated bottle", "24.00"],
] as const;

interface PageInput {
  settings: DemoSettings;
  origin: string;
  customer: Customer | null;
  token: string | null;
  errors?: Partial<Record<keyof Customer, string>>;
  values?: Partial<Customer>;
  /** The page's CSP nonce: its own inline <style> and <script> carry it. */
  nonce?: string;
  /** The newest verified webhooks from Vouch (when the shop has the endpoint's secret). */
  webhooks?: ReceivedWebhook[];
}

/**
 * A strict policy, as careful shops have: the widget needs nothing beyond Vouch's origin in
 * script-src (widget.js) and connect-src (the identity route) — no inline styles, no eval.
 */
export function contentSecurityPolicy(vouch: string, nonce: string): string {
  const origin = new URL(vouch).origin;
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' ${origin}`,
    `style-src 'nonce-${nonce}'`,
    `connect-src 'self' ${origin}`,
    "img-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function signInForm(values: Partial<Customer>, errors: Partial<Record<keyof Customer, string>>) {
  const field = (name: keyof Customer, label: string, type = "text", hint = "") => {
    const err = errors[name];
    return `<p><label for="${name}">${label}</label><br>
      <input id="${name}" name="${name}" type="${type}" value="${esc(values[name] ?? "")}"${err ? ` aria-invalid="true" aria-describedby="${name}-error"` : hint ? ` aria-describedby="${name}-hint"` : ""}>
      ${err ? `<br><span class="error" id="${name}-error">${esc(err)}</span>` : hint ? `<br><span class="hint" id="${name}-hint">${esc(hint)}</span>` : ""}</p>`;
  };
  return `<form method="post" action="/sign-in" aria-labelledby="signin-h">
    <h2 id="signin-h">Sign in</h2>
    ${field("firstname", "First name")}
    ${field("lastname", "Last name")}
    ${field("email", "E-mail", "email")}
    ${field("customerNumber", "Customer number", "text", "Sent as the extra value customer_number, e.g. C123456")}
    <button type="submit">Sign in</button>
  </form>`;
}

export function renderPage({
  settings,
  origin,
  customer,
  token,
  errors = {},
  values,
  nonce = "",
  webhooks,
}: PageInput): string {
  const signing =
    settings.signer.kind === "unsigned"
      ? "unsigned identities (no key given)"
      : settings.signer.kind === "jwks"
        ? `its own published keys (<code>/.well-known/jwks.json</code>)`
        : `${settings.signer.kind} key <code>${esc(settings.signer.kid)}</code>`;
  const identityCalls = customer
    ? token
      ? `_chatq.push(["setSignedIdentity", ${js(token)}]);
    _chatq.push(["onTokenRefresh", function () {
      return fetch("/token", { method: "POST" }).then(function (r) {
        if (!r.ok) throw new Error("the shop's session has ended (HTTP " + r.status + ")");
        return r.json();
      }).then(function (b) { demo.token = b.token; return b.token; });
    }]);`
      : `_chatq.push(["setIdentity", ${js({ firstname: customer.firstname, lastname: customer.lastname || undefined, email: customer.email, extra_values: customer.customerNumber ? { customer_number: customer.customerNumber } : {} })}]);`
    : "/* a visitor who is not signed in: the widget registers them anonymously */";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Northwind Outfitters — Vouch demo shop</title>
<style nonce="${esc(nonce)}">
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #111827; background: #f8fafc; }
  header, main { max-width: 880px; margin: 0 auto; padding: 16px 24px; }
  header { display: flex; justify-content: space-between; align-items: center; border-bottom: 1px solid #e5e7eb; }
  .setup { background: #fffbeb; border: 1px solid #f59e0b; border-radius: 8px; padding: 8px 16px; font-size: 14px; }
  .products { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; list-style: none; padding: 0; }
  .products li { background: #fff; border: 1px solid #e5e7eb; border-radius: 8px; padding: 12px; }
  form, .account { background: #fff; border: 1px solid #e5e7eb; border-radius: 8px; padding: 8px 16px 16px; max-width: 420px; }
  header form { border: 0; padding: 0; background: none; max-width: none; }
  input { font: inherit; padding: 4px 8px; width: 100%; box-sizing: border-box; }
  button { font: inherit; padding: 6px 12px; cursor: pointer; }
  .error { color: #b91c1c; } .hint { color: #4b5563; font-size: 14px; }
  #events { font: 13px/1.4 ui-monospace, monospace; background: #111827; color: #e5e7eb; padding: 8px 8px 8px 32px; border-radius: 8px; }
</style>
</head>
<body>
<header>
  <h1>Northwind Outfitters</h1>
  ${customer ? `<form method="post" action="/sign-out"><span>Signed in as ${esc(customer.firstname)} ${esc(customer.lastname)}</span> <button type="submit">Sign out</button></form>` : ""}
</header>
<main>
  <p class="setup">Vouch demo shop on <code>${esc(origin)}</code>: the widget identifies visitors in community
    <code>${esc(settings.community)}</code> at <code>${esc(settings.vouch)}</code> with ${signing}.
    Add <code>${esc(origin)}</code> to the community's allowed origins.</p>
  <h2>Products</h2>
  <ul class="products">${PRODUCTS.map(([name, price]) => `<li><strong>${esc(name)}</strong><br>€${price}</li>`).join("")}</ul>
  ${
    customer
      ? `<section class="account" aria-labelledby="account-h"><h2 id="account-h">Your account</h2>
        <p>Customer ID <code>${esc(customerUuid(customer))}</code>${customer.customerNumber ? `, customer number <code>${esc(customer.customerNumber)}</code>` : ""}.</p>
        ${
          token
            ? `<p>The widget got a token signed by this shop's server. <button type="button" id="tamper">Send a tampered token</button></p>
        <p class="hint">The tampered token claims a different e-mail address with the same signature: Vouch refuses it and the refusal appears in the community's verification log.</p>`
            : ""
        }
      </section>`
      : signInForm(
          values ?? { firstname: "Jane", lastname: "Doe", email: "jane.doe@example.com", customerNumber: "C123456" },
          errors,
        )
  }
  <h2>Widget events</h2>
  <ol id="events" aria-live="polite"></ol>
  ${
    settings.webhookSecret
      ? `<h2>Webhooks from Vouch</h2>
  <p class="hint">Verified with the Standard Webhooks library (endpoint <code>${esc(origin)}/webhooks/vouch</code>); the newest first, <a href="/webhooks">all 20</a>.</p>
  <ol>${(webhooks ?? [])
    .slice(0, 5)
    .map((w) => `<li><code>${esc(w.type)}</code>${w.uuid ? ` · ${esc(w.uuid)}` : ""} · ${esc(w.at)}</li>`)
    .join("")}</ol>`
      : ""
  }
</main>
<script nonce="${esc(nonce)}">
  var demo = { token: ${js(token)}, states: [] };
  window._chatq = window._chatq || [];
  _chatq.push(["init", { community: ${js(settings.community)} }]);
  ${identityCalls}
  _chatq.push(["onChange", function (s) {
    demo.states.push(s);
    var li = document.createElement("li");
    li.textContent = s.status + (s.uuid ? " · " + s.uuid : "") + (s.expiresAt ? " · token expires " + new Date(s.expiresAt * 1000).toLocaleTimeString() : "") + (s.error ? " · " + s.error.code : "");
    document.getElementById("events").appendChild(li);
  }]);
  var tamper = document.getElementById("tamper");
  if (tamper) tamper.addEventListener("click", function () {
    var parts = demo.token.split(".");
    var claims = JSON.parse(atob(parts[1].replace(/-/g, "+").replace(/_/g, "/")));
    claims.email = "attacker@example.com";
    parts[1] = btoa(JSON.stringify(claims)).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
    _chatq.push(["setSignedIdentity", parts.join(".")]);
  });
</script>
<script async src="${esc(settings.vouch)}/widget.js"></script>
</body>
</html>`;
}

const SESSION_COOKIE = "demo_session";

function readCookie(req: http.IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return undefined;
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams(await readBody(req, 16_384));
}

export interface DemoShop {
  server: http.Server;
  /** Answers how Vouch sees this shop: reachable, community known, origin allowed. */
  checkVouch(origin: string): Promise<string>;
}

/** A webhook the shop received from Vouch (the newest 20 are kept). */
export interface ReceivedWebhook {
  id: string;
  type: string;
  uuid: string | null;
  at: string;
}

/** The shop's webhooks page: what Vouch sent, each verified with the Standard Webhooks library. */
export function renderWebhooks(received: ReceivedWebhook[], configured: boolean): string {
  const rows = received
    .map(
      (w) =>
        `<tr><td>${esc(w.at)}</td><td><code>${esc(w.type)}</code></td><td>${esc(w.uuid ?? "")}</td><td><code>${esc(w.id)}</code></td></tr>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Webhooks — Vouch demo shop</title></head>
<body><main>
<h1>Webhooks from Vouch</h1>
${
  configured
    ? `<p>Add <code>&lt;this shop&gt;/webhooks/vouch</code> as an endpoint on the community's Webhooks page. Each request is verified with the Standard Webhooks library and the endpoint's secret; the newest 20 verified ones:</p>
<table><caption>Verified webhooks</caption><thead><tr><th>received</th><th>type</th><th>uuid</th><th>webhook-id</th></tr></thead><tbody>${rows}</tbody></table>`
    : `<p>Start the demo with <code>VOUCH_DEMO_WEBHOOK_SECRET=whsec_…</code> (the endpoint's secret) to receive Vouch's webhooks here.</p>`
}
</main></body></html>`;
}

async function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  let body = "";
  for await (const chunk of req) {
    body += chunk;
    if (body.length > limit) throw new Error("body too large");
  }
  return body;
}

export async function createDemoShop(settings: DemoSettings, publicOrigin: () => string): Promise<DemoShop> {
  const sign = await createSigner(settings);
  const sessions = new Map<string, Customer>();
  const webhook = settings.webhookSecret ? new Webhook(settings.webhookSecret) : null;
  const received: ReceivedWebhook[] = [];

  const html = (res: http.ServerResponse, status: number, page: Omit<PageInput, "settings" | "origin" | "nonce">) => {
    const nonce = crypto.randomBytes(16).toString("base64");
    res.writeHead(status, {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": contentSecurityPolicy(settings.vouch, nonce),
    });
    res.end(renderPage({ ...page, settings, origin: publicOrigin(), nonce }));
  };
  const redirect = (res: http.ServerResponse, location: string, cookie?: string) => {
    res.writeHead(303, { Location: location, ...(cookie ? { "Set-Cookie": cookie } : {}) });
    res.end();
  };

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://demo.invalid");
      const sid = readCookie(req, SESSION_COOKIE);
      const customer = (sid && sessions.get(sid)) || null;
      if (req.method === "GET" && url.pathname === "/") {
        return html(res, 200, {
          customer,
          token: customer && sign ? await sign(customer) : null,
          webhooks: received,
        });
      }
      if (req.method === "POST" && url.pathname === "/sign-in") {
        const form = Object.fromEntries(await readForm(req));
        const parsed = customerSchema.safeParse(form);
        if (!parsed.success) {
          const errors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
          return html(res, 400, { customer: null, token: null, errors, values: form });
        }
        const id = crypto.randomBytes(24).toString("base64url");
        sessions.set(id, parsed.data);
        return redirect(res, "/", `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`);
      }
      if (req.method === "POST" && url.pathname === "/sign-out") {
        if (sid) sessions.delete(sid);
        return redirect(res, "/", `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
      }
      if (req.method === "POST" && url.pathname === "/token") {
        res.setHeader("Cache-Control", "no-store");
        if (!customer || !sign) {
          res.writeHead(401, { "Content-Type": "application/json" });
          return res.end(JSON.stringify({ error: customer ? "this demo sends unsigned identities" : "not signed in" }));
        }
        res.writeHead(200, { "Content-Type": "application/json" });
        return res.end(JSON.stringify({ token: await sign(customer) }));
      }
      if (req.method === "GET" && url.pathname === "/.well-known/jwks.json" && settings.signer.kind === "jwks") {
        res.writeHead(200, { "Content-Type": "application/jwk-set+json", "Cache-Control": "public, max-age=300" });
        return res.end(JSON.stringify(publicJwks(readDemoKeyset(settings.signer.file))));
      }
      if (req.method === "POST" && url.pathname === "/webhooks/vouch" && webhook) {
        // Verified as any receiver should: the signature over id, timestamp and the raw body, and the
        // timestamp within 5 minutes (the library's own rule).
        const body = await readBody(req, 256 * 1024);
        let event: { type: string; data?: { uuid?: string } };
        try {
          event = webhook.verify(body, req.headers as Record<string, string>) as typeof event;
        } catch (err) {
          res.writeHead(401, { "Content-Type": "text/plain" });
          return res.end(`webhook refused: ${(err as Error).message}`);
        }
        received.unshift({
          id: String(req.headers["webhook-id"]),
          type: event.type,
          uuid: typeof event.data?.uuid === "string" ? event.data.uuid : null,
          at: new Date().toISOString(),
        });
        received.length = Math.min(received.length, 20);
        return res.writeHead(204).end();
      }
      if (req.method === "GET" && url.pathname === "/webhooks") {
        res.writeHead(200, {
          "Content-Type": "text/html; charset=utf-8",
          "Cache-Control": "no-store",
          "Content-Security-Policy": "default-src 'none'",
        });
        return res.end(renderWebhooks(received, webhook !== null));
      }
      if (url.pathname === "/favicon.ico") return res.writeHead(204).end();
      res.writeHead(404, { "Content-Type": "text/plain" });
      res.end("Not found");
    } catch (err) {
      res.writeHead(400, { "Content-Type": "text/plain" });
      res.end(`Bad request: ${(err as Error).message}`);
    }
  });

  async function checkVouch(origin: string): Promise<string> {
    const route = `${settings.vouch}/api/v1/communities/${settings.community}/identity`;
    try {
      const res = await fetch(route, {
        method: "OPTIONS",
        headers: { Origin: origin, "Access-Control-Request-Method": "POST" },
      });
      if (res.status === 204) return `ok: ${origin} is allowed by community ${settings.community}`;
      const body = (await res.json().catch(() => null)) as { error?: { code?: string } } | null;
      const code = body?.error?.code ?? `HTTP ${res.status}`;
      if (code === "origin_not_allowed")
        return `warning: add ${origin} to the allowed origins of community ${settings.community} (its Overview page), or the browser blocks the widget's calls`;
      if (code === "community_not_found")
        return `warning: Vouch at ${settings.vouch} has no community ${settings.community}`;
      return `warning: Vouch answered ${code}`;
    } catch (err) {
      return `warning: Vouch is not reachable at ${settings.vouch} (${(err as Error).message})`;
    }
  }

  return { server, checkVouch };
}
