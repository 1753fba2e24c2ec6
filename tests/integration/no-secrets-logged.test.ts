// Secrets never reach the logs (docs/reference.md): every log line captured at debug level over the paths
// that handle them — a key added, a configuration imported and exported with secrets, the route
// refusing tokens and bodies that carry them — and none holds a secret or a token's signature.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { handleIdentityPost } from "@/lib/api/identity-route";
import { createCommunity } from "@/lib/dal/communities";
import { exportCommunityConfig, importCommunityConfig } from "@/lib/dal/community-config";
import { addJwtKey } from "@/lib/dal/jwt-keys";
import { flushRouteTelemetry } from "@/lib/dal/route-telemetry";
import { db } from "@/lib/db";
import { captureLogs } from "@/lib/logger";
import { resetDb, seedActor } from "../helpers/db";
import { nowS, signHs256 } from "../helpers/tokens";

const SECRETS = ["0a1b2c3d4e5f60718293a4b5", "f0e1d2c3b4a5968778695a4b", "1234567890abcdef12345678"];

let capture: ReturnType<typeof captureLogs>;
beforeEach(async () => {
  await resetDb();
  capture = captureLogs("debug");
});
afterEach(() => capture.stop());

const post = (slug: string, body: unknown) =>
  handleIdentityPost(
    new Request(`http://vouch.test/api/v1/communities/${slug}/identity`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
    slug,
  );

describe("logs at debug level", () => {
  it("name what happened without any secret, token signature or password", async () => {
    const admin = await seedActor("admin");
    await createCommunity(admin, { name: "Acme", slug: "acme" });
    await addJwtKey(admin, "acme", { kid: "first", algorithm: "HS256", secret: SECRETS[0]! });
    await importCommunityConfig(null, {
      version: 1,
      community: {
        name: "Imported",
        slug: "imported",
        signed_identities: "require",
        jwt_keys: [{ kid: "k", algorithm: "HS256", secret: SECRETS[1]! }],
      },
    });
    const exported = await exportCommunityConfig(null, "imported", { includeSecrets: true });
    expect(JSON.stringify(exported)).toContain(SECRETS[1]); // the export itself carries it, as asked

    // Refusals: a token signed with a secret the community does not have, a token in reject mode,
    // a tampered one, and a body that puts a secret where a name goes.
    const forged = await signHs256(SECRETS[2]!, { uuid: "u1", exp: nowS() + 7200 }, { kid: "k" });
    const wrongMode = await signHs256(SECRETS[0]!, { uuid: "u2", exp: nowS() + 7200 }, { kid: "first" });
    const tampered =
      (await signHs256(SECRETS[1]!, { uuid: "u3", exp: nowS() + 7200 }, { kid: "k" })).slice(0, -3) + "xyz";
    expect((await post("imported", { signed_identity: forged })).status).toBe(401);
    expect((await post("acme", { signed_identity: wrongMode })).status).toBe(403);
    expect((await post("imported", { signed_identity: tampered })).status).toBe(401);
    expect((await post("imported", { identity: { firstname: SECRETS[2] } })).status).toBe(403);
    await flushRouteTelemetry();

    const text = capture.lines.join("");
    // The paths did log: otherwise this test would prove nothing.
    expect(text).toContain('"msg":"configuration changed"');
    expect(text).toContain('"msg":"configuration imported"');
    expect(text).toContain('"msg":"configuration exported"');
    expect(text.match(/"msg":"identity route: refused"/g)).toHaveLength(4);
    expect(text).toContain('"code":"bad_signature"');
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    for (const token of [forged, wrongMode, tampered]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(token.split(".")[2]);
    }
    expect(text).not.toContain("correct horse battery"); // seedActor's password
    // Nor the audit log, nor the verification log.
    const stored = JSON.stringify([await db().auditLog.findMany(), await db().verificationLog.findMany()]);
    for (const secret of SECRETS) expect(stored).not.toContain(secret);
    for (const token of [forged, wrongMode, tampered]) expect(stored).not.toContain(token.split(".")[2]);
  });
});
