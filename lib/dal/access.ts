// Who may read: every data-layer read takes its caller and calls this first, so no page, action or
// route can read without naming one. No framework imports.
import { isRole, type Actor } from "../authz";
import { forbidden } from "../errors";

/**
 * A read by `actor`: any account with a role (both roles read configuration and logs; what only
 * administrators see — secrets, hints of secrets — each read decides), or the operator CLI (null).
 */
export function assertReader(actor: Actor | null): void {
  if (actor !== null && !isRole(actor.role)) throw forbidden("read this");
}
