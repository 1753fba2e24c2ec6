// A webhook receiver on 127.0.0.1 for tests and the benchmark: records every request (headers and raw
// body) and answers what the test says — a status, after a delay, or a redirect.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** What the next requests are answered (default 204). */
  answer: { status: number; delayMs?: number; body?: string; location?: string };
  close(): Promise<void>;
}

export async function startReceiver(path = "/hooks/vouch"): Promise<Receiver> {
  const receiver: Receiver = {
    url: "",
    received: [],
    answer: { status: 204 },
    close: () => new Promise((r) => server.close(() => r())),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      receiver.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
      const { status, delayMs = 0, body = "", location } = receiver.answer;
      setTimeout(() => {
        res.writeHead(status, location ? { location } : {});
        res.end(body);
      }, delayMs);
    });
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  server.unref();
  return receiver;
}
