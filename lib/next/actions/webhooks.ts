"use server";
// The Webhooks page's actions: thin over lib/dal/webhooks.ts, which checks the role, validates and audits.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { communityAction } from "@/lib/next/action";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  redeliverMessage,
  rotateWebhookSecret,
  sendTestEvent,
  updateWebhookEndpoint,
} from "@vouch/core/dal/webhooks";
import { endpointIdSchema, messageIdSchema, webhookFormSchema } from "@vouch/core/validations/webhook";

const pages = (slug: string) => revalidatePath(`/communities/${slug}/webhooks`, "layout");
const endpoint = z.object({ id: endpointIdSchema });

export const createWebhookAction = communityAction(webhookFormSchema, async (slug, input, actor) => {
  const { endpoint: created, secret } = await createWebhookEndpoint(actor, slug, input);
  pages(slug);
  // The secret goes back this once, to the admin who added the endpoint; it is stored sealed.
  return { ok: true, data: { id: created.id, secret }, message: `Endpoint added: ${created.url}` };
});

export const updateWebhookAction = communityAction(
  webhookFormSchema.extend({ id: endpointIdSchema }),
  async (slug, { id, ...input }, actor) => {
    await updateWebhookEndpoint(actor, slug, id, input);
    pages(slug);
    return { ok: true, data: null, message: "Endpoint saved." };
  },
);

export const setWebhookEnabledAction = communityAction(
  endpoint.extend({ enabled: z.boolean() }),
  async (slug, { id, enabled }, actor) => {
    await updateWebhookEndpoint(actor, slug, id, { enabled });
    pages(slug);
    return { ok: true, data: null, message: enabled ? "Endpoint enabled." : "Endpoint disabled." };
  },
);

export const deleteWebhookAction = communityAction(endpoint, async (slug, { id }, actor) => {
  await deleteWebhookEndpoint(actor, slug, id);
  pages(slug);
  return { ok: true, data: null, message: "Endpoint deleted." };
});

export const rotateWebhookSecretAction = communityAction(endpoint, async (slug, { id }, actor) => {
  const r = await rotateWebhookSecret(actor, slug, id);
  pages(slug);
  return { ok: true, data: { secret: r.secret, previousSecretUntil: r.previousSecretUntil.toISOString() } };
});

export const sendTestEventAction = communityAction(endpoint, async (slug, { id }, actor) => {
  const { messageId } = await sendTestEvent(actor, slug, id);
  pages(slug);
  return { ok: true, data: null, message: `Test event queued (${messageId}).` };
});

export const redeliverAction = communityAction(
  endpoint.extend({ messageId: messageIdSchema }),
  async (slug, { id, messageId }, actor) => {
    await redeliverMessage(actor, slug, id, messageId);
    pages(slug);
    return { ok: true, data: null, message: `Message ${messageId} queued again.` };
  },
);
