// The server actions themselves, with the session mocked: no session → refused; viewer → refused
// with the database unchanged; admin → done; bad input → field errors.
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/authz";

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/next/session", () => ({ getActor: async () => session.actor, requireActor: async () => session.actor }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

import { db } from "@/lib/db";
import { createCommunityAction, deleteCommunityAction, renameCommunityAction } from "@/lib/next/actions/communities";
import { changeAccountRoleAction, createAccountAction, deleteAccountAction } from "@/lib/next/actions/accounts";
import {
  addJwtKeyAction,
  deleteJwtKeyAction,
  generateHmacSecretAction,
  updateSignedIdentitiesAction,
} from "@/lib/next/actions/signed-identities";
import {
  createCustomFieldAction,
  deleteCustomFieldAction,
  updateCustomFieldAction,
} from "@/lib/next/actions/custom-fields";
import { addMappingAction, deleteMappingAction } from "@/lib/next/actions/mappings";
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
    expect(
      await createAccountAction({ email: "a@b.co", name: "", password: "long enough pass", role: "admin" }),
    ).toEqual(refused);
    expect(await state()).toEqual(before);
  });

  it("refuse a viewer's changes and leave the database unchanged", async () => {
    const admin = await seedActor("admin");
    session.actor = admin;
    expect(await createCommunityAction({ name: "Acme", slug: "acme" })).toMatchObject({
      ok: true,
      data: { slug: "acme" },
    });

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
    expect(bad).toMatchObject({
      ok: false,
      fieldErrors: { name: ["Enter a name"], slug: [expect.stringMatching(/lower-case/)] },
    });
    await createCommunityAction({ name: "Acme", slug: "acme" });
    const dup = await createCommunityAction({ name: "Acme 2", slug: "acme" });
    expect(dup).toEqual({
      ok: false,
      formError: "Check the highlighted fields.",
      fieldErrors: { slug: ['Another community already uses the identifier "acme"'] },
    });
  });

  it("identity settings: a viewer is refused every change and the configuration stays as it was", async () => {
    session.actor = await seedActor("admin");
    await createCommunityAction({ name: "Acme", slug: "acme" });
    expect(
      await addJwtKeyAction("acme", { algorithm: "HS256", kid: "k1", secret: "9aeaf06388b8ab6487d1605b" }),
    ).toMatchObject({
      ok: true,
      data: { kid: "k1", secret: "9aeaf06388b8ab6487d1605b" },
    });
    await createCustomFieldAction("acme", { label: "Customer ID", type: "string" });
    await addMappingAction("acme", { key: "uuid", field: "custom:customer_id" });
    const generated = await generateHmacSecretAction({});
    expect(generated).toMatchObject({ ok: true, data: { secret: expect.stringMatching(/^[0-9a-f]{24}$/) } });

    session.actor = await seedActor("viewer");
    const config = async () => ({
      community: await db().community.findUniqueOrThrow({
        where: { slug: "acme" },
        select: { signedIdentities: true, configVersion: true },
      }),
      keys: await db().jwtKey.findMany({ select: { kid: true, secretCiphertext: true } }),
      fields: await db().customField.findMany({ select: { key: true, label: true } }),
      mappings: await db().extraValueMapping.findMany({ select: { key: true, field: true } }),
      audit: await db().auditLog.count(),
    });
    const before = await config();
    const results = [
      await updateSignedIdentitiesAction("acme", { signed_identities: "accept", clock_skew_seconds: 10 }),
      await addJwtKeyAction("acme", { algorithm: "HS256", kid: "k2", secret: "9aeaf06388b8ab6487d1605b" }),
      await deleteJwtKeyAction("acme", { kid: "k1" }),
      await createCustomFieldAction("acme", { label: "Plan", type: "string" }),
      await updateCustomFieldAction("acme", { label: "Hacked", key: "customer_id", type: "string" }),
      await deleteCustomFieldAction("acme", { key: "customer_id" }),
      await addMappingAction("acme", { key: "x", field: "email" }),
      await deleteMappingAction("acme", { key: "uuid" }),
      await generateHmacSecretAction({}),
    ];
    for (const result of results)
      expect(result).toMatchObject({ ok: false, formError: expect.stringMatching(/role does not allow/) });
    expect(await config()).toEqual(before);
  });

  it("identity settings: bad input comes back on the form's own fields", async () => {
    session.actor = await seedActor("admin");
    await createCommunityAction({ name: "Acme", slug: "acme" });
    expect(await addJwtKeyAction("acme", { algorithm: "HS256", kid: "Bad Kid", secret: "xyz" })).toMatchObject({
      ok: false,
      fieldErrors: { kid: [expect.stringMatching(/lower-case/)], secret: [expect.stringMatching(/exactly 24/)] },
    });
    expect(
      await updateSignedIdentitiesAction("acme", { signed_identities: "require", clock_skew_seconds: 10 }),
    ).toEqual({
      ok: false,
      formError: "Check the highlighted fields.",
      fieldErrors: {
        signed_identities: [
          "Add a JWT key or a JWKS URL first: “require” needs at least one key to verify signed identities with",
        ],
      },
    });
    expect(
      await updateSignedIdentitiesAction("ghost", { signed_identities: "reject", clock_skew_seconds: 10 }),
    ).toEqual({
      ok: false,
      formError: "This community no longer exists",
    });
  });
});
