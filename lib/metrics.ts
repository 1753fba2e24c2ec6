// Prometheus metrics (docs/operating.md), one registry per process — one copy in production, the core being one
// package (scripts/build.mjs) — served by /api/metrics behind VOUCH_METRICS_TOKEN. Labels are bounded:
// a community label is a known community's identifier (unknown ones are "-"), codes are the contract's.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { cacheLookups, runtimeConfigCacheStats } from "./dal/runtime-config";
import { fetchResults } from "./jwks/cache";
import { groupCommitCounts } from "./dal/identity-writes";
import { lastSeenCounts } from "./dal/last-seen";
import { webhookBacklog } from "./dal/webhooks";
import { deliveryCounts } from "./webhooks/delivery";
import { signatureCounts } from "./crypto/signature-worker";

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: "vouch_" });

export const identityRequests = new Counter({
  name: "vouch_identity_requests_total",
  help: "Identity route requests by community and outcome code (ok, or the error code answered)",
  labelNames: ["community", "code"] as const,
  registers: [registry],
});
export const identityDuration = new Histogram({
  name: "vouch_identity_request_duration_seconds",
  help: "Identity route latency, from the request to the answer",
  labelNames: ["method"] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});
export const rateLimited = new Counter({
  name: "vouch_rate_limited_total",
  help: "Identity route requests answered 429 rate_limited",
  registers: [registry],
});
// Counted where they happen (plain numbers there, so those modules need not know about Prometheus).
const fromCounts = (counts: Record<string, number>) =>
  function (this: Counter<"result">) {
    this.reset();
    for (const [result, n] of Object.entries(counts)) this.inc({ result }, n);
  };
new Counter({
  name: "vouch_config_cache_lookups_total",
  help: "Configuration cache lookups by result (hit: no database read, miss)",
  labelNames: ["result"] as const,
  registers: [registry],
  collect: fromCounts(cacheLookups),
});
new Counter({
  name: "vouch_jwks_fetches_total",
  help: "JWKS URL fetches by result (ok, error)",
  labelNames: ["result"] as const,
  registers: [registry],
  collect: fromCounts(fetchResults),
});
export const databaseErrors = new Counter({
  name: "vouch_database_errors_total",
  help: "Database errors met while answering the identity route (answered 503)",
  registers: [registry],
});
new Counter({
  name: "vouch_identity_write_statements_total",
  help: "Identity upsert statements run by group commit (each one commit); rows ÷ statements = rows per commit",
  registers: [registry],
  collect() {
    this.reset();
    this.inc(groupCommitCounts.statements);
  },
});
new Counter({
  name: "vouch_identity_write_rows_total",
  help: "Identity rows written by group commit",
  registers: [registry],
  collect() {
    this.reset();
    this.inc(groupCommitCounts.rows);
  },
});
new Gauge({
  name: "vouch_config_cache_entries",
  help: "Communities (found or not) in this process's configuration cache",
  registers: [registry],
  collect() {
    this.set(runtimeConfigCacheStats().entries);
  },
});

new Counter({
  name: "vouch_webhook_deliveries_total",
  help: "Webhook delivery attempts by this instance, by result (delivered; retried: failed, another attempt due; failed: the last attempt failed; gone: 410, endpoint disabled)",
  labelNames: ["result"] as const,
  registers: [registry],
  collect: fromCounts(deliveryCounts),
});
// Read from the database at each scrape (every instance shares the outbox): enabled endpoints only, so a
// disabled endpoint's leftovers do not page anyone.
// Both gauges come from one read per scrape: the registry collects every metric at once, so the second
// collect finds the first one's read in flight.
let backlogRead: ReturnType<typeof webhookBacklog> | null = null;
const backlog = () => (backlogRead ??= webhookBacklog().finally(() => (backlogRead = null)));
new Gauge({
  name: "vouch_webhook_messages_pending",
  help: "Webhook messages waiting for an attempt (enabled endpoints, all instances)",
  registers: [registry],
  async collect() {
    this.set((await backlog()).pending);
  },
});
new Gauge({
  name: "vouch_webhook_oldest_pending_age_seconds",
  help: "Age of the oldest webhook message still pending (enabled endpoints); 0 when none",
  registers: [registry],
  async collect() {
    this.set((await backlog()).oldestAgeSeconds);
  },
});
new Counter({
  name: "vouch_identity_writes_total",
  help: "Accepted identity requests by what the write did: changed (the row was written), unchanged (it already held exactly this: nothing written), locked (refused by the verified lock)",
  labelNames: ["result"] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const result of ["changed", "unchanged", "locked"] as const) this.inc({ result }, groupCommitCounts[result]);
  },
});
new Counter({
  name: "vouch_signature_checks_total",
  help: "Signed identities' signature checks by how they were answered: checked (verified by jose), remembered (this token already verified with this key in this process: not checked again)",
  labelNames: ["result"] as const,
  registers: [registry],
  collect: fromCounts(signatureCounts),
});
new Counter({
  name: "vouch_last_seen_refreshed_total",
  help: "Identities whose last_seen_at was refreshed from the buffer of unchanged requests (each at most every 10 minutes)",
  registers: [registry],
  collect() {
    this.reset();
    this.inc(lastSeenCounts.refreshed);
  },
});
new Counter({
  name: "vouch_last_seen_dropped_total",
  help: "Sightings not buffered because the last-seen buffer was full (100,000 visitors waiting)",
  registers: [registry],
  collect() {
    this.reset();
    this.inc(lastSeenCounts.dropped);
  },
});
