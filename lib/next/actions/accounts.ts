"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction, failure, type ActionResult } from "@/lib/next/action";
import { getSessionId } from "@/lib/next/session";
import { changeAccountRole, createAccount, deleteAccount, setAccountDisabled } from "@vouch/core/dal/accounts";
import { endAccountSessions, endOtherSessions } from "@vouch/core/dal/sessions";
import {
  accountCreateSchema,
  accountDisableSchema,
  accountIdSchema,
  accountRoleChangeSchema,
} from "@vouch/core/validations/account";

export const createAccountAction = authedAction(accountCreateSchema, async (input, actor) => {
  const account = await createAccount(actor, input);
  revalidatePath("/accounts");
  return { ok: true, data: { id: account.id }, message: `Account ${account.email} created as ${account.role}.` };
});

export const changeAccountRoleAction = authedAction(accountRoleChangeSchema, async (input, actor) => {
  const account = await changeAccountRole(actor, input.id, input.role);
  revalidatePath("/accounts");
  return { ok: true, data: { role: account.role }, message: `${account.email} is now ${account.role}.` };
});

export const deleteAccountAction = authedAction(accountIdSchema, async (input, actor) => {
  await deleteAccount(actor, input.id);
  revalidatePath("/accounts");
  return { ok: true, data: null, message: "Account deleted." };
});

/** "Sign out other sessions": every session of the caller's account but this one. */
export const endOtherSessionsAction = authedAction(
  z.object({}),
  async (_input, actor): Promise<ActionResult<{ ended: number }>> => {
    const current = await getSessionId();
    if (!current) return failure("Your session has ended. Sign in again.");
    const ended = await endOtherSessions(actor, current);
    revalidatePath("/accounts");
    return {
      ok: true,
      data: { ended },
      message:
        ended === 0 ? "No other session was open." : `Signed out ${ended} other session${ended === 1 ? "" : "s"}.`,
    };
  },
);

/** An administrator ends every session of an account (its browsers are sent to sign-in). */
export const endAccountSessionsAction = authedAction(accountIdSchema, async (input, actor) => {
  const { email, ended } = await endAccountSessions(actor, { id: input.id });
  revalidatePath("/accounts");
  return { ok: true, data: { ended }, message: `Ended ${ended} session${ended === 1 ? "" : "s"} of ${email}.` };
});

/** An administrator disables an account (it cannot sign in; its sessions end) or enables it again. */
export const setAccountDisabledAction = authedAction(accountDisableSchema, async (input, actor) => {
  const { account } = await setAccountDisabled(actor, { id: input.id }, input.disabled);
  revalidatePath("/accounts");
  return { ok: true, data: null, message: `${account.email} is ${account.disabled ? "disabled" : "enabled"}.` };
});
