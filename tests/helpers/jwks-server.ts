// A real JWKS server on 127.0.0.1 for the tests: serves whatever the test publishes, and can be made slow,
// oversized, malformed, redirecting or stopped.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { signingKeyPair } from "./keys";

export type Behaviour =
  | { kind: "keys"; cacheControl?: string }
  | { kind: "slow"; ms: number }
  | { kind: "huge" }
  | { kind: "malformed" }
  | { kind: "redirect"; to: string }
  | { kind: "status"; status: number };

export interface JwksServer {
  url: string;
  keys: Record<string, unknown>[];
  behaviour: Behaviour;
  requests: number;
  stop: () => Promise<void>;
}

export async function startJwksServer(): Promise<JwksServer> {
  const state: Omit<JwksServer, "url" | "stop"> = { keys: [], behaviour: { kind: "keys" }, requests: 0 };
  const server = http.createServer((req, res) => {
    state.requests++;
    const b = state.behaviour;
    if (b.kind === "slow") {
      const t = setTimeout(() => res.end(JSON.stringify({ keys: state.keys })), b.ms);
      res.on("close", () => clearTimeout(t));
      return;
    }
    if (b.kind === "huge") return res.end(JSON.stringify({ keys: state.keys, pad: "x".repeat(70 * 1024) }));
    if (b.kind === "malformed") return res.end("{ not json");
    if (b.kind === "redirect") return res.writeHead(302, { location: b.to }).end();
    if (b.kind === "status") return res.writeHead(b.status).end();
    res.writeHead(200, {
      "content-type": "application/jwk-set+json",
      ...(b.cacheControl ? { "cache-control": b.cacheControl } : {}),
    });
    res.end(JSON.stringify({ keys: state.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  return Object.assign(state, {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  }) as JwksServer;
}

/** A signing key pair and its public JWK (with kid), for RS256, ES256 or EdDSA. */
export function jwkPair(algorithm: "RS256" | "ES256" | "EdDSA", kid: string) {
  const { publicKey, privateKey } = signingKeyPair(algorithm);
  return { privateKey, publicKey, jwk: { ...publicKey.export({ format: "jwk" }), kid, use: "sig", alg: algorithm } };
}
