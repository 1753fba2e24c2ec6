"use server";
import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/next/action";
import { changeAccountRole, createAccount, deleteAccount } from "@vouch/core/dal/accounts";
import { accountCreateSchema, accountDeleteSchema, accountRoleChangeSchema } from "@vouch/core/validations/account";

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

export const deleteAccountAction = authedAction(accountDeleteSchema, async (input, actor) => {
  await deleteAccount(actor, input.id);
  revalidatePath("/accounts");
  return { ok: true, data: null, message: "Account deleted." };
});
