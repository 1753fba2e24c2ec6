// Accounts: better-auth owns sign-in and sessions; creating, re-roling and deleting accounts is ours
// (sign-up is closed). Passwords are hashed with better-auth's scrypt (memory-hard).
import crypto from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { db, type Tx } from "../db";
import { canManage, isRole, type Actor, type Role } from "../authz";
import { DomainError, forbidden, prismaCode } from "../errors";
import {
  accountCreateSchema,
  accountIdSchema,
  emailSchema,
  setupSchema,
  type AccountCreateInput,
  type SetupInput,
} from "../validations/account";
import { assertReader } from "./access";
import { audit } from "./audit";
import { serializable } from "./retry";

export interface AccountDto {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
  /** Disabled by an administrator: cannot sign in. */
  disabled: boolean;
}

const accountSelect = { id: true, email: true, name: true, role: true, createdAt: true, disabledAt: true } as const;
const toDto = ({
  disabledAt,
  ...u
}: {
  id: string;
  email: string;
  name: string;
  role: string;
  createdAt: Date;
  disabledAt: Date | null;
}): AccountDto => ({ ...u, role: isRole(u.role) ? u.role : "viewer", disabled: disabledAt !== null });

/** Administrators who can still sign in: the console must always keep one. */
const enabledAdmins = (tx: Tx) => tx.user.count({ where: { role: "admin", disabledAt: null } });

export async function listAccounts(actor: Actor | null): Promise<AccountDto[]> {
  assertReader(actor);
  const rows = await db().user.findMany({ select: accountSelect, orderBy: { createdAt: "asc" } });
  return rows.map(toDto);
}

/** Whether any account exists: `/setup` exists only while there is none (docs/security.md). */
export async function hasAnyAccount(): Promise<boolean> {
  return (await db().user.count()) > 0;
}

async function insertAccount(tx: Tx, input: { email: string; name: string; password: string; role: Role }) {
  const id = crypto.randomUUID();
  const password = await hashPassword(input.password);
  try {
    const user = await tx.user.create({
      data: {
        id,
        email: input.email,
        name: input.name || input.email.split("@")[0]!,
        role: input.role,
        emailVerified: false,
      },
      select: accountSelect,
    });
    await tx.account.create({
      data: { id: crypto.randomUUID(), accountId: id, providerId: "credential", userId: id, password },
    });
    return toDto(user);
  } catch (err) {
    if (prismaCode(err) === "P2002")
      throw new DomainError("conflict", "An account with this e-mail address already exists", "email");
    throw err;
  }
}

/** The /setup page: creates the first administrator, and only while there is none. */
export async function createFirstAdmin(raw: SetupInput): Promise<AccountDto> {
  const input = setupSchema.parse(raw);
  return serializable(async (tx) => {
    if ((await tx.user.count()) > 0) {
      throw new DomainError("forbidden", "Vouch is already set up: sign in instead.");
    }
    const account = await insertAccount(tx, { ...input, role: "admin" });
    await audit(tx, { id: account.id, email: account.email }, "account.setup", {
      targetLabel: account.email,
      details: { role: "admin" },
    });
    return account;
  });
}

/** Creates an account. `actor` null means the operator CLI (trusted: it runs on the server). */
export async function createAccount(actor: Actor | null, raw: AccountCreateInput): Promise<AccountDto> {
  if (actor && !canManage(actor)) throw forbidden("create accounts");
  const input = accountCreateSchema.parse(raw);
  return db().$transaction(async (tx) => {
    const account = await insertAccount(tx, input);
    await audit(tx, actor ?? { id: null, email: "cli" }, "account.create", {
      targetLabel: account.email,
      details: { role: account.role },
    });
    return account;
  });
}

