// One schema per webhook contract (docs/reference.md, webhooks), shared by the console's form, the
// admin API and the CLI. Whether the URL's host is a public address is decided where it is saved,
// after DNS (lib/net/outgoing.ts), since that depends on the environment.
import { z } from "zod";
import { SUBSCRIBABLE_EVENT_TYPES } from "../webhooks/events";

export const webhookUrlSchema = z
  .string("Enter the endpoint's URL")
  .trim()
  .min(1, "Enter the endpoint's URL")
  .max(2048, "At most 2,048 characters")
  .refine((v) => URL.canParse(v), "This is not a URL (e.g. https://crm.example.com/hooks/vouch)");

export const webhookEventsSchema = z
  .array(z.enum(SUBSCRIBABLE_EVENT_TYPES, `Choose from ${SUBSCRIBABLE_EVENT_TYPES.join(", ")}`), "Choose event types")
  .min(1, "Choose at least one event type")
  .refine((a) => new Set(a).size === a.length, "An event type is listed twice");

export const webhookDescriptionSchema = z.string().trim().max(200, "At most 200 characters");

/** Adding an endpoint. */
export const webhookCreateSchema = z.strictObject({
  url: webhookUrlSchema,
  events: webhookEventsSchema,
  description: webhookDescriptionSchema.default(""),
  enabled: z.boolean("enabled is true or false").default(true),
});
export type WebhookCreateInput = z.input<typeof webhookCreateSchema>;

/** Changing an endpoint: any of its settings. */
export const webhookUpdateSchema = z
  .strictObject({
    url: webhookUrlSchema.optional(),
    events: webhookEventsSchema.optional(),
    description: webhookDescriptionSchema.optional(),
    enabled: z.boolean("enabled is true or false").optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "Send at least one of url, events, description, enabled");
export type WebhookUpdateInput = z.input<typeof webhookUpdateSchema>;

/** An endpoint's id (ep_…) or a message's (msg_…) in a path. */
export const endpointIdSchema = z.string().regex(/^ep_[A-Za-z0-9_-]{16}$/, "This is not a webhook endpoint id");
export const messageIdSchema = z.string().regex(/^msg_[A-Za-z0-9_-]{24,32}$/, "This is not a webhook message id");

/** The console's endpoint form (add and edit): what an admin types. */
export const webhookFormSchema = z.object({
  url: webhookUrlSchema,
  events: webhookEventsSchema,
  description: webhookDescriptionSchema,
});
export type WebhookFormInput = z.input<typeof webhookFormSchema>;
