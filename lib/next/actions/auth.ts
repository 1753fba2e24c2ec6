"use server";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { auth, signInWithPassword } from "@vouch/core/auth";
import { fromError, invalidInput, type ActionResult } from "@/lib/next/action";
import { createFirstAdmin } from "@vouch/core/dal/accounts";
import { throttledSignIn, type SignInVerdict } from "@vouch/core/dal/sign-in-throttle";
import { safeReturnPath } from "@vouch/core/safe-redirect";
import { CLIENT_ADDRESS_HEADER, readClientAddress } from "@vouch/core/client-address";
import { setupSchema, signInSchema, type SetupInput, type SignInInput } from "@vouch/core/validations/account";

export async function signInAction(raw: SignInInput, next?: string): Promise<ActionResult<never>> {
  const parsed = signInSchema.safeParse(raw);
  if (!parsed.success) return invalidInput(parsed.error);
  const { email, password } = parsed.data;

  const requestHeaders = await headers();
  const client = readClientAddress(requestHeaders.get(CLIENT_ADDRESS_HEADER));
  let verdict: SignInVerdict;
  let disabled = false;
  try {
    verdict = await throttledSignIn(email, client, async () => {
      const result = await signInWithPassword(email, password, requestHeaders);
      disabled = result === "disabled";
      return result !== false; // the right password (a disabled account's too) is not a failed attempt
    });
  } catch (err) {
    return fromError(err);
  }
  if (disabled)
    return { ok: false, formError: "This account is disabled. Ask an administrator of this Vouch to enable it." };
  if (!verdict.ok && verdict.reason === "wrong_password")
    return { ok: false, formError: "Wrong e-mail address or password." };
  if (!verdict.ok) {
    const minutes = Math.ceil(verdict.retryAfterMs / 60_000);
    const from = verdict.scope === "client" ? "from your network" : "for this address";
    return {
      ok: false,
      formError: `Too many failed sign-in attempts ${from}. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    };
  }
  redirect(safeReturnPath(next));
}

export async function setupAction(raw: SetupInput): Promise<ActionResult<never>> {
  const parsed = setupSchema.safeParse(raw);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    await createFirstAdmin(parsed.data);
    await auth().api.signInEmail({
      body: { email: parsed.data.email, password: parsed.data.password },
      headers: await headers(),
    });
  } catch (err) {
    return fromError(err);
  }
  redirect("/communities");
}

export async function signOutAction(): Promise<void> {
  await auth().api.signOut({ headers: await headers() });
  redirect("/login");
}
