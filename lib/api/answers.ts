// The answers every HTTP door of Vouch gives when no handler has one — an unknown path (404), a method
// the path does not take (405), an error nothing expected (503: retry later, details only in the log) —
// whichever way the request is served: the node:http door (lib/api/node-server.ts) of `npm start`,
// `npm run dev` and `npm run identity-server`, or a Next.js route file. Same status, same JSON body,
// same headers. No framework imports.
import type http from "node:http";
import { logger } from "../logger";

/** The one JSON answer of every web Response Vouch gives: never cached. */
export const jsonAnswer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
const json = jsonAnswer;

export function notFound(): Response {
  return json(404, { error: { code: "not_found", message: "There is nothing at this address." } });
}

/** 405, naming the methods the path takes (an `Allow` header, as RFC 9110 asks). */
export function methodNotAllowed(allow: readonly string[]): Response {
  return json(
    405,
    { error: { code: "method_not_allowed", message: `This address takes ${allow.join(", ")}.` } },
    { Allow: allow.join(", ") },
  );
}

/** An error no handler expected: logged with `where`, answered 503 (the caller may retry). */
export function unexpected(err: unknown, where: string): Response {
  logger.error({ err }, `${where}: unexpected error`);
  return json(503, { error: { code: "unavailable", message: "The service is temporarily unavailable. Retry later." } });
}

/** Writes a web Response to a node:http response. */
export async function send(res: http.ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, key) => res.setHeader(key, value));
  res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
}

/** On node:http: `unexpected`, unless an answer already started (then the connection is cut). */
export function sendUnexpected(res: http.ServerResponse, err: unknown, where: string): void {
  const answer = unexpected(err, where);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  send(res, answer).catch(() => res.destroy());
}
