// The admin API (SPEC §10) under /api/v1/admin/, on web Request/Response: a Bearer token (never cookies,
// so no CSRF), then the same data-layer calls as the console and the CLI — the role check and the audit
// entry (naming the token) happen there. The §5 error envelope; 422 lists every problem with its path.
// No framework imports.
import { z } from "zod";
import { authenticateApiToken } from "../dal/api-tokens";
import { communityIdOf, listCommunities } from "../dal/communities";
import { ConfigValidationError, exportCommunityConfig, importCommunityConfig } from "../dal/community-config";
import { addJwtKey, deleteJwtKey, generateHmacSecret } from "../dal/jwt-keys";
import { outcomeSummary } from "../dal/route-telemetry";
import { eraseIdentity, getIdentity, identityDocument, listIdentityPage } from "../dal/identities";
import { DomainError } from "../errors";
import type { Actor } from "../authz";
import { jsonPath } from "../validations/community-config";
import { methodNotAllowed, notFound, unexpected } from "./answers";

export const MAX_ADMIN_BODY_BYTES = 256 * 1024;

type Problem = { path: string; message: string };
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
const error = (status: number, code: string, message: string, extra: object = {}) =>
  json(
    status,
    { error: { code, message, ...extra } },
    status === 401 ? { "WWW-Authenticate": 'Bearer realm="vouch-admin"' } : {},
  );

const UNAUTHORIZED: Record<string, string> = {
  missing: "Send an API token as Authorization: Bearer <token>.",
  unknown: "This API token is not known.",
  revoked: "This API token was revoked.",
  expired: "This API token has expired.",
};

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_ADMIN_BODY_BYTES)
    throw new DomainError("invalid", "The body is larger than 256 KiB");
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError("invalid", "The body is not valid JSON");
  }
}

/** Maps what the data layer throws onto the envelope. */
function failure(err: unknown): Response {
  if (err instanceof ConfigValidationError)
    return error(422, "invalid_config", err.message, { errors: err.issues satisfies Problem[] });
  if (err instanceof z.ZodError) {
    const errors = err.issues.map((i) => ({ path: jsonPath(i.path) || "(body)", message: i.message }));
    return error(422, "invalid_request", `The request has ${errors.length} problem${errors.length === 1 ? "" : "s"}`, {
      errors,
    });
  }
  if (err instanceof DomainError) {
    if (err.code === "forbidden") return error(403, "forbidden", err.message);
    if (err.code === "not_found") return error(404, "not_found", err.message);
    if (err.code === "conflict") return error(409, "conflict", err.message);
    if (err.code === "invalid") {
      return error(422, "invalid_request", err.message, {
        errors: [{ path: err.field ?? "(body)", message: err.message }],
      });
    }
  }
  return unexpected(err, "admin API");
}

const keyBodySchema = z.object({ kid: z.string(), algorithm: z.string() }).passthrough();

