// Retention (docs/reference.md) with a fixed clock: identities past their community's retention are deleted in
// batches, newer ones kept, one instance at a time.
import { beforeEach, describe, expect, it } from "vitest";
import { run, type Io } from "@/lib/cli/main";
import { importCommunityConfig } from "@/lib/dal/community-config";
import { updateRetention } from "@/lib/dal/identity-settings";
import { pruneIdentities } from "@/lib/dal/retention";
import { db } from "@/lib/db";
import { resetDb, seedActor } from "../helpers/db";
import { specConfigDocument } from "../helpers/config";

const NOW = new Date("2027-06-01T00:00:00Z");
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);

beforeEach(async () => {
  await resetDb();
  await db().vouchSetting.deleteMany({ where: { key: "retention.lease" } });
});

async function community(slug: string, retentionDays: number) {
  const doc = specConfigDocument();
  await importCommunityConfig(null, {
    ...doc,
    community: { ...doc.community, slug, identity_retention_days: retentionDays },
  });
  return (await db().community.findUniqueOrThrow({ where: { slug } })).id;
}

async function identities(communityId: string, prefix: string, n: number, updatedAt: Date) {
  const rows = Array.from({ length: n }, (_, i) => ({
    communityId,
    uuid: `${prefix}${i}`,
    updatedAt,
    createdAt: updatedAt,
    lastSeenAt: updatedAt,
  }));
  for (let i = 0; i < rows.length; i += 500) await db().identity.createMany({ data: rows.slice(i, i + 500) });
}

describe("identity retention", () => {
  it("deletes identities past each community's retention, in batches, and keeps the rest", async () => {
    const yearly = await community("yearly-shop", 365);
    const monthly = await community("monthly-shop", 30);
    await identities(yearly, "old", 2300, daysAgo(400));
    await identities(yearly, "recent", 20, daysAgo(300));
    await identities(monthly, "old", 7, daysAgo(31));
    await identities(monthly, "recent", 5, daysAgo(29));
    const r = await pruneIdentities({ now: NOW, batch: 500 });
    expect(r).toEqual({ deleted: 2307, batches: 6, messages: 0, ran: true }); // 5 batches (2,300 rows) + 1 (7 rows)
    expect(await db().identity.count({ where: { communityId: yearly } })).toBe(20);
    expect(await db().identity.count({ where: { communityId: monthly } })).toBe(5);
    expect(await db().identity.count({ where: { uuid: { startsWith: "old" } } })).toBe(0);
    // Shortening the retention takes effect at the next pass; the change is audited.
    await updateRetention(await seedActor("admin"), "yearly-shop", { identity_retention_days: 100 });
    expect((await pruneIdentities({ now: NOW })).deleted).toBe(20);
    expect(await db().auditLog.count({ where: { action: "community.identity_retention" } })).toBe(1);
  });

  it("runs on one instance at a time: a held lease makes another pass do nothing", async () => {
    const id = await community("lease-shop", 30);
    await identities(id, "old", 3, daysAgo(60));
    await db().vouchSetting.create({
      data: { key: "retention.lease", value: `another-instance ${NOW.getTime() + 60_000}` },
    });
    expect(await pruneIdentities({ now: NOW })).toEqual({ deleted: 0, batches: 0, messages: 0, ran: false });
    // An expired lease is taken over.
    expect(await pruneIdentities({ now: new Date(NOW.getTime() + 120_000) })).toMatchObject({ deleted: 3, ran: true });
    expect(await db().vouchSetting.count({ where: { key: "retention.lease" } })).toBe(0);
  });

  it("is in the configuration document and the CLI runs it now", async () => {
    const id = await community("doc-shop", 45);
    const doc = specConfigDocument();
    const { validateCommunityConfig } = await import("@/lib/dal/community-config");
    expect(() =>
      validateCommunityConfig({ ...doc, community: { ...doc.community, identity_retention_days: 0 } }),
    ).toThrow(
      expect.objectContaining({ issues: [{ path: "community.identity_retention_days", message: "At least 1 day" }] }),
    );
    expect(
      (await (await import("@/lib/dal/community-config")).exportCommunityConfig(null, "doc-shop")).community
        .identity_retention_days,
    ).toBe(45);
    await identities(id, "old", 2, new Date(Date.now() - 50 * 86_400_000));
    const out: string[] = [];
    const io: Io = { stdout: (s) => out.push(s), stderr: () => {}, readStdin: async () => "" };
    expect(await run(["identity", "prune"], io)).toBe(0);
    expect(out).toEqual(["Deleted 2 identities past retention (1 batch)."]);
  });
});