/** Changes an account's role; demoting an administrator ends all of that account's sessions at once. */
export async function changeAccountRole(actor: Actor, id: string, role: Role): Promise<AccountDto> {
  if (!canManage(actor)) throw forbidden("change roles");
  return serializable(async (tx) => {
    const current = await findAccount(tx, { id }, accountSelect);
    if (current.role === role) return toDto(current);
    if (current.role === "admin" && current.disabledAt === null && (await enabledAdmins(tx)) <= 1) {
      throw new DomainError("conflict", "This is the last administrator: make another account admin first", "role");
    }
    const updated = await tx.user.update({ where: { id }, data: { role }, select: accountSelect });
    // A demoted account signs in again: none of its browsers keeps a page loaded with an admin's view.
    const demoted = current.role === "admin" && role !== "admin";
    const ended = demoted ? (await tx.session.deleteMany({ where: { userId: id } })).count : 0;
    await audit(tx, actor, "account.role_change", {
      targetLabel: updated.email,
      details: { role: { from: current.role, to: role }, ...(demoted ? { sessions_ended: ended } : {}) },
    });
    return toDto(updated);
  });
}

/** Deletes an account; its sessions go with it (cascade), so it is signed out everywhere at once. */
export async function deleteAccount(actor: Actor, id: string): Promise<void> {
  if (!canManage(actor)) throw forbidden("delete accounts");
  await serializable(async (tx) => {
    const current = await findAccount(tx, { id }, accountSelect);
    if (current.role === "admin" && current.disabledAt === null && (await enabledAdmins(tx)) <= 1) {
      throw new DomainError("conflict", "This is the last administrator and cannot be deleted");
    }
    await tx.user.delete({ where: { id } });
    await audit(tx, actor, "account.delete", { targetLabel: current.email, details: { role: current.role } });
  });
}

/** One account named by id (the console) or e-mail address (the CLI), validated. */
export const accountWhere = (ref: { id: string } | { email: string }) =>
  "email" in ref ? { email: emailSchema.parse(ref.email) } : { id: accountIdSchema.parse(ref).id };

/** The account `where` names, or not_found naming what was asked for. */
export async function findAccount<S extends { id: true; email: true }>(
  tx: Tx,
  where: ReturnType<typeof accountWhere>,
  select: S,
) {
  const user = await tx.user.findUnique({ where, select });
  if (!user)
    throw new DomainError(
      "not_found",
      "email" in where ? `No account with e-mail address ${where.email}` : "This account no longer exists",
    );
  return user;
}

/**
 * Disables an account (it cannot sign in, and its sessions end in the same transaction) or enables it
 * again. Administrators only — `actor` null means the operator CLI; nobody disables their own account,
 * and the last enabled administrator stays enabled.
 */
export async function setAccountDisabled(
  actor: Actor | null,
  ref: { id: string } | { email: string },
  disabled: boolean,
  now = new Date(),
): Promise<{ account: AccountDto; changed: boolean; sessionsEnded: number }> {
  if (actor && !canManage(actor)) throw forbidden(disabled ? "disable accounts" : "enable accounts");
  const where = accountWhere(ref);
  return serializable(async (tx) => {
    const current = await findAccount(tx, where, accountSelect);
    if ((current.disabledAt !== null) === disabled)
      return { account: toDto(current), changed: false, sessionsEnded: 0 };
    if (disabled && actor && actor.id === current.id)
      throw new DomainError("conflict", "You cannot disable your own account: ask another administrator");
    if (disabled && current.role === "admin" && (await enabledAdmins(tx)) <= 1)
      throw new DomainError("conflict", "This is the last enabled administrator: make another account admin first");
    const updated = await tx.user.update({
      where: { id: current.id },
      data: { disabledAt: disabled ? now : null },
      select: accountSelect,
    });
    const sessionsEnded = disabled ? (await tx.session.deleteMany({ where: { userId: current.id } })).count : 0;
    await audit(tx, actor ?? { id: null, email: "cli" }, disabled ? "account.disable" : "account.enable", {
      targetLabel: current.email,
      details: disabled ? { sessions_ended: sessionsEnded } : {},
    });
    return { account: toDto(updated), changed: true, sessionsEnded };
  });
}

/** Whether this account is disabled (the session hook refuses it a session: lib/auth.ts). */
export async function isAccountDisabled(userId: string): Promise<boolean> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { disabledAt: true } });
  return user?.disabledAt != null;
}
