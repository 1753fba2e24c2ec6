import { db } from "@/lib/db";
import type { Actor, Role } from "@/lib/authz";
import { createAccount } from "@/lib/dal/accounts";

/** Empties every table (children first), so each test starts from a known state. */
export async function resetDb() {
  const client = db();
  await client.auditLog.deleteMany();
  await client.community.deleteMany();
  await client.session.deleteMany();
  await client.account.deleteMany();
  await client.verification.deleteMany();
  await client.user.deleteMany();
  await client.signInThrottle.deleteMany();
  await client.apiToken.deleteMany();
}

let counter = 0;
/** A real account in the database, returned as the actor a session would yield. */
export async function seedActor(role: Role, email = `${role}${++counter}@example.com`): Promise<Actor> {
  const a = await createAccount(null, { email, name: "", password: "correct horse battery", role });
  return { id: a.id, email: a.email, name: a.name, role: a.role };
}
