// The server actions themselves, with the session mocked: no session → refused; viewer → refused
// with the database unchanged; admin → done; bad input → field errors.
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/authz";

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/session", () => ({ getActor: async () => session.actor, requireActor: async () => session.actor }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

import { db } from "@/lib/db";
import { createCommunityAction, deleteCommunityAction, renameCommunityAction } from "@/app/(console)/communities/actions";
import { changeAccountRoleAction, createAccountAction, deleteAccountAction } from "@/app/(console)/accounts/actions";
import { resetDb, seedActor } from "../helpers/db";

beforeEach(async () => {
  await resetDb();
  session.actor = null;
});

const state = async () => ({
  communities: await db().community.findMany({ select: { slug: true, name: true }, orderBy: { slug: "asc" } }),
  users: await db().user.findMany({ select: { email: true, role: true }, orderBy: { email: "asc" } }),
  audit: await db().auditLog.count(),
});

describe("server actions", () => {
  it("refuse every call without a session", async () => {
    const before = await state();
    const refused = { ok: false, formError: "Your session has ended. Sign in again." };
    expect(await createCommunityAction({ name: "Acme", slug: "acme" })).toEqual(refused);
    expect(await createAccountAction({ email: "a@b.co", name: "", password: "long enough pass", role: "admin" })).toEqual(refused);
    expect(await state()).toEqual(before);
  });

  it("refuse a viewer's changes and leave the database unchanged", async () => {
    const admin = await seedActor("admin");
    session.actor = admin;
    expect(await createCommunityAction({ name: "Acme", slug: "acme" })).toMatchObject({ ok: true, data: { slug: "acme" } });

    session.actor = await seedActor("viewer");
    const before = await state();
    for (const result of [
      await createCommunityAction({ name: "Mine", slug: "mine" }),
      await renameCommunityAction({ slug: "acme", name: "Hacked" }),
      await deleteCommunityAction({ slug: "acme" }),
      await createAccountAction({ email: "evil@example.com", name: "", password: "long enough pass", role: "admin" }),
      await changeAccountRoleAction({ id: session.actor.id, role: "admin" }),
      await deleteAccountAction({ id: admin.id }),
    ]) {
      expect(result).toMatchObject({ ok: false, formError: expect.stringMatching(/role does not allow/) });
    }
    expect(await state()).toEqual(before);
  });

  it("return zod field errors for bad input, and domain errors on their field", async () => {
    session.actor = await seedActor("admin");
    const bad = await createCommunityAction({ name: "", slug: "Bad Slug" });
    expect(bad).toMatchObject({ ok: false, fieldErrors: { name: ["Enter a name"], slug: [expect.stringMatching(/lower-case/)] } });
    await createCommunityAction({ name: "Acme", slug: "acme" });
    const dup = await createCommunityAction({ name: "Acme 2", slug: "acme" });
    expect(dup).toEqual({ ok: false, formError: "Check the highlighted fields.", fieldErrors: { slug: ['Another community already uses the identifier "acme"'] } });
  });
});
