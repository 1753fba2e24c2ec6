import type { Tx } from "../db";
import type { Actor } from "../authz";

export type AuditDetails = Record<string, unknown>;

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