type Handler = (actor: Actor, request: Request, params: string[]) => Promise<Response>;
const routes: { pattern: RegExp; methods: Record<string, Handler> }[] = [
  {
    pattern: /^communities$/,
    methods: {
      GET: async (actor) =>
        json(200, {
          communities: (await listCommunities(actor)).map((c) => ({
            slug: c.slug,
            name: c.name,
            signed_identities: c.signedIdentities,
            updated_at: c.updatedAt.toISOString(),
          })),
        }),
    },
  },
  {
    pattern: /^communities\/([^/]+)\/config$/,
    methods: {
      GET: async (actor, _req, [slug]) => json(200, await exportCommunityConfig(actor, slug!)),
      PUT: async (actor, req, [slug]) => {
        const doc = await readJson(req);
        const docSlug = (doc as { community?: { slug?: unknown } })?.community?.slug;
        if (docSlug !== slug) {
          throw new ConfigValidationError([
            { path: "community.slug", message: `Must be "${slug}", the community in the address` },
          ]);
        }
        const summary = await importCommunityConfig(actor, doc);
        return json(200, { imported: summary });
      },
    },
  },
  {
    pattern: /^communities\/([^/]+)\/keys$/,
    methods: {
      POST: async (actor, req, [slug]) => {
        const body = keyBodySchema.parse(await readJson(req));
        // An HS256 key without a secret gets a generated one, returned this once.
        const generated = body.algorithm === "HS256" && body.secret === undefined ? generateHmacSecret(actor) : null;
        const key = await addJwtKey(actor, slug!, (generated ? { ...body, secret: generated } : body) as never);
        return json(201, {
          key: {
            kid: key.kid,
            algorithm: key.algorithm,
            fingerprint: key.fingerprint,
            expires_at: key.expiresAt?.toISOString() ?? null,
            created_at: key.createdAt.toISOString(),
          },
          ...(generated ? { secret: generated } : {}),
        });
      },
    },
  },
  {
    pattern: /^communities\/([^/]+)\/keys\/([^/]+)$/,
    methods: {
      DELETE: async (actor, _req, [slug, kid]) => {
        await deleteJwtKey(actor, slug!, kid!);
        return new Response(null, { status: 204 });
      },
    },
  },
  {
    pattern: /^communities\/([^/]+)\/identities$/,
    methods: {
      GET: async (actor, req, [slug]) => {
        const q = new URL(req.url).searchParams;
        const limit = Number(q.get("limit") ?? 50);
        if (!Number.isInteger(limit) || limit < 1 || limit > 200)
          throw new DomainError("invalid", "limit must be a whole number, 1–200", "limit");
        const page = await listIdentityPage(actor, slug!, { limit, cursor: q.get("cursor") });
        return json(200, { identities: page.identities.map(identityDocument), next_cursor: page.nextCursor });
      },
    },
  },
  {
    pattern: /^communities\/([^/]+)\/identities\/([^/]+)$/,
    methods: {
      GET: async (actor, _req, [slug, uuid]) => json(200, identityDocument(await getIdentity(actor, slug!, uuid!))),
      DELETE: async (actor, _req, [slug, uuid]) => {
        await eraseIdentity(actor, slug!, uuid!);
        return new Response(null, { status: 204 });
      },
    },
  },
  {
    pattern: /^communities\/([^/]+)\/stats$/,
    methods: {
      GET: async (actor, req, [slug]) => {
        const window = new URL(req.url).searchParams.get("window") ?? "24h";
        if (window !== "24h" && window !== "7d") {
          throw new DomainError("invalid", 'window must be "24h" or "7d"', "window");
        }
        const s = await outcomeSummary(actor, await communityIdOf(slug!), window === "24h" ? 24 : 7 * 24);
        return json(200, {
          window,
          accepted_unsigned: s.acceptedUnsigned,
          accepted_verified: s.acceptedVerified,
          refusals: s.refusals,
          hours: s.hours.map((h) => ({ hour: h.hour.toISOString(), counts: h.counts })),
        });
      },
    },
  },
];

/** `path`: the segments after /api/v1/admin/. */
export async function handleAdmin(request: Request, path: string[]): Promise<Response> {
  const joined = path.join("/");
  const route = routes.find((r) => r.pattern.test(joined));
  if (!route) return notFound();
  const handler = route.methods[request.method];
  if (!handler) return methodNotAllowed(Object.keys(route.methods));
  const bearer = /^Bearer (\S+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
  if (!bearer) return error(401, "unauthorized", UNAUTHORIZED.missing!);
  try {
    const auth = await authenticateApiToken(bearer);
    if (!auth.ok) return error(401, "unauthorized", UNAUTHORIZED[auth.reason]!);
    const params = route.pattern.exec(joined)!.slice(1);
    return await handler(auth.actor, request, params);
  } catch (err) {
    return failure(err);
  }
}
