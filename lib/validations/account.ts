import { z } from "zod";
import { ROLES } from "../authz";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Enter an e-mail address")
  .max(254, "An e-mail address has at most 254 characters")
  .pipe(z.email("Enter a valid e-mail address, like name@example.com"));

export const PASSWORD_MIN = 12;
export const newPasswordSchema = z
  .string()
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters`)
  .max(256, "Use at most 256 characters");

export const roleSchema = z.enum(ROLES, "Choose a role: admin or viewer");

export const displayNameSchema = z.string().trim().max(100, "Use at most 100 characters");

/** Creating an account (console form, CLI `admin create`). */
export const accountCreateSchema = z.object({
  email: emailSchema,
  name: displayNameSchema,
  password: newPasswordSchema,
  role: roleSchema,
});
export type AccountCreateInput = z.input<typeof accountCreateSchema>;

/** The first administrator (the /setup page): an account whose role is fixed to admin. */
export const setupSchema = accountCreateSchema.omit({ role: true });
export type SetupInput = z.input<typeof setupSchema>;

export const accountRoleChangeSchema = z.object({ id: z.string().min(1), role: roleSchema });
/** One account by its id: delete, end sessions, disable / enable (the console's row actions). */
export const accountIdSchema = z.object({ id: z.string().min(1).max(64) });
export const accountDisableSchema = accountIdSchema.extend({ disabled: z.boolean() });

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password").max(256, "Passwords have at most 256 characters"),
});
export type SignInInput = z.input<typeof signInSchema>;
