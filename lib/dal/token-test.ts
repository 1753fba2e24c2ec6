// The token test console: the identity route's own decision on a pasted JWT or JSON identity,
// step by step, with nothing stored and nothing logged.
import { identityResponse, processIdentityRequest } from "../identity/process";
import type { Step } from "../identity/token";
import { ERROR_STATUS } from "../identity/codes";
import { isVerifiedIdentity } from "./identity-writes";
import { getRuntimeConfig } from "./runtime-config";
import { DomainError } from "../errors";

export interface TokenTestResult {
  kind: "signed" | "unsigned";
  mode: string;
  steps: Step[];
  outcome:
    | { ok: true; status: 200; response: ReturnType<typeof identityResponse>; sources: Record<string, string> }
    | { ok: false; status: number; code: string; message: string; detail: string | null };
}

export async function testIdentityInput(slug: string, input: string, now = new Date()): Promise<TokenTestResult> {
  const config = await getRuntimeConfig(slug);
  if (!config) throw new DomainError("not_found", "This community no longer exists");
  const trimmed = input.trim();
  let body: unknown;
  let kind: "signed" | "unsigned";
  if (trimmed.startsWith("{")) {
    kind = "unsigned";
    try {
      const parsed: unknown = JSON.parse(trimmed);
      // Accept either a whole request body or just the identity object.
      body =
        typeof parsed === "object" && parsed !== null && ("identity" in parsed || "signed_identity" in parsed)
          ? parsed
          : { identity: parsed };
      if (typeof body === "object" && body !== null && "signed_identity" in body) kind = "signed";
    } catch (err) {
      return {
        kind,
        mode: config.mode,
        steps: [],
        outcome: {
          ok: false,
          status: 400,
          code: "invalid_body",
          message: `Not valid JSON: ${(err as Error).message}`,
          detail: null,
        },
      };
    }
  } else {
    kind = "signed";
    body = { signed_identity: trimmed };
  }
  const result = await processIdentityRequest(config, body, now);
  if (!result.ok) {
    return {
      kind,
      mode: config.mode,
      steps: result.steps,
      outcome: {
        ok: false,
        status: ERROR_STATUS[result.error.code],
        code: result.error.code,
        message: result.error.message,
        detail: result.error.detail ?? null,
      },
    };
  }
  if (!result.identity.verified && (await isVerifiedIdentity(config.communityId, result.identity.uuid))) {
    return {
      kind,
      mode: config.mode,
      steps: result.steps,
      outcome: {
        ok: false,
        status: 403,
        code: "verified_identity_locked",
        message: "A verified identity with this uuid exists: unsigned data would be refused.",
        detail: null,
      },
    };
  }
  return {
    kind,
    mode: config.mode,
    steps: result.steps,
    outcome: {
      ok: true,
      status: 200,
      response: identityResponse(result.identity),
      sources: result.identity.applied.sources,
    },
  };
}
