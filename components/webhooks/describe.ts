import type { WebhookEndpointDto } from "@vouch/core/dal/webhooks";

/** An endpoint's state in words (the list and the endpoint's page). */
export function endpointState(e: WebhookEndpointDto): string {
  if (!e.enabled) return `Disabled: ${e.disabledReason ?? "by an administrator"}`;
  if (e.failingSince) return "Enabled, failing";
  return "Enabled";
}

/** The last 24 hours' attempts that succeeded. */
export function successRate(e: WebhookEndpointDto): string {
  if (e.attempts24h === 0) return "no attempt";
  return `${Math.round((100 * e.succeeded24h) / e.attempts24h)}% of ${e.attempts24h}`;
}
