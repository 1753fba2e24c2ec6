// Erasure (docs/reference.md, data lifecycle): one visitor, completely, and nothing of anyone else.
import { db } from "../db";
import { canManage, type Actor } from "../authz";
import { audit } from "./audit";
import { communityIdOf } from "./communities";
import { forbidden } from "../errors";
import { forgetBufferedRefusals } from "./route-telemetry";
import { uuidAuditLabel } from "./audit";
import { checkUuid } from "../identity/data";
import { enqueueEvent } from "./webhook-outbox";
import { forgetSeen } from "./last-seen";

/** What an erasure deleted (the answer of the console, the admin API and the CLI). */
export interface Erasure {
  identities: number;
  logEntries: number;
}

/** An erasure's counts in a sentence (the console's and the CLI's answer). */
export function describeErasure({ identities, logEntries }: Erasure): string {
  const entries = `${logEntries} verification-log entr${logEntries === 1 ? "y" : "ies"}`;
  return identities > 0
    ? `Erased the identity and ${entries} recorded for its uuid.`
    : `No identity was stored for this uuid; erased ${entries} recorded for it.`;
}

/**
 * Erases one visitor (docs/reference.md, data lifecycle): its identity, if one is stored, and every
 * verification-log entry recorded for its uuid — found by the entry's own `uuid` column, exactly (never a
 * pattern), in this community only; also when the uuid was only ever refused, and entries still buffered
 * in memory — and the webhook messages about it; subscribed endpoints get identity.erased. Admins only.
 * The audit entry records that a uuid was erased and by whom: a digest, no values.
 */
export async function eraseIdentity(actor: Actor | null, slug: string, uuid: string): Promise<Erasure> {
  if (actor && !canManage(actor)) throw forbidden("erase identities");
  checkUuid(uuid);
  const communityId = await communityIdOf(slug);
  await forgetBufferedRefusals(communityId, uuid);
  forgetSeen(communityId, uuid);
  return db().$transaction(async (tx) => {
    const identities = (await tx.identity.deleteMany({ where: { communityId, uuid } })).count;
    const logEntries = (await tx.verificationLog.deleteMany({ where: { communityId, uuid } })).count;
    // Webhook messages about the visitor go too (their payloads hold the identity); then the one
    // that tells the subscribed endpoints to erase it on their side.
    await tx.webhookMessage.deleteMany({ where: { communityId, uuid } });
    await enqueueEvent(tx, {
      communityId,
      type: "identity.erased",
      uuid,
      data: { uuid, identities_deleted: identities, log_entries_deleted: logEntries },
    });
    await audit(tx, actor ?? { id: null, email: "cli" }, "identity.erase", {
      communityId,
      targetLabel: uuidAuditLabel(uuid),
      details: { identities_deleted: identities, log_entries_deleted: logEntries },
    });
    return { identities, logEntries };
  });
}
