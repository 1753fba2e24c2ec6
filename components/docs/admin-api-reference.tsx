import { adminOpenApi } from "@vouch/core/api/admin-routes";

type Operation = {
  operationId: string;
  summary: string;
  "x-vouch-role": string;
  parameters?: { name: string; description?: string }[];
  requestBody?: { content: { "application/json": { schema: unknown } } };
  responses: Record<string, { description: string; content?: { "application/json": { schema: unknown } } }>;
};

/** The admin API (docs/admin-api.md), rendered from its OpenAPI document — the one the routes are checked against. */
export function AdminApiReference() {
  const doc = adminOpenApi("");
  return (
    <section aria-labelledby="admin-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="admin-heading" className="text-lg font-semibold">
        Admin API
      </h2>
      <p className="mt-1 text-sm text-slate-700">{doc.info.description}</p>
      <p className="mt-2 text-sm">
        Machine-readable:{" "}
        <a className="text-brand-700 underline" href="/api/v1/admin/openapi.json">
          admin OpenAPI 3.1 document
        </a>
        . Errors use the envelope above; <code>422</code> adds <code>errors: [{"{ path, message }"}]</code> listing
        every problem.
      </p>
      <ul className="mt-4 flex flex-col gap-4">
        {Object.entries(doc.paths).flatMap(([path, item]) =>
          Object.entries(item as Record<string, Operation | unknown[]>)
            .filter((entry): entry is [string, Operation] => !Array.isArray(entry[1]))
            .map(([method, op]) => (
              <li key={op.operationId} aria-labelledby={`op-${op.operationId}`}>
                <h3 id={`op-${op.operationId}`} className="font-mono text-sm font-semibold">
                  {method.toUpperCase()} {path}
                </h3>
                <p className="text-sm text-slate-700">
                  {op.summary}.{" "}
                  <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">token role: {op["x-vouch-role"]}</span>
                </p>
                {op.parameters && (
                  <p className="mt-1 text-xs text-slate-700">
                    Query:{" "}
                    {op.parameters.map((p, i) => (
                      <span key={p.name}>
                        {i > 0 && "; "}
                        <code>{p.name}</code> — {p.description}
                      </span>
                    ))}
                  </p>
                )}
                <p className="mt-1 text-xs text-slate-700">
                  Answers:{" "}
                  {Object.entries(op.responses)
                    .map(([status, r]) => `${status} ${r.description.replace(/`/g, "")}`)
                    .join(" · ")}
                </p>
                {op.requestBody && (
                  <details className="mt-1 text-xs">
                    <summary className="cursor-pointer text-brand-700">Request body schema</summary>
                    <pre tabIndex={0} className="mt-1 max-h-64 overflow-auto rounded bg-slate-50 p-3">
                      {JSON.stringify(op.requestBody.content["application/json"].schema, null, 2)}
                    </pre>
                  </details>
                )}
              </li>
            )),
        )}
      </ul>
    </section>
  );
}
