"use server";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { APIError } from "better-auth/api";
import { auth } from "@/lib/auth";
import { fromError, type ActionResult, type FieldErrors } from "@/lib/action";
import { createFirstAdmin } from "@/lib/dal/accounts";
import { throttledSignIn, type SignInVerdict } from "@/lib/dal/sign-in-throttle";
import { safeReturnPath } from "@/lib/safe-redirect";
import { CLIENT_ADDRESS_HEADER, readClientAddress } from "@/lib/client-address";
import { setupSchema, signInSchema, type SetupInput, type SignInInput } from "@/lib/validations/account";
import { z } from "zod";

const invalid = (err: z.ZodError): ActionResult<never> => ({
  ok: false,
  formError: "Check the highlighted fields.",
  fieldErrors: z.flattenError(err).fieldErrors as FieldErrors,
});

export async function signInAction(raw: SignInInput, next?: string): Promise<ActionResult<never>> {
  const parsed = signInSchema.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error);
  const { email, password } = parsed.data;

  const requestHeaders = await headers();
  const client = readClientAddress(requestHeaders.get(CLIENT_ADDRESS_HEADER));
  let verdict: SignInVerdict;
  try {
    verdict = await throttledSignIn(email, client, async () => {
      try {
        await auth().api.signInEmail({ body: { email, password }, headers: requestHeaders });
        return true;
      } catch (err) {
        if (err instanceof APIError) return false;
        throw err;
      }
    });
  } catch (err) {
    return fromError(err);
  }
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
  if (!parsed.success) return invalid(parsed.error);
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
