// better-auth: password sign-in and database sessions (HttpOnly, SameSite=Lax cookies; a session row
// per sign-in, so signing out or deleting the account revokes it at once). Sign-up is closed: accounts
// are created by the first-run page, by administrators, or by the CLI (lib/dal/accounts.ts).
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { db } from "./db";
import { env } from "./env";
import { CLIENT_ADDRESS_HEADER, readClientAddress } from "./client-address";
import { PASSWORD_MIN } from "./validations/account";
import { isAccountDisabled } from "./dal/accounts";

/** The error a disabled account's correct password meets (the session hook below). */
const ACCOUNT_DISABLED = "account_disabled";

function createAuth() {
  const e = env();
  return betterAuth({
    appName: "Vouch",
    baseURL: e.baseUrl,
    secret: e.sessionSecret,
    database: prismaAdapter(db(), { provider: e.database.provider === "postgres" ? "postgresql" : "sqlite" }),
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: PASSWORD_MIN, maxPasswordLength: 256 },
    user: {
      additionalFields: {
        role: { type: "string", required: false, defaultValue: "viewer", input: false },
        disabledAt: { type: "date", required: false, input: false },
      },
    },
    // No cookie cache: every request reads the session row, so revocation takes effect immediately.
    session: { expiresIn: 60 * 60 * 12, updateAge: 60 * 60 },
    advanced: {
      cookiePrefix: "vouch",
      useSecureCookies: e.baseUrl.startsWith("https://"),
      // better-auth would read X-Forwarded-For, which a client can write: the session's address is
      // the one the node:http door determined (trusted proxies only), set below.
      ipAddress: { disableIpTracking: true },
    },
    databaseHooks: {
      session: {
        create: {
          // A disabled account gets no session (checked after its password: the sign-in page says so only
          // then). The address is the one shown under "Your sessions".
          before: async (session, ctx) => {
            if (await isAccountDisabled(session.userId)) throw new APIError("FORBIDDEN", { message: ACCOUNT_DISABLED });
            return {
              data: { ...session, ipAddress: readClientAddress(ctx?.headers?.get(CLIENT_ADDRESS_HEADER)) ?? "" },
            };
          },
        },
      },
    },
    // Sign-in and sign-out run in server actions (Next checks their Origin against Host); better-auth's
    // own HTTP handler is not mounted at all.
    trustedOrigins: (request) => [request?.headers.get("origin") ?? e.baseUrl],
    telemetry: { enabled: false },
    plugins: [nextCookies()],
  });
}

type Auth = ReturnType<typeof createAuth>;
let instance: Auth | undefined;

export function auth(): Auth {
  instance ??= createAuth();
  return instance;
}

/**
 * Signs in with e-mail and password (the session cookie is set through Next.js's cookies); false for a
 * wrong e-mail or password, "disabled" for the right password of a disabled account. Here, not in the
 * server action, so better-auth's error class is the one this module loaded.
 */
export async function signInWithPassword(
  email: string,
  password: string,
  headers: Headers,
): Promise<boolean | "disabled"> {
  try {
    await auth().api.signInEmail({ body: { email, password }, headers });
    return true;
  } catch (err) {
    if (err instanceof APIError) return err.message === ACCOUNT_DISABLED ? "disabled" : false;
    throw err;
  }
}
