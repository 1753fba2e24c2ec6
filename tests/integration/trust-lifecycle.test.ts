// Token policy and revocation through the HTTP route (docs/reference.md, "Token policy", "Verifying a signed
// identity" steps 4, 5 and 7, "Revocation"), with tokens made by jose and by PyJWT (Debian's python3-jwt,
// an independent implementation): every new code, what the verification log says, the document, the
// admin API and the CLI, bad input.
import { execFileSync } from "node:child_process";
import { beforeEach, describe, expect, it } from "vitest";
import { handleAdmin } from "@/lib/api/admin-routes";
import { run, type Io } from "@/lib/cli/main";
import { createApiToken } from "@/lib/dal/api-tokens";
import { exportCommunityConfig, importCommunityConfig } from "@/lib/dal/community-config";
import { ConfigValidationError } from "@/lib/errors";
import { eraseIdentity } from "@/lib/dal/erasure";
import { updateTokenPolicy } from "@/lib/dal/identity-settings";
import { revokeCommunityTokens, revokeIdentity } from "@/lib/dal/revocations";
import { invalidateRuntimeConfig } from "@/lib/dal/runtime-config";
import { flushRouteTelemetry } from "@/lib/dal/route-telemetry";
import { db } from "@/lib/db";
import { resetDb, seedActor } from "../helpers/db";
import { nowS, signHs256 } from "../helpers/tokens";
import { postIdentity } from "../helpers/identities";

const SECRET = "0123456789abcdef01234567";
const SLUG = "policy-shop";

const document = (policy: Record<string, unknown> | undefined) => ({
  version: 1 as const,
  community: {
    name: "Policy Shop",
    slug: SLUG,
    signed_identities: "accept" as const,
    rate_limit_per_minute: 0,
    jwt_keys: [{ kid: "main", algorithm: "HS256" as const, secret: SECRET }],
    ...(policy ? { token_policy: policy } : {}),
  },
});

const post = (body: unknown) => postIdentity(SLUG, body);

/** Claims → a token signed by PyJWT with the community's key (one Python run for the whole list). */
function pyjwt(claimsList: Record<string, unknown>[]): string[] {
  const out = execFileSync(
    "/usr/bin/python3",
    [
      "-c",
      `import json, sys, jwt
for claims in json.load(sys.stdin):
    print(jwt.encode(claims, "${SECRET}", algorithm="HS256", headers={"kid": "main"}))`,
    ],
    { input: JSON.stringify(claimsList), encoding: "utf8" },
  );
  return out.trim().split("\n");
}
const jose = (claims: Record<string, unknown>) => signHs256(SECRET, claims, { kid: "main" });

beforeEach(async () => {
  await resetDb();
  invalidateRuntimeConfig();
});

