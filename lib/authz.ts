// Roles and what they may do. Pure: no framework imports.
export const ROLES = ["admin", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Every change to configuration or accounts needs the admin role; viewers only read. */
export function canManage(actor: Pick<Actor, "role">): boolean {
  return actor.role === "admin";
}
