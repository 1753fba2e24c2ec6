// Every data-layer read takes its caller (lib/dal/access.ts): both roles read, an actor without a known
// role reads nothing, and what only administrators may see is decided by the read, not by a page.
import { beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/authz";
import { listAccounts } from "@/lib/dal/accounts";
import { listAuditLog } from "@/lib/dal/audit";
import { findCommunity, listCommunities } from "@/lib/dal/communities";
import { exportCommunityConfig, importCommunityConfig } from "@/lib/dal/community-config";
import { getIdentity, listIdentityPage } from "@/lib/dal/identities";
import { keyUseLast24h, listVerificationLog } from "@/lib/dal/telemetry-queries";
import { resetDb, seedActor } from "../helpers/db";

const SECRET = "0123456789abcdef01234567";
let communityId: string;
beforeEach(async () => {
  await resetDb();
  await importCommunityConfig(null, {
    version: 1,
    community: {
      name: "Acme",
      slug: "acme",
      signed_identities: "accept",
      clock_skew_seconds: 10,
      allowed_origins: [],
      jwt_keys: [{ kid: "k1", algorithm: "HS256", secret: SECRET }],
      custom_fields: [],
      extra_value_mappings: [],
    },
  });
  communityId = (await findCommunity(null, "acme"))!.id;
});

const reads = (actor: Actor | null) => [
  () => listAccounts(actor),
  () => listCommunities(actor),
  () => findCommunity(actor, "acme"),
  () => listAuditLog(actor, communityId),
  () => listIdentityPage(actor, "acme", { q: "jane" }),
  () =>
    getIdentity(actor, "acme", "nobody").catch((e: { code?: string }) =>
      e.code === "not_found" ? "absent" : Promise.reject(e),
    ),
  () => listVerificationLog(actor, communityId),
  () => keyUseLast24h(actor, []),
  () => exportCommunityConfig(actor, "acme"),
];

describe("reads take the caller", () => {
  it("lets both roles and the operator CLI read", async () => {
    for (const actor of [await seedActor("admin"), await seedActor("viewer"), null]) {
      // What each read returns, the same whoever reads (the accounts list: the two seeded so far).
      const seen = [
        (await listAccounts(actor)).length >= 1,
        (await listCommunities(actor)).map((c) => c.slug),
        (await findCommunity(actor, "acme"))?.slug,
        (await listAuditLog(actor, communityId)).map((e) => e.action),
        (await listIdentityPage(actor, "acme", { q: "jane" })).identities,
        await getIdentity(actor, "acme", "nobody").catch((e: { code?: string }) => e.code),
        await listVerificationLog(actor, communityId),
        (await keyUseLast24h(actor, [])).size,
        (await exportCommunityConfig(actor, "acme")).community.slug,
      ];
      expect(seen, actor?.role ?? "cli").toEqual([
        true,
        ["acme"],
        "acme",
        ["community.import"],
        [],
        "not_found",
        [],
        0,
        "acme",
      ]);
      expect(reads(actor)).toHaveLength(seen.length); // every read of the list above is checked here
    }
    const viewer = await seedActor("viewer");
    expect((await listCommunities(viewer)).map((c) => c.slug)).toEqual(["acme"]);
    expect((await listAuditLog(viewer, communityId)).map((e) => e.action)).toEqual(["community.import"]);
  });

  it("refuses an actor whose role is not one Vouch knows, on every read", async () => {
    const forged = { ...(await seedActor("viewer")), role: "owner" } as unknown as Actor;
    for (const read of reads(forged)) await expect(read()).rejects.toMatchObject({ code: "forbidden" });
  });

  it("exports secrets to administrators and the CLI only", async () => {
    const secretOf = (doc: Awaited<ReturnType<typeof exportCommunityConfig>>) =>
      (doc.community.jwt_keys[0] as { secret?: string }).secret;
    expect(secretOf(await exportCommunityConfig(null, "acme", { includeSecrets: true }))).toBe(SECRET);
    expect(secretOf(await exportCommunityConfig(await seedActor("admin"), "acme", { includeSecrets: true }))).toBe(
      SECRET,
    );
    const viewer = await seedActor("viewer");
    expect(secretOf(await exportCommunityConfig(viewer, "acme"))).toBeUndefined();
    await expect(exportCommunityConfig(viewer, "acme", { includeSecrets: true })).rejects.toMatchObject({
      code: "forbidden",
      message: "Your role does not allow you to export secrets. Ask an administrator.",
    });
  });
});
