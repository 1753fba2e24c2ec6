// The identity route's decision, without I/O: (configuration, request body, now) → the identity to
// store and return, or an error code (docs/reference.md mode matrix). Storage (and the verified-identity
// lock, which needs the stored record) is the caller's.
import { identityError, type IdentityError } from "./codes";
import type { RuntimeConfig } from "./config";
import { applyIdentity, type AppliedIdentity, type Skipped } from "./apply";
import { automatedUuid, describeIssue, signedClaimsSchema, type IdentityData } from "./data";
import { identityRequestSchema } from "./contract";
import type { z } from "zod";
import { verifySignedIdentity, type Step } from "./token";

export interface IdentityOutcome {
  uuid: string;
  automatedUuid: boolean;
  verified: boolean;
  kid: string | null;
  expiresAt: number | null;
  applied: AppliedIdentity;
}

export type ProcessResult =
  | { ok: true; identity: IdentityOutcome; steps: Step[] }
  | { ok: false; error: IdentityError; steps: Step[]; kid?: string; signed: boolean };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const invalidBody = (detail: string): ProcessResult => ({
  ok: false,
  error: identityError("invalid_body", `The request body is not a valid identity request: ${detail}.`, detail),
  steps: [],
  signed: false,
});

/** Why a body is not one of the contract's two shapes, in words (the schema decided; this only explains). */
function requestProblem(body: unknown, error: z.ZodError): string {
  if (!isObject(body)) return "expected a JSON object";
  const extra = Object.keys(body).filter((k) => k !== "identity" && k !== "signed_identity");
  if (extra.length) return `unknown property ${extra.map((k) => `"${k.slice(0, 40)}"`).join(", ")}`;
  const signed = Object.hasOwn(body, "signed_identity");
  if (Object.hasOwn(body, "identity") === signed)
    return 'send exactly one of "identity" (unsigned) or "signed_identity" (a JWT)';
  const [first] = error.issues;
  const issues = first?.code === "invalid_union" ? (first.errors[signed ? 1 : 0] ?? []) : error.issues;
  return issues.map((i) => describeIssue(i)).join("; ");
}

export async function processIdentityRequest(config: RuntimeConfig, body: unknown, now: Date): Promise<ProcessResult> {
  const parsed = identityRequestSchema.safeParse(body);
  if (!parsed.success) return invalidBody(requestProblem(body, parsed.error));
  const request = parsed.data;

  if ("identity" in request) {
    if (config.mode === "require")
      return { ok: false, error: identityError("signed_identity_required"), steps: [], signed: false };
    return {
      ok: true,
      identity: outcome(config, request.identity, { verified: false, kid: null, expiresAt: null }),
      steps: [],
    };
  }

  if (config.mode === "reject")
    return { ok: false, error: identityError("signed_identity_rejected"), steps: [], signed: true };
  const verified = await verifySignedIdentity(
    request.signed_identity,
    config,
    Math.floor(now.getTime() / 1000),
    now.getTime(),
  );
  if (!verified.ok) return { ok: false, error: verified.error, steps: verified.steps, kid: verified.kid, signed: true };
  const claims = signedClaimsSchema.safeParse(verified.claims);
  if (!claims.success) {
    const detail = claims.error.issues.map((i) => describeIssue(i, ["claims"])).join("; ");
    return {
      ok: false,
      error: identityError("token_malformed", `The signed identity's claims are not valid: ${detail}.`, detail),
      steps: verified.steps,
      kid: verified.kid,
      signed: true,
    };
  }
  return {
    ok: true,
    identity: outcome(config, claims.data, { verified: true, kid: verified.kid, expiresAt: verified.exp }),
    steps: verified.steps,
  };
}

function outcome(
  config: RuntimeConfig,
  data: IdentityData,
  trust: { verified: boolean; kid: string | null; expiresAt: number | null },
): IdentityOutcome {
  const generated = !data.uuid;
  const uuid = data.uuid ?? automatedUuid();
  return { uuid, automatedUuid: generated, ...trust, applied: applyIdentity(config, uuid, data) };
}

/** The 200 body of docs/reference.md. */
export function identityResponse(identity: IdentityOutcome) {
  return {
    identity: {
      uuid: identity.uuid,
      automated_uuid: identity.automatedUuid,
      verified: identity.verified,
      kid: identity.kid,
      fields: identity.applied.fields,
      custom_fields: identity.applied.customFields,
      extra_values: identity.applied.extraValues,
    },
    skipped: identity.applied.skipped.map(({ target, reason }: Skipped) => ({ target, reason })),
    expires_at: identity.expiresAt,
  };
}
