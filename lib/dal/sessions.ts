// Console sessions (docs/security.md, sessions): better-auth writes a session row per sign-in and reads it
// on every request; here an account sees its own sessions and ends the others, an administrator (or
// the operator CLI) ends every session of an account, and each console request marks its session seen —
// at most every SESSION_SEEN_EVERY_MS, by a conditional write. No framework imports.
import Bowser from "bowser";
import { db } from "../db";
import { canManage, type Actor } from "../authz";
import { forbidden } from "../errors";
import { accountWhere, findAccount } from "./accounts";
import { assertReader } from "./access";
import { audit } from "./audit";

/** A session's last_seen (its row's updatedAt) moves at most this often: a write per 5 minutes, not per page. */
export const SESSION_SEEN_EVERY_MS = 5 * 60_000;

export interface SessionDto {
  id: string;
  /** "Chrome 131 on Linux", from the User-Agent at sign-in ("Unknown browser" when there was none). */
  browser: string;
  /** The client address at sign-in, as the door saw it (the trusted proxy's entry); null when unknown. */
  address: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  /** The session this request came with. */
  current: boolean;
}

/** "Firefox 133 on Windows": the browser and system a User-Agent names, or what can be said of it. */
export function describeBrowser(userAgent: string | null | undefined): string {
  if (!userAgent) return "Unknown browser";
  const { browser, os } = Bowser.parse(userAgent.slice(0, 512));
  const name = [browser.name, browser.version?.split(".")[0]].filter(Boolean).join(" ");
  const system = os.name ?? "";
  if (!name) return system ? `Unknown browser on ${system}` : "Unknown browser";
  return system ? `${name} on ${system}` : name;
}

const sessionSelect = { id: true, userAgent: true, ipAddress: true, createdAt: true, updatedAt: true } as const;

/** The signed-in account's unexpired sessions, the current one first, then the most recently seen. */
export async function listOwnSessions(actor: Actor, currentSessionId: string | null, now = new Date()) {
  assertReader(actor);
  const rows = await db().session.findMany({
    where: { userId: actor.id, expiresAt: { gt: now } },
    select: sessionSelect,
    orderBy: { updatedAt: "desc" },
  });
  const sessions: SessionDto[] = rows.map((r) => ({
    id: r.id,
    browser: describeBrowser(r.userAgent),
    address: r.ipAddress || null,
    createdAt: r.createdAt,
    lastSeenAt: r.updatedAt,
    current: r.id === currentSessionId,
  }));
  return sessions.sort((a, b) => Number(b.current) - Number(a.current));
}

/** Ends every session of the signed-in account but the current one ("sign out other sessions"). */
export async function endOtherSessions(actor: Actor, currentSessionId: string): Promise<number> {
  assertReader(actor);
  return db().$transaction(async (tx) => {
    const { count } = await tx.session.deleteMany({ where: { userId: actor.id, id: { not: currentSessionId } } });
    if (count > 0)
      await audit(tx, actor, "session.end_others", { targetLabel: actor.email, details: { sessions_ended: count } });
    return count;
  });
}

/**
 * Ends every session of an account (by id or e-mail address): its browsers are sent to sign-in at
 * their next request. Administrators only; `actor` null means the operator CLI.
 */
export async function endAccountSessions(
  actor: Actor | null,
  ref: { id: string } | { email: string },
): Promise<{ email: string; ended: number }> {
  if (actor && !canManage(actor)) throw forbidden("end other accounts' sessions");
  const where = accountWhere(ref);
  return db().$transaction(async (tx) => {
    const user = await findAccount(tx, where, { id: true, email: true });
    const { count } = await tx.session.deleteMany({ where: { userId: user.id } });
    await audit(tx, actor ?? { id: null, email: "cli" }, "account.sign_out", {
      targetLabel: user.email,
      details: { sessions_ended: count },
    });
    return { email: user.email, ended: count };
  });
}

/** Marks a session seen now, if it was last marked more than SESSION_SEEN_EVERY_MS ago (else writes nothing). */
export async function markSessionSeen(sessionId: string, now = new Date()): Promise<void> {
  await db().session.updateMany({
    where: { id: sessionId, updatedAt: { lt: new Date(now.getTime() - SESSION_SEEN_EVERY_MS) } },
    data: { updatedAt: now },
  });
}