describe("token policy", () => {
  it("refuses tokens made for another issuer or audience, or living too long: jose and PyJWT alike", async () => {
    await importCommunityConfig(
      null,
      document({
        expected_issuer: "https://shop.example",
        expected_audience: "policy-shop",
        max_token_lifetime_minutes: 120,
      }),
    );
    const now = nowS();
    const good = { uuid: "u1", iss: "https://shop.example", aud: ["other", "policy-shop"], iat: now, exp: now + 7200 };
    const cases: [Record<string, unknown>, string, RegExp | null][] = [
      [good, "ok", null],
      [
        { ...good, iss: "https://evil.example" },
        "iss_mismatch",
        /expected iss "https:\/\/shop\.example", the token has "https:\/\/evil\.example"/,
      ],
      [{ ...good, aud: "staging-shop" }, "aud_mismatch", /expected aud "policy-shop", the token has "staging-shop"/],
      [{ ...good, iat: now + 600 }, "iat_in_future", /issued (59\d|60\d) s from now \(iat\)/],
      [{ ...good, exp: now + 7201 }, "token_lifetime_too_long", /lives 120 min .* at most 120 min/],
      [{ uuid: "u1", iss: good.iss, aud: good.aud, exp: now + 7200 }, "token_lifetime_too_long", /has no iat/],
    ];
    const python = pyjwt(cases.map(([claims]) => claims));
    for (const [i, [claims, code, detail]] of cases.entries()) {
      for (const [maker, token] of [
        ["jose", await jose(claims)],
        ["PyJWT", python[i]!],
      ] as const) {
        const res = await post({ signed_identity: token });
        expect({ maker, code: res.body.error?.code ?? "ok", status: res.status }).toEqual({
          maker,
          code,
          status: code === "ok" ? 200 : 401,
        });
        if (detail) {
          await flushRouteTelemetry();
          const entry = await db().verificationLog.findFirstOrThrow({
            where: { code },
            orderBy: { createdAt: "desc" },
          });
          expect(entry.detail).toMatch(detail);
          expect(entry.uuid).toBe("u1");
        }
      }
    }
  });

  it("is carried by the document and the admin API, set in the console's data layer, and audited", async () => {
    const admin = await seedActor("admin");
    await importCommunityConfig(null, document(undefined)); // a document written before token_policy existed
    const none = { expected_issuer: null, expected_audience: null, max_token_lifetime_minutes: null };
    expect((await exportCommunityConfig(null, SLUG)).community.token_policy).toEqual(none);
    // Tokens made the seed's way (no iss, aud or iat) still work.
    expect((await post({ signed_identity: await jose({ uuid: "u1", exp: nowS() + 7200 }) })).status).toBe(200);

    await updateTokenPolicy(admin, SLUG, {
      expected_issuer: "",
      expected_audience: "policy-shop",
      max_token_lifetime_minutes: 1440,
    });
    const policy = { expected_issuer: null, expected_audience: "policy-shop", max_token_lifetime_minutes: 1440 };
    expect((await exportCommunityConfig(null, SLUG)).community.token_policy).toEqual(policy);
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "community.token_policy" } });
    expect(JSON.parse(audit.details)).toEqual({
      expected_audience: { from: null, to: "policy-shop" },
      max_token_lifetime_minutes: { from: null, to: 1440 },
    });
    expect((await post({ signed_identity: await jose({ uuid: "u1", exp: nowS() + 7200 }) })).body.error?.code).toBe(
      "aud_mismatch",
    );

    const token = (await createApiToken(admin, { name: "ci", role: "admin" })).token;
    const res = await handleAdmin(
      new Request(`http://vouch.test/api/v1/admin/communities/${SLUG}/config`, {
        headers: { authorization: `Bearer ${token}` },
      }),
      ["communities", SLUG, "config"],
    );
    expect(((await res.json()) as { community: { token_policy: unknown } }).community.token_policy).toEqual(policy);
  });

  it("refuses bad policy values with an error naming the field, changing nothing", async () => {
    const admin = await seedActor("admin");
    await importCommunityConfig(null, document(undefined));
    const bad = [
      [{ expected_issuer: "x".repeat(257) }, "token_policy.expected_issuer", /at most 256/i],
      [{ expected_audience: "line\nbreak" }, "token_policy.expected_audience", /printable/],
      [{ max_token_lifetime_minutes: 59 }, "token_policy.max_token_lifetime_minutes", /at least 60/i],
      [{ max_token_lifetime_minutes: 43_201 }, "token_policy.max_token_lifetime_minutes", /at most 43,200/i],
      [{ max_token_lifetime_minutes: "1h" }, "token_policy.max_token_lifetime_minutes", /number/i],
      [{ expected_issuer: "" }, "token_policy.expected_issuer", /1–256/],
    ] as const;
    for (const [policy, path, message] of bad) {
      const err = await importCommunityConfig(null, document(policy)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigValidationError);
      expect((err as ConfigValidationError).issues).toEqual([
        { path: `community.${path}`, message: expect.stringMatching(message) },
      ]);
    }
    await expect(
      updateTokenPolicy(admin, SLUG, { expected_issuer: "ok", expected_audience: "", max_token_lifetime_minutes: 10 }),
    ).rejects.toThrow(/At least 60 minutes/);
    expect((await exportCommunityConfig(null, SLUG)).community.token_policy.expected_issuer).toBeNull();
    await expect(
      updateTokenPolicy(await seedActor("viewer"), SLUG, {
        expected_issuer: "x",
        expected_audience: "",
        max_token_lifetime_minutes: "",
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("revocation", () => {
  const out: string[] = [];
  const io: Io = { stdout: (s) => out.push(s), stderr: (s) => out.push(s), readStdin: async () => "" };

  it("signs one uuid out: older tokens refused (jose and PyJWT), the identity unverified, newer tokens accepted", async () => {
    await importCommunityConfig(null, document(undefined));
    const admin = await seedActor("admin");
    const before = nowS() - 60;
    const old = await jose({ uuid: "victim", iat: before, exp: before + 7200 });
    const [oldPy, noIat] = pyjwt([
      { uuid: "victim", iat: before, exp: before + 7200 },
      { uuid: "victim", exp: before + 7200 },
    ]);
    const bystander = await jose({ uuid: "bystander", iat: before, exp: before + 7200 });
    expect((await post({ signed_identity: old })).body.identity?.verified).toBe(true);

    const r = await revokeIdentity(admin, SLUG, "victim");
    expect(r).toMatchObject({ identityStored: true, wasVerified: true });
    const stored = await db().identity.findFirstOrThrow({ where: { uuid: "victim" } });
    expect({ verified: stored.verified, kid: stored.kid }).toEqual({ verified: false, kid: null });
    for (const token of [old, oldPy!, noIat!]) {
      const res = await post({ signed_identity: token });
      expect([res.status, res.body.error?.code]).toEqual([401, "token_revoked"]);
    }
    expect((await post({ signed_identity: bystander })).status).toBe(200);
    // In accept mode unsigned data may change the identity again: it is no longer verified.
    expect((await post({ identity: { uuid: "victim", firstname: "Unsigned" } })).status).toBe(200);
    // A token issued after the revocation is accepted and verifies the identity again.
    const after = Math.floor(r.revokedAt.getTime() / 1000) + 1;
    const fresh = await jose({ uuid: "victim", iat: after, exp: after + 7200 });
    expect((await post({ signed_identity: fresh })).body.identity?.verified).toBe(true);

    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "identity.revoke" } });
    expect(audit.targetLabel).toMatch(/^uuid sha256:[0-9a-f]{16}$/);
    expect(JSON.stringify(audit)).not.toContain("victim");

    // The revocation outlives an erasure of the visitor, without keeping the uuid.
    await eraseIdentity(admin, SLUG, "victim");
    expect(JSON.stringify(await db().identityRevocation.findMany())).not.toContain("victim");
    expect((await post({ signed_identity: old })).body.error?.code).toBe("token_revoked");
  });

  it("pre-empts a uuid not seen yet, and revokes a whole community: CLI, admin API, bad input", async () => {
    await importCommunityConfig(null, document(undefined));
    const before = nowS() - 60;
    out.length = 0;
    expect(await run(["identity", "revoke", SLUG, "newcomer"], io)).toBe(0);
    expect(out[0]).toMatch(/No identity is stored for this uuid yet: its tokens issued before now will be refused/);
    expect(
      (await post({ signed_identity: await jose({ uuid: "newcomer", iat: before, exp: before + 7200 }) })).body.error
        ?.code,
    ).toBe("token_revoked");
    expect(
      (await post({ signed_identity: await jose({ uuid: "other", iat: before, exp: before + 7200 }) })).status,
    ).toBe(200);

    const admin = await seedActor("admin");
    const token = (await createApiToken(admin, { name: "ci", role: "admin" })).token;
    const viewer = (await createApiToken(admin, { name: "dash", role: "viewer" })).token;
    const call = async (bearer: string, path: string) => {
      const res = await handleAdmin(
        new Request(`http://vouch.test/api/v1/admin/${path}`, {
          method: "POST",
          headers: { authorization: `Bearer ${bearer}` },
        }),
        path.split("/"),
      );
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    expect((await call(viewer, `communities/${SLUG}/revoke-tokens`)).status).toBe(403);
    const all = await call(token, `communities/${SLUG}/revoke-tokens`);
    expect(all).toMatchObject({ status: 200, body: { identities_unverified: 1 } });
    expect(await db().identity.count({ where: { verified: true } })).toBe(0);
    expect(
      (await post({ signed_identity: await jose({ uuid: "other", iat: before, exp: before + 7200 }) })).body.error
        ?.code,
    ).toBe("token_revoked");
    const after = Math.floor(Date.parse(all.body.revoked_at as string) / 1000) + 1;
    expect((await post({ signed_identity: await jose({ uuid: "other", iat: after, exp: after + 7200 }) })).status).toBe(
      200,
    );
    expect(
      await db().auditLog.count({ where: { action: "community.revoke_tokens", actorEmail: { contains: "ci" } } }),
    ).toBe(1);

    const one = await call(token, `communities/${SLUG}/identities/other/revoke`);
    expect(one).toMatchObject({
      status: 200,
      body: { uuid: "other", identity_stored: true, identity_unverified: true },
    });

    // Bad input: an unknown community, a uuid no visitor can have — an error naming it, nothing changed.
    expect((await call(token, "communities/no-such-shop/revoke-tokens")).status).toBe(404);
    out.length = 0;
    expect(await run(["community", "revoke-tokens", "no-such-shop"], io)).toBe(1);
    expect(out.join("\n")).toMatch(/community/i);
    await expect(revokeIdentity(null, SLUG, " padded ")).rejects.toThrow(/uuid must not start or end with spaces/);
    await expect(revokeCommunityTokens(await seedActor("viewer"), SLUG)).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("token revoke <name-or-id>", () => {
  it("revokes by name, refuses a name several tokens share (listing their ids), and by id", async () => {
    const admin = await seedActor("admin");
    const solo = await createApiToken(admin, { name: "deploy", role: "admin" });
    const a = await createApiToken(admin, { name: "twin", role: "viewer" });
    const b = await createApiToken(admin, { name: "twin", role: "viewer" });
    const out: string[] = [];
    const io: Io = { stdout: (s) => out.push(s), stderr: (s) => out.push(s), readStdin: async () => "" };
    expect(await run(["token", "revoke", "deploy"], io)).toBe(0);
    expect(out.pop()).toBe(`Revoked API token ${solo.dto.id} "deploy"`);
    expect(await run(["token", "revoke", "twin"], io)).toBe(1);
    expect(out.join("\n")).toContain(`2 API tokens are named “twin”`);
    expect(out.join("\n")).toContain(`${a.dto.id}, ${b.dto.id}`);
    expect(await db().apiToken.count({ where: { name: "twin", revokedAt: { not: null } } })).toBe(0);
    out.length = 0;
    expect(await run(["token", "revoke", a.dto.id], io)).toBe(0);
    expect(await run(["token", "revoke", "twin"], io)).toBe(0); // one unrevoked left: that one
    expect(out.pop()).toBe(`Revoked API token ${b.dto.id} "twin"`);
    expect(await run(["token", "revoke", "nobody"], io)).toBe(1);
    expect(out.pop()).toMatch(/no API token with the id or name “nobody”/);
  });
});
