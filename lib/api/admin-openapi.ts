// The admin API's OpenAPI 3.1 document, generated from the route table (lib/api/admin-routes.ts) and
// its zod schemas (lib/api/admin-contract.ts): what the routes parse and answer is what is documented.
// No framework imports.
import { z } from "zod";
import { adminErrorSchema } from "./admin-contract";

export interface AdminOperation<H = unknown> {
  operationId: string;
  summary: string;
  /** The least role that may call it (enforced by the data layer; documented here). */
  role: "viewer" | "admin";
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The success status and its body's schema (null: no body). */
  ok: [status: number, schema: z.ZodType | null];
  /** The error statuses it answers besides 401 (any token problem) and 503. */
  errors: number[];
  handler: H;
}
export interface AdminRoute<H = unknown> {
  /** The path template under /api/v1/admin/, e.g. communities/{slug}/keys/{kid}. */
  path: string;
  methods: Record<string, AdminOperation<H>>;
}

const ERROR_MEANING: Record<number, string> = {
  401: "`unauthorized`: no token, or an unknown, revoked or expired one.",
  403: "`forbidden`: a viewer token asked to write.",
  404: "`not_found`: no such community (or key, identity, webhook endpoint or message).",
  409: "`conflict`: a key with this kid exists; the webhook endpoint is disabled.",
  422: "`invalid_config` / `invalid_request`: `errors` lists every problem with its JSON path.",
  503: "`unavailable`: retry later.",
};

const PARAMETER: Record<string, string> = {
  slug: "The community's slug.",
  kid: "The key's ID.",
  uuid: "The identity's uuid.",
  id: "The webhook endpoint's id (ep_…).",
  message: "The webhook message's id (msg_…).",
};

const jsonSchema = (s: z.ZodType, io: "input" | "output") =>
  z.toJSONSchema(s, { io, unrepresentable: "any", target: "draft-2020-12" });

export function adminOpenApiDocument(routes: readonly AdminRoute[], serverUrl: string) {
  const paths: Record<string, object> = {};
  for (const route of routes) {
    const names = [...route.path.matchAll(/\{([a-z]+)\}/g)].map((m) => m[1]!);
    const item: Record<string, object> = {
      parameters: names.map((name) => ({
        name,
        in: "path",
        required: true,
        description: PARAMETER[name] ?? name,
        schema: { type: "string" },
      })),
    };
    for (const [method, op] of Object.entries(route.methods)) {
      const [status, okSchema] = op.ok;
      const query = op.query ? (jsonSchema(op.query, "input") as { properties?: Record<string, object> }) : null;
      item[method.toLowerCase()] = {
        operationId: op.operationId,
        summary: op.summary,
        description: `Needs a token with the ${op.role} role${op.role === "viewer" ? " (or admin)" : ""}.`,
        "x-vouch-role": op.role,
        ...(query?.properties
          ? {
              parameters: Object.entries(query.properties).map(([name, schema]) => ({
                name,
                in: "query",
                required: false,
                description: (schema as { description?: string }).description,
                schema,
              })),
            }
          : {}),
        ...(op.body
          ? {
              requestBody: {
                required: true,
                content: { "application/json": { schema: jsonSchema(op.body, "input") } },
              },
            }
          : {}),
        responses: {
          [String(status)]: okSchema
            ? { description: "OK", content: { "application/json": { schema: jsonSchema(okSchema, "output") } } }
            : { description: "Done (no body)." },
          ...Object.fromEntries(
            [401, ...op.errors, 503].map((s) => [
              String(s),
              {
                description: ERROR_MEANING[s] ?? "",
                content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
              },
            ]),
          ),
        },
      };
    }
    paths[`/api/v1/admin/${route.path}`] = item;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Vouch admin API",
      version: "1",
      description:
        "Automation for Vouch: rotate keys from a secret manager, apply configuration from CI, export and erase identities. " +
        "Send an API token (Accounts → API tokens, or `npm run vouch -- token create`) as `Authorization: Bearer <token>`; " +
        "cookies are never read. Every write is in the audit log, naming the token.",
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "A Vouch API token (vouch_…)." } },
      schemas: { Error: jsonSchema(adminErrorSchema, "output") },
    },
  };
}
