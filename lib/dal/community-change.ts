// Every change to a community's identity configuration goes through here: role check, the community
// looked up inside the transaction, the change, the config version bumped (caches reload), audit.
import type { Tx } from "../db";
import { canManage, type Actor } from "../authz";
import { DomainError, forbidden } from "../errors";
import { audit, type AuditDetails } from "./audit";
import { invalidateRuntimeConfig } from "./runtime-config";
import { serializable } from "./retry";
import { logger } from "../logger";
import { enqueueEvent, type WebhookEvent } from "./webhook-outbox";

export interface CommunityRow {
  id: string;
  slug: string;
  name: string;
  signedIdentities: string;
  clockSkewSeconds: number;
  allowedOrigins: string;
  rateLimitPerMinute: number;
  identityRetentionDays: number;
  jwksUrl: string | null;
  configVersion: number;
}
const rowSelect = {
  id: true,
  slug: true,
  name: true,
  signedIdentities: true,
  clockSkewSeconds: true,
  allowedOrigins: true,
  rateLimitPerMinute: true,
  identityRetentionDays: true,
  jwksUrl: true,
  configVersion: true,
} as const;

export type ChangeActor = Actor | null; // null: the operator CLI

export async function changeCommunity<T>(
  actor: ChangeActor,
  slug: string,
  what: string,
  change: (
    tx: Tx,
    community: CommunityRow,
  ) => Promise<
    | {
        result: T;
        action: string;
        target?: string;
        details?: AuditDetails;
        /**
         * The webhook event of the change: community.config_changed with the audit entry's words unless
         * said otherwise; null for none (changes to the webhook endpoints themselves).
         */
        event?: Pick<WebhookEvent, "type" | "data" | "uuid"> | null;
      }
    | { result: T; unchanged: true }
  >,
): Promise<T> {
  if (actor && !canManage(actor)) throw forbidden(what);
  let changed: { action: string; target: string | null } | null = null;
  const result = await serializable(async (tx) => {
    const community = await tx.community.findUnique({ where: { slug }, select: rowSelect });
    if (!community) throw new DomainError("not_found", "This community no longer exists");
    const outcome = await change(tx, community);
    if ("unchanged" in outcome) return outcome.result;
    await tx.community.update({ where: { id: community.id }, data: { configVersion: { increment: 1 } } });
    const actorEmail = actor?.email ?? "cli";
    await audit(tx, actor ?? { id: null, email: "cli" }, outcome.action, {
      communityId: community.id,
      targetLabel: outcome.target ?? community.slug,
      details: outcome.details,
    });
    if (outcome.event !== null) {
      const event = outcome.event ?? {
        type: "community.config_changed" as const,
        data: {
          community: community.slug,
          action: outcome.action,
          target: outcome.target ?? community.slug,
          details: outcome.details ?? {},
          actor: actorEmail,
        },
      };
      await enqueueEvent(tx, { communityId: community.id, ...event });
    }
    changed = { action: outcome.action, target: outcome.target ?? null };
    return outcome.result;
  });
  invalidateRuntimeConfig(slug);
  if (changed)
    logger.info(
      { actor: actor?.email ?? "cli", slug, ...(changed as { action: string; target: string | null }) },
      "configuration changed",
    );
  return result;
}
