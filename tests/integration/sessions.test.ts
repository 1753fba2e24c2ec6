// Console sessions (docs/security.md, sessions), on both databases: real sign-ins through better-auth, the
// list an account sees, ending the other sessions, an administrator (and the CLI) ending an account's,
// demotion ending them, last seen written at most every 5 minutes, and the audit trail.
import { beforeEach, describe, expect, it } from "vitest";
import { auth, signInWithPassword } from "@/lib/auth";
import { changeAccountRole, deleteAccount, listAccounts, setAccountDisabled } from "@/lib/dal/accounts";
import {
  describeBrowser,
  endAccountSessions,
  endOtherSessions,
  listOwnSessions,
  markSessionSeen,
  SESSION_SEEN_EVERY_MS,
} from "@/lib/dal/sessions";
import { CLIENT_ADDRESS_HEADER, stampClientAddress } from "@/lib/client-address";
import { run, type Io } from "@/lib/cli/main";
import { db } from "@/lib/db";
import { resetDb, seedActor } from "../helpers/db";

beforeEach(resetDb);

const PASSWORD = "correct horse battery";
const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** A real sign-in, as the console's server action makes it: the door's stamped client address and a browser. */
async function signIn(email: string, userAgent: string, address: string | null) {
  const headers = new Headers({ "user-agent": userAgent, "x-forwarded-for": "6.6.6.6" });
  if (address) headers.set(CLIENT_ADDRESS_HEADER, stampClientAddress(address));
  const { token } = await auth().api.signInEmail({ body: { email, password: PASSWORD }, headers });
  const row = await db().session.findUniqueOrThrow({ where: { token: token! } });
  return { id: row.id, token: token! };
}

/** better-auth reads the session row on every request (no cookie cache): a row that exists is a session that works. */
const alive = async (token: string) => (await db().session.count({ where: { token } })) > 0;

const cli = async (argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { stdout: (s) => out.push(s), stderr: (s) => err.push(s), readStdin: async () => "" };
  return { code: await run(argv, io), out, err };
};

