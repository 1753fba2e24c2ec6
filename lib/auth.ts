// better-auth: password sign-in and database sessions (HttpOnly, SameSite=Lax cookies; a session row
// per sign-in, so signing out or deleting the account revokes it at once). Sign-up is closed: accounts
// are created by the first-run page, by administrators, or by the CLI (lib/dal/accounts.ts).
import "server-only";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { db } from "./db";
import { env } from "./env";
import { PASSWORD_MIN } from "./validations/account";

function createAuth() {
  const e = env();
  return betterAuth({
    appName: "Vouch",
    baseURL: e.baseUrl,
    secret: e.sessionSecret,
    database: prismaAdapter(db(), { provider: e.database.provider === "postgres" ? "postgresql" : "sqlite" }),
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: PASSWORD_MIN, maxPasswordLength: 256 },
    user: {
      additionalFields: { role: { type: "string", required: false, defaultValue: "viewer", input: false } },
    },
    // No cookie cache: every request reads the session row, so revocation takes effect immediately.
    session: { expiresIn: 60 * 60 * 12, updateAge: 60 * 60 },
    advanced: { cookiePrefix: "vouch", useSecureCookies: e.baseUrl.startsWith("https://") },
    // Sign-in and sign-out run in server actions (Next checks their Origin against Host); better-auth's
    // own HTTP handler is not mounted at all.
    trustedOrigins: (request) => [request?.headers.get("origin") ?? e.baseUrl],
    telemetry: { enabled: false },
    plugins: [nextCookies()],
  });
}

type Auth = ReturnType<typeof createAuth>;
const globalForAuth = globalThis as unknown as { vouchAuth?: Auth };

export function auth(): Auth {
  globalForAuth.vouchAuth ??= createAuth();
  return globalForAuth.vouchAuth;
}
