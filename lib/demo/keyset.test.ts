// Keyless rotation with the demo shop: it publishes its own keyset, `rotate` adds a key, the shop signs
// with it at once, and Vouch's keyset cache (lib/jwks) picks it up from the shop's /.well-known/jwks.json
// after one refetch — tokens verified end to end, nothing changed in the configuration.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { decodeProtectedHeader } from "jose";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { buildRuntimeConfig } from "../identity/config";
import { processIdentityRequest } from "../identity/process";
import { configureJwks, keysetKey } from "../jwks/cache";
import { loadDemoConfig } from "./config";
import { publicJwks, readDemoKeyset, rotateDemoKeyset } from "./keyset";
import { createDemoShop } from "./shop";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "demo-jwks-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.useRealTimers();
  configureJwks(null);
});

describe("the demo shop's keyset", () => {
  it("rotates keys in a file (mode 0600) and publishes their public halves only", () => {
    const file = path.join(dir, "keys.json");
    expect(rotateDemoKeyset(file).kid).toBe("shop-1");
    expect(rotateDemoKeyset(file).kid).toBe("shop-2");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const jwks = publicJwks(readDemoKeyset(file));
    expect(jwks.keys.map((k) => [k.kid, k.kty, k.crv, k.alg, k.use])).toEqual([
      ["shop-1", "EC", "P-256", "ES256", "sig"],
      ["shop-2", "EC", "P-256", "ES256", "sig"],
    ]);
    expect(JSON.stringify(jwks)).not.toMatch(/"d"/);
  });

  it("signs with its newest key; Vouch picks up a rotated key from the shop's JWKS URL with no configuration change", async () => {
    const file = path.join(dir, "shop.json");
    rotateDemoKeyset(file);
    const settings = loadDemoConfig(["--community", "acme-shop", "--jwks", file, "--port", "0"], {});
    expect(settings.signer).toEqual({ kind: "jwks", file });
    const shop = await createDemoShop(settings, () => "http://127.0.0.1");
    await new Promise<void>((resolve) => shop.server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(shop.server.address() as AddressInfo).port}/.well-known/jwks.json`;
      configureJwks({ allowPrivate: true, timeoutMs: 1000 });
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(new Date("2027-02-01T09:00:00Z"));
      const config = await buildRuntimeConfig({
        communityId: "c-demo",
        slug: "acme-shop",
        version: 1,
        mode: "require",
        clockSkewSeconds: 10,
        rateLimitPerMinute: 0,
        allowedOrigins: [],
        keys: [],
        jwksUrl: url,
        keyset: (kid, nowMs) => keysetKey("c-demo", url, kid, nowMs),
        customFields: [],
        mappings: [],
      });
      // The shop's token, as its page would hand it to the widget.
      const mintToken = async () => {
        const res = await fetch(url.replace("/.well-known/jwks.json", "/sign-in"), {
          method: "POST",
          body: new URLSearchParams({ firstname: "Jane", lastname: "", email: "jane@example.com", customerNumber: "" }),
          redirect: "manual",
        });
        const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
        const token = await fetch(url.replace("/.well-known/jwks.json", "/token"), {
          method: "POST",
          headers: { cookie },
        });
        return ((await token.json()) as { token: string }).token;
      };
      const verify = async (token: string) => {
        const r = await processIdentityRequest(config, { signed_identity: token }, new Date());
        return r.ok ? { verified: r.identity.verified, kid: r.identity.kid } : r.error.code;
      };
      const first = await mintToken();
      expect(decodeProtectedHeader(first)).toMatchObject({ alg: "ES256", kid: "shop-1" });
      expect(await verify(first)).toEqual({ verified: true, kid: "shop-1" });

      rotateDemoKeyset(file); // npm run demo -- rotate
      const second = await mintToken();
      expect(decodeProtectedHeader(second).kid).toBe("shop-2");
      vi.setSystemTime(new Date("2027-02-01T09:01:05Z")); // past the once-a-minute refetch bound
      expect(await verify(second)).toEqual({ verified: true, kid: "shop-2" });
      expect(await verify(first)).toEqual({ verified: true, kid: "shop-1" }); // still published
    } finally {
      await new Promise<void>((resolve) => shop.server.close(() => resolve()));
    }
  });
});
