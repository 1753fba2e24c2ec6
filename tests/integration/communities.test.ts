import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import {
  createCommunity,
  deleteCommunity,
  findCommunity,
  listCommunities,
  renameCommunity,
} from "@/lib/dal/communities";
import { resetDb, seedActor } from "../helpers/db";

beforeEach(resetDb);

const rows = () => db().community.findMany({ orderBy: { slug: "asc" }, select: { slug: true, name: true } });

describe("communities", () => {
  it("creates, lists (by name), renames and deletes, auditing each change", async () => {
    const admin = await seedActor("admin");
    await createCommunity(admin, { name: "  Zeta Store ", slug: "zeta" });
    await createCommunity(admin, { name: "Acme Shop", slug: "acme-shop" });
    expect((await listCommunities(null)).map((c) => c.name)).toEqual(["Acme Shop", "Zeta Store"]);

    await renameCommunity(admin, { slug: "acme-shop", name: "Acme Outlet" });
    expect((await findCommunity(null, "acme-shop"))?.name).toBe("Acme Outlet");

    await deleteCommunity(admin, "zeta");
    expect(await rows()).toEqual([{ slug: "acme-shop", name: "Acme Outlet" }]);

    const audit = await db().auditLog.findMany({
      orderBy: { createdAt: "asc" },
      select: { action: true, targetLabel: true, details: true },
    });
    expect(audit.map((a) => `${a.action}:${a.targetLabel}`)).toEqual(
      expect.arrayContaining([
        "community.create:zeta",
        "community.create:acme-shop",
        "community.rename:acme-shop",
        "community.delete:zeta",
      ]),
    );
    const rename = audit.find((a) => a.action === "community.rename")!;
    expect(JSON.parse(rename.details)).toEqual({ name: { from: "Acme Shop", to: "Acme Outlet" } });
  });

  it("refuses a slug already taken, on the slug field", async () => {
    const admin = await seedActor("admin");
    await createCommunity(admin, { name: "One", slug: "shop" });
    await expect(createCommunity(admin, { name: "Two", slug: "shop" })).rejects.toMatchObject({
      code: "conflict",
      field: "slug",
    });
    expect(await rows()).toEqual([{ slug: "shop", name: "One" }]);
  });

  it.each([
    ["Upper-Case", /lower-case/],
    ["a", /at least 3/],
    ["has space", /lower-case/],
    ["double--hyphen", /single hyphens/],
    ["x".repeat(49), /at most 48/],
  ])("refuses the slug %j", async (slug, message) => {
    const admin = await seedActor("admin");
    await expect(createCommunity(admin, { name: "Shop", slug })).rejects.toThrow(message);
    expect(await rows()).toEqual([]);
  });

  it("refuses viewers every change and leaves the database as it was", async () => {
    const admin = await seedActor("admin");
    const viewer = await seedActor("viewer");
    await createCommunity(admin, { name: "Acme", slug: "acme" });
    const auditBefore = await db().auditLog.count();
    await expect(createCommunity(viewer, { name: "Mine", slug: "mine" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(renameCommunity(viewer, { slug: "acme", name: "Hacked" })).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(deleteCommunity(viewer, "acme")).rejects.toMatchObject({ code: "forbidden" });
    expect(await rows()).toEqual([{ slug: "acme", name: "Acme" }]);
    expect(await db().auditLog.count()).toBe(auditBefore);
  });

  it("reports a community that no longer exists", async () => {
    const admin = await seedActor("admin");
    await expect(renameCommunity(admin, { slug: "ghost", name: "Boo" })).rejects.toMatchObject({ code: "not_found" });
    await expect(deleteCommunity(admin, "ghost")).rejects.toMatchObject({ code: "not_found" });
    expect(await findCommunity(null, "Not A Slug")).toBeNull();
  });
});
