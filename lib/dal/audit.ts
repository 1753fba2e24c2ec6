import crypto from "node:crypto";
import { db, type Tx } from "../db";
import type { Actor } from "../authz";
import { assertReader } from "./access";
import { parseJsonObject } from "./row-format";

export type AuditDetails = Record<string, unknown>;

/** A visitor's uuid where it must not be kept (revocations, the audit log): its SHA-256, hex. */
export const uuidDigest = (uuid: string) => crypto.createHash("sha256").update(uuid).digest("hex");

/** How the audit log names a uuid (an erasure's, a revocation's): a digest, never the uuid itself. */
export const uuidAuditLabel = (uuid: string) => `uuid sha256:${uuidDigest(uuid).slice(0, 16)}`;

/** Records a change. Callers pass only non-secret values; this is the one place entries are written. */
export async function audit(
  tx: Tx,
  actor: Pick<Actor, "id" | "email"> | { id: null; email: string },
  action: string,
  entry: { communityId?: string | null; targetLabel?: string | null; details?: AuditDetails } = {},
) {
  await tx.auditLog.create({
    data: {
      actorId: actor.id,
      actorEmail: actor.email,
      action,
      communityId: entry.communityId ?? null,
      targetLabel: entry.targetLabel ?? null,
      details: JSON.stringify(entry.details ?? {}),
    },
  });
}

export interface AuditEntryDto {
  id: string;
  createdAt: Date;
  actorEmail: string;
  action: string;
  targetLabel: string | null;
  details: AuditDetails;
}

/** Most recent first. */
export async function listAuditLog(actor: Actor | null, communityId: string, take = 200): Promise<AuditEntryDto[]> {
  assertReader(actor);
  const rows = await db().auditLog.findMany({
    where: { communityId },
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, createdAt: true, actorEmail: true, action: true, targetLabel: true, details: true },
  });
  return rows.map((r) => ({ ...r, details: parseJsonObject(r.details) as AuditDetails }));
}
