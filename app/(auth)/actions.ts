"use server";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { APIError } from "better-auth/api";
import { auth } from "@/lib/auth";
import { fromError, type ActionResult, type FieldErrors } from "@/lib/action";
import { createFirstAdmin } from "@/lib/dal/accounts";
import { clearSignInFailures, recordSignInFailure, signInRetryAfter } from "@/lib/dal/sign-in-throttle";
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
  const retryMs = await signInRetryAfter(email, client);
  if (retryMs > 0) {
    const minutes = Math.ceil(retryMs / 60_000);
    return { ok: false, formError: `Too many failed sign-in attempts for this address. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.` };
  }
  try {
    await auth().api.signInEmail({ body: { email, password }, headers: requestHeaders });
  } catch (err) {
    if (err instanceof APIError) {
      await recordSignInFailure(email, client);
      return { ok: false, formError: "Wrong e-mail address or password." };
    }
    return fromError(err);
  }
  await clearSignInFailures(email, client);
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
