// Admin API tokens (docs/admin-api.md): "vouch_" + 32 random bytes (base64url), shown once, stored as a SHA-256
// hash; expiry; revocation effective at once (every request reads the row); last use written at most
// once a minute per token. A token acts as an actor with its role; the audit log names it.
import crypto from "node:crypto";
import { db } from "../db";
import { canManage, isRole, type Actor, type Role } from "../authz";
import { DomainError, forbidden } from "../errors";
import { apiTokenCreateSchema, type ApiTokenCreateInput } from "../validations/api-token";
import { assertReader } from "./access";
import { audit } from "./audit";

export interface ApiTokenDto {
  id: string;
  name: string;
  role: Role;
  createdByEmail: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const hash = (token: string) => crypto.createHash("sha256").update(token).digest("hex");
const TOKEN = /^vouch_[A-Za-z0-9_-]{43,}$/;
const toDto = (t: Omit<ApiTokenDto, "role"> & { role: string }): ApiTokenDto => ({
  ...t,
  role: isRole(t.role) ? t.role : "viewer",
});
const select = {
  id: true,
  name: true,
  role: true,
  createdByEmail: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

/** Creates a token; the only time its value exists outside the caller's hands. `actor` null: the CLI. */
export async function createApiToken(
  actor: Actor | null,
  raw: ApiTokenCreateInput,
  now = new Date(),
): Promise<{ token: string; dto: ApiTokenDto }> {
  if (actor && !canManage(actor)) throw forbidden("create API tokens");
  const input = apiTokenCreateSchema.parse(raw);
  const token = `vouch_${crypto.randomBytes(32).toString("base64url")}`;
  const created = await db().$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: {
        name: input.name,
        role: input.role,
        tokenHash: hash(token),
        createdByEmail: actor?.email ?? "cli",
        expiresAt: input.expires_days ? new Date(now.getTime() + input.expires_days * 86_400_000) : null,
      },
      select,
    });
    await audit(tx, actor ?? { id: null, email: "cli" }, "api_token.create", {
      targetLabel: row.name,
      details: { name: row.name, role: row.role, expires_at: row.expiresAt?.toISOString() ?? null },
    });
    return row;
  });
  return { token, dto: toDto(created) };
}

export async function listApiTokens(actor: Actor | null): Promise<ApiTokenDto[]> {
  assertReader(actor);
  if (actor && !canManage(actor)) throw forbidden("see API tokens");
  return (await db().apiToken.findMany({ select, orderBy: { createdAt: "asc" } })).map(toDto);
}

export async function revokeApiToken(actor: Actor | null, id: string): Promise<ApiTokenDto> {
  if (actor && !canManage(actor)) throw forbidden("revoke API tokens");
  return db().$transaction(async (tx) => {
    const current = await tx.apiToken.findUnique({ where: { id }, select });
    if (!current) throw new DomainError("not_found", "There is no such API token");
    const row = current.revokedAt
      ? current
      : await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() }, select });
    if (!current.revokedAt) {
      await audit(tx, actor ?? { id: null, email: "cli" }, "api_token.revoke", {
        targetLabel: row.name,
        details: { name: row.name },
      });
    }
    return toDto(row);
  });
}

/**
 * The token `nameOrId` names: that id, else the one unrevoked token of that name. A name several
 * unrevoked tokens share is refused, listing their ids (the CLI's `token revoke <name-or-id>`).
 */
export async function findApiToken(actor: Actor | null, nameOrId: string): Promise<{ id: string; revoked: boolean }> {
  if (actor && !canManage(actor)) throw forbidden("revoke API tokens");
  const byId = await db().apiToken.findUnique({ where: { id: nameOrId }, select: { id: true, revokedAt: true } });
  if (byId) return { id: byId.id, revoked: byId.revokedAt !== null };
  const named = await db().apiToken.findMany({
    where: { name: nameOrId },
    select: { id: true, revokedAt: true },
    orderBy: { createdAt: "asc" },
  });
  const live = named.filter((t) => !t.revokedAt);
  if (live.length === 1) return { id: live[0]!.id, revoked: false };
  if (live.length > 1)
    throw new DomainError(
      "conflict",
      `${live.length} API tokens are named “${nameOrId}”: give the id of the one to revoke (${live.map((t) => t.id).join(", ")})`,
    );
  if (named.length > 0) return { id: named[named.length - 1]!.id, revoked: true }; // revoking again says so
  throw new DomainError("not_found", `There is no API token with the id or name “${nameOrId}”`);
}

const lastUseWritten = new Map<string, number>();

/** The actor a Bearer token stands for, or why not ("unknown", "revoked", "expired"). */
export async function authenticateApiToken(
  bearer: string,
  now = new Date(),
): Promise<{ ok: true; actor: Actor } | { ok: false; reason: "unknown" | "revoked" | "expired" }> {
  if (!TOKEN.test(bearer)) return { ok: false, reason: "unknown" };
  const row = await db().apiToken.findUnique({ where: { tokenHash: hash(bearer) }, select });
  if (!row) return { ok: false, reason: "unknown" };
  if (row.revokedAt) return { ok: false, reason: "revoked" };
  if (row.expiresAt && row.expiresAt <= now) return { ok: false, reason: "expired" };
  // Last use, batched: at most one write a minute per token.
  if (now.getTime() - (lastUseWritten.get(row.id) ?? 0) >= 60_000) {
    if (lastUseWritten.size > 10_000) lastUseWritten.clear();
    lastUseWritten.set(row.id, now.getTime());
    await db().apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return {
    ok: true,
    actor: {
      id: `token:${row.id}`,
      email: `API token “${row.name}” (by ${row.createdByEmail})`,
      name: row.name,
      role: isRole(row.role) ? row.role : "viewer",
    },
  };
}
