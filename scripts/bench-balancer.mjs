#!/usr/bin/env node
// The benchmark's load balancer for the scale-out run: node:http round-robin over BENCH_UPSTREAMS
// (comma-separated ports on 127.0.0.1), keep-alive to each. Env: PORT.
import http from "node:http";

const upstreams = (process.env.BENCH_UPSTREAMS ?? "").split(",").map(Number);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
let next = 0;

http
  .createServer((req, res) => {
    const port = upstreams[next++ % upstreams.length];
    const up = http.request(
      { host: "127.0.0.1", port, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    up.on("error", () => {
      res.writeHead(502).end();
    });
    req.pipe(up);
  })
  .listen(Number(process.env.PORT ?? 3305), "127.0.0.1", () => process.send?.("ready"));
