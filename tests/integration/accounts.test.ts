import { beforeEach, describe, expect, it } from "vitest";
import { verifyPassword } from "better-auth/crypto";
import { db } from "@/lib/db";
import {
  changeAccountRole,
  createAccount,
  createFirstAdmin,
  deleteAccount,
  hasAnyAccount,
  listAccounts,
} from "@/lib/dal/accounts";
import { DomainError } from "@/lib/errors";
import { resetDb, seedActor } from "../helpers/db";

beforeEach(resetDb);

const snapshot = async () => ({
  users: await db().user.findMany({ orderBy: { email: "asc" }, select: { email: true, role: true } }),
  audit: await db().auditLog.count(),
});

describe("first administrator (setup)", () => {
  it("creates an admin whose password verifies, only while there is none", async () => {
    expect(await hasAnyAccount()).toBe(false);
    const admin = await createFirstAdmin({ email: "Owner@Example.com", name: "", password: "a long enough password" });
    expect(admin).toMatchObject({ email: "owner@example.com", role: "admin", name: "owner" });
    expect(await hasAnyAccount()).toBe(true);

    const credential = await db().account.findFirstOrThrow({ where: { userId: admin.id, providerId: "credential" } });
    expect(credential.password).not.toContain("a long enough password");
    expect(await verifyPassword({ hash: credential.password!, password: "a long enough password" })).toBe(true);
    expect(await verifyPassword({ hash: credential.password!, password: "wrong password!!" })).toBe(false);

    await expect(
      createFirstAdmin({ email: "intruder@example.com", name: "", password: "another long password" }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    expect((await listAccounts(null)).map((a) => a.email)).toEqual(["owner@example.com"]);
  });

  it("is closed once any account exists, even only a viewer made by the CLI", async () => {
    await createAccount(null, { email: "viewer@example.com", name: "", password: "viewer password 1", role: "viewer" });
    expect(await hasAnyAccount()).toBe(true);
    await expect(
      createFirstAdmin({ email: "intruder@example.com", name: "", password: "another long password" }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    expect((await listAccounts(null)).map((a) => `${a.email}:${a.role}`)).toEqual(["viewer@example.com:viewer"]);
  });
});

describe("createAccount", () => {
  it("lets an admin create a viewer, audited without the password", async () => {
    const admin = await seedActor("admin");
    const viewer = await createAccount(admin, {
      email: "v@example.com",
      name: "Vi",
      password: "viewer password 1",
      role: "viewer",
    });
    expect(viewer.role).toBe("viewer");
    const entry = await db().auditLog.findFirstOrThrow({
      where: { action: "account.create", targetLabel: "v@example.com" },
    });
    expect(entry.actorEmail).toBe(admin.email);
    expect(entry.details).not.toContain("viewer password 1");
  });

  it("refuses a viewer and changes nothing", async () => {
    const viewer = await seedActor("viewer");
    const before = await snapshot();
    await expect(
      createAccount(viewer, { email: "x@example.com", name: "", password: "whatever password", role: "admin" }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a duplicate e-mail address, whatever its case, on the email field", async () => {
    const admin = await seedActor("admin", "boss@example.com");
    const err = await createAccount(admin, {
      email: "BOSS@example.com",
      name: "",
      password: "whatever password",
      role: "viewer",
    }).catch((e) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: "conflict", field: "email" });
    expect(await db().user.count()).toBe(1);
  });

  it("validates input with the form's schema", async () => {
    const admin = await seedActor("admin");
    await expect(createAccount(admin, { email: "nope", name: "", password: "short", role: "admin" })).rejects.toThrow(
      /valid e-mail/,
    );
    await expect(
      createAccount(admin, { email: "a@b.co", name: "", password: "long enough pass", role: "owner" as "admin" }),
    ).rejects.toThrow(/Choose a role/);
  });
});

describe("changeAccountRole / deleteAccount", () => {
  it("never demotes or deletes the last administrator", async () => {
    const admin = await seedActor("admin");
    await expect(changeAccountRole(admin, admin.id, "viewer")).rejects.toMatchObject({
      code: "conflict",
      field: "role",
    });
    await expect(deleteAccount(admin, admin.id)).rejects.toMatchObject({ code: "conflict" });
    expect((await listAccounts(null))[0]?.role).toBe("admin");
  });

  it("changes a role and audits old → new", async () => {
    const admin = await seedActor("admin");
    const other = await seedActor("viewer");
    await changeAccountRole(admin, other.id, "admin");
    await changeAccountRole(admin, admin.id, "viewer"); // allowed now: another admin exists
    const roles = Object.fromEntries((await listAccounts(null)).map((a) => [a.email, a.role]));
    expect(roles).toEqual({ [admin.email]: "viewer", [other.email]: "admin" });
    const entry = await db().auditLog.findFirstOrThrow({
      where: { action: "account.role_change", targetLabel: other.email },
    });
    expect(JSON.parse(entry.details)).toEqual({ role: { from: "viewer", to: "admin" } });
  });

  it("refuses viewers", async () => {
    await seedActor("admin");
    const viewer = await seedActor("viewer");
    const before = await snapshot();
    await expect(changeAccountRole(viewer, viewer.id, "admin")).rejects.toMatchObject({ code: "forbidden" });
    await expect(deleteAccount(viewer, viewer.id)).rejects.toMatchObject({ code: "forbidden" });
    expect(await snapshot()).toEqual(before);
  });

  it("ends the deleted account's sessions (foreign keys cascade on both databases)", async () => {
    const admin = await seedActor("admin");
    const other = await seedActor("viewer");
    await db().session.create({
      data: { id: "s1", token: "t1", userId: other.id, expiresAt: new Date(Date.now() + 3600_000) },
    });
    await deleteAccount(admin, other.id);
    expect(await db().session.count({ where: { userId: other.id } })).toBe(0);
    expect(await db().account.count({ where: { userId: other.id } })).toBe(0);
  });

  it("keeps at least one admin when two admins demote each other at once", async () => {
    const a = await seedActor("admin");
    const b = await seedActor("admin");
    await Promise.allSettled([changeAccountRole(a, b.id, "viewer"), changeAccountRole(b, a.id, "viewer")]);
    expect(await db().user.count({ where: { role: "admin" } })).toBeGreaterThanOrEqual(1);
  });
});