describe("console sessions", () => {
  it("lists the account's own sessions: browser, the door's address (not X-Forwarded-For), this one first", async () => {
    const admin = await seedActor("admin");
    const viewer = await seedActor("viewer");
    const laptop = await signIn(admin.email, FIREFOX, "203.0.113.7");
    const desktop = await signIn(admin.email, CHROME, "2001:db8::1");
    await signIn(viewer.email, CHROME, "198.51.100.1"); // someone else's: never listed

    const sessions = await listOwnSessions(admin, desktop.id);
    expect(sessions.map((s) => [s.browser, s.address, s.current])).toEqual([
      ["Chrome 131 on Linux", "2001:db8::1", true],
      ["Firefox 133 on Windows", "203.0.113.7", false],
    ]);
    expect(sessions.map((s) => s.id).sort()).toEqual([laptop.id, desktop.id].sort());
    // Without the door's stamp (a forged header, or `next start`), the address is unknown.
    const forged = new Headers({ "user-agent": FIREFOX, [CLIENT_ADDRESS_HEADER]: "forged 10.0.0.1" });
    await auth().api.signInEmail({ body: { email: viewer.email, password: PASSWORD }, headers: forged });
    const viewerSessions = await listOwnSessions(viewer, null);
    expect(viewerSessions.map((s) => s.address).sort()).toEqual(["198.51.100.1", null].sort());
    expect(JSON.stringify(await db().session.findMany())).not.toContain("6.6.6.6");
  });

  it("names browsers from their User-Agent, and says so when it cannot", () => {
    expect(describeBrowser(FIREFOX)).toBe("Firefox 133 on Windows");
    expect(describeBrowser(null)).toBe("Unknown browser");
    const safari =
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";
    expect(describeBrowser(safari)).toBe("Safari 17 on macOS");
    expect(describeBrowser("curl/8.5.0")).toBe("Unknown browser");
    expect(describeBrowser("x".repeat(10_000))).toBe("Unknown browser");
  });

  it("signs out the other sessions, keeps this one, and audits how many ended", async () => {
    const admin = await seedActor("admin");
    const here = await signIn(admin.email, CHROME, "203.0.113.7");
    const others = [await signIn(admin.email, FIREFOX, "203.0.113.8"), await signIn(admin.email, FIREFOX, null)];
    expect(await endOtherSessions(admin, here.id)).toBe(2);
    expect(await alive(here.token)).toBe(true);
    for (const o of others) expect(await db().session.count({ where: { id: o.id } })).toBe(0);
    expect((await listOwnSessions(admin, here.id)).map((s) => s.current)).toEqual([true]);
    const entry = await db().auditLog.findFirstOrThrow({ where: { action: "session.end_others" } });
    expect([entry.actorEmail, entry.targetLabel, JSON.parse(entry.details)]).toEqual([
      admin.email,
      admin.email,
      { sessions_ended: 2 },
    ]);
    expect(JSON.stringify(entry)).not.toContain(here.token);
    // Nothing else to end: no entry written.
    expect(await endOtherSessions(admin, here.id)).toBe(0);
    expect(await db().auditLog.count({ where: { action: "session.end_others" } })).toBe(1);
  });

  it("lets an administrator end every session of an account; viewers may not; audited", async () => {
    const admin = await seedActor("admin");
    const viewer = await seedActor("viewer");
    const adminSession = await signIn(admin.email, CHROME, null);
    await signIn(viewer.email, CHROME, null);
    await signIn(viewer.email, FIREFOX, null);

    await expect(endAccountSessions(viewer, { id: admin.id })).rejects.toMatchObject({ code: "forbidden" });
    expect(await db().session.count({ where: { userId: admin.id } })).toBe(1);

    expect(await endAccountSessions(admin, { id: viewer.id })).toEqual({ email: viewer.email, ended: 2 });
    expect(await db().session.count({ where: { userId: viewer.id } })).toBe(0);
    expect(await alive(adminSession.token)).toBe(true);
    const entry = await db().auditLog.findFirstOrThrow({ where: { action: "account.sign_out" } });
    expect([entry.actorEmail, entry.targetLabel, JSON.parse(entry.details)]).toEqual([
      admin.email,
      viewer.email,
      { sessions_ended: 2 },
    ]);
    await expect(endAccountSessions(admin, { id: "no-such-account" })).rejects.toMatchObject({ code: "not_found" });
  });

  it("ends a demoted administrator's sessions at once (a promotion keeps them)", async () => {
    const admin = await seedActor("admin");
    const other = await seedActor("admin");
    const viewer = await seedActor("viewer");
    await signIn(other.email, CHROME, null);
    await signIn(viewer.email, CHROME, null);
    await changeAccountRole(admin, viewer.id, "admin");
    expect(await db().session.count({ where: { userId: viewer.id } })).toBe(1);
    await changeAccountRole(admin, other.id, "viewer");
    expect(await db().session.count({ where: { userId: other.id } })).toBe(0);
    const entry = await db().auditLog.findFirstOrThrow({
      where: { action: "account.role_change", targetLabel: other.email },
    });
    expect(JSON.parse(entry.details)).toEqual({ role: { from: "admin", to: "viewer" }, sessions_ended: 1 });
  });

  it("marks a session seen at most every 5 minutes", async () => {
    const admin = await seedActor("admin");
    const s = await signIn(admin.email, CHROME, null);
    const signedIn = (await db().session.findUniqueOrThrow({ where: { id: s.id } })).updatedAt;
    await markSessionSeen(s.id, new Date(signedIn.getTime() + 60_000));
    expect((await db().session.findUniqueOrThrow({ where: { id: s.id } })).updatedAt).toEqual(signedIn);
    const later = new Date(signedIn.getTime() + SESSION_SEEN_EVERY_MS + 1000);
    await markSessionSeen(s.id, later);
    expect((await db().session.findUniqueOrThrow({ where: { id: s.id } })).updatedAt).toEqual(later);
    expect((await listOwnSessions(admin, s.id))[0]!.lastSeenAt).toEqual(later);
  });

  it("CLI account sign-out: ends the account's sessions, names an unknown or malformed address", async () => {
    const admin = await seedActor("admin");
    await signIn(admin.email, CHROME, null);
    await signIn(admin.email, FIREFOX, null);
    const done = await cli(["account", "sign-out", admin.email.toUpperCase()]);
    expect(done).toEqual({ code: 0, out: [`Ended 2 sessions of ${admin.email}`], err: [] });
    expect(await db().session.count()).toBe(0);
    const entry = await db().auditLog.findFirstOrThrow({ where: { action: "account.sign_out" } });
    expect([entry.actorEmail, JSON.parse(entry.details)]).toEqual(["cli", { sessions_ended: 2 }]);

    const unknown = await cli(["account", "sign-out", "nobody@example.com"]);
    expect([unknown.code, unknown.err]).toEqual([1, ["vouch: No account with e-mail address nobody@example.com"]]);
    const malformed = await cli(["account", "sign-out", "not-an-address"]);
    expect(malformed.code).toBe(1);
    expect(malformed.err.join("\n")).toMatch(/valid e-mail address/);
    const missing = await cli(["account", "sign-out"]);
    expect(missing.code).toBe(2);
    expect(missing.err[0]).toMatch(/one argument: the account's e-mail address/);
  });
});

describe("disabled accounts", () => {
  it("cannot sign in (said only after the right password), lose every session at once, and come back when enabled", async () => {
    const admin = await seedActor("admin");
    const viewer = await seedActor("viewer");
    const open = [await signIn(viewer.email, CHROME, null), await signIn(viewer.email, FIREFOX, null)];

    const done = await setAccountDisabled(admin, { id: viewer.id }, true);
    expect([done.changed, done.sessionsEnded, done.account.disabled]).toEqual([true, 2, true]);
    for (const s of open) expect(await alive(s.token)).toBe(false);
    expect((await listAccounts(admin)).find((a) => a.id === viewer.id)?.disabled).toBe(true);
    const headers = new Headers();
    expect(await signInWithPassword(viewer.email, PASSWORD, headers)).toBe("disabled");
    expect(await signInWithPassword(viewer.email, "a wrong password!", headers)).toBe(false); // nothing said
    expect(await db().session.count({ where: { userId: viewer.id } })).toBe(0);
    // Disabling again changes nothing and audits nothing.
    expect((await setAccountDisabled(admin, { id: viewer.id }, true)).changed).toBe(false);

    await setAccountDisabled(null, { email: viewer.email }, false);
    expect(await signInWithPassword(viewer.email, PASSWORD, headers)).toBe(true);
    const entries = await db().auditLog.findMany({
      where: { action: { in: ["account.disable", "account.enable"] } },
      orderBy: { createdAt: "asc" },
    });
    expect(entries.map((e) => [e.action, e.actorEmail, e.targetLabel, JSON.parse(e.details)])).toEqual([
      ["account.disable", admin.email, viewer.email, { sessions_ended: 2 }],
      ["account.enable", "cli", viewer.email, {}],
    ]);
  });

  it("keeps an enabled administrator: not yourself, not the last one; viewers may not; a disabled admin does not count", async () => {
    const admin = await seedActor("admin");
    const other = await seedActor("admin");
    const viewer = await seedActor("viewer");
    await expect(setAccountDisabled(viewer, { id: other.id }, true)).rejects.toMatchObject({ code: "forbidden" });
    await expect(setAccountDisabled(admin, { id: admin.id }, true)).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/your own account/),
    });
    await setAccountDisabled(admin, { id: other.id }, true);
    // `admin` is now the only enabled administrator: it cannot be disabled (by the CLI), demoted or deleted.
    await expect(setAccountDisabled(null, { id: admin.id }, true)).rejects.toMatchObject({ code: "conflict" });
    await expect(changeAccountRole(admin, admin.id, "viewer")).rejects.toMatchObject({ code: "conflict" });
    await expect(deleteAccount(other, admin.id)).rejects.toMatchObject({ code: "conflict" });
    expect((await db().user.findUniqueOrThrow({ where: { id: admin.id } })).disabledAt).toBeNull();
    await expect(setAccountDisabled(admin, { id: "nobody" }, true)).rejects.toMatchObject({ code: "not_found" });
  });

  it("CLI account disable / enable", async () => {
    await seedActor("admin");
    const viewer = await seedActor("viewer");
    await signIn(viewer.email, CHROME, null);
    expect(await cli(["account", "disable", viewer.email])).toEqual({
      code: 0,
      out: [`Disabled ${viewer.email}; ended 1 session`],
      err: [],
    });
    expect((await cli(["account", "disable", viewer.email])).out).toEqual([`${viewer.email} is already disabled`]);
    expect((await cli(["account", "enable", viewer.email])).out).toEqual([`Enabled ${viewer.email}`]);
    const unknown = await cli(["account", "disable", "nobody@example.com"]);
    expect([unknown.code, unknown.err]).toEqual([1, ["vouch: No account with e-mail address nobody@example.com"]]);
    expect((await cli(["account", "enable"])).code).toBe(2);
  });
});
