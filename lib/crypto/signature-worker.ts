// A signed identity's signature check (jose's compactVerify, the algorithm pinned), on a worker thread
// in the production processes. Why: Node's WebCrypto runs every verification as a job on libuv's thread
// pool, and under load dispatching that job cost the event loop more than the verification itself
// (≈ 19% of the identity route's main-thread time in the CPU profile, contended thread wake-ups on 2
// cores; docs/benchmarks.md). On a worker that cost blocks only the worker; the event loop sends the
// tokens of one turn in one message and reads the answers of one turn in one (≈ 2 µs per verification
// on the event loop instead of ≈ 20). The answer is the same function of (token, key, algorithm) either
// way, and when the worker cannot answer (it could not start, stopped or was stopped) the calls it
// held are verified here instead: never refused, never lost.
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { compactVerify } from "jose";
import { LRUCache } from "lru-cache";
import { logger } from "../logger";
import { workerEntry } from "../worker-entry";

export interface SignatureVerifier {
  /** Whether the compact JWS `token` verifies with `key` under `algorithm` (and only that one). */
  verify(token: string, key: CryptoKey, algorithm: string): Promise<boolean>;
  /** Stops the worker (if any); calls it still held are verified in this thread. */
  close(): Promise<void>;
}

/** In this thread: tests, the CLI, `next dev` and anything else that did not start the worker. */
export const inProcessVerifier: SignatureVerifier = {
  verify: (token, key, algorithm) =>
    compactVerify(token, key, { algorithms: [algorithm] }).then(
      () => true,
      () => false,
    ),
  close: async () => {},
};

// Messages: to the worker { keys, items: [id, token, key index, algorithm, …] } — one per event-loop
// turn, each distinct key once (CryptoKeys clone cheaply: the key material is shared, not copied);
// from it [id, answer, …] per turn of its own, answer 1 (verifies), 0 (does not) or -1 (the worker
// could not load jose: verify in the main thread). The source is inline (`eval`), as the SQLite
// worker's (lib/db-raw.ts), so lib/, the compiled core and Next's bundles need no second file.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const jose = import(workerData.jose ?? "jose"); // (else from the working directory)
let out = [];
let flushing = false;
const flush = () => {
  flushing = false;
  const answers = out;
  out = [];
  parentPort.postMessage(answers);
};
const answer = (id, value) => {
  out.push(id, value);
  if (!flushing) {
    flushing = true;
    setImmediate(flush);
  }
};
parentPort.on("message", ({ keys, items }) => {
  jose.then(
    ({ compactVerify }) => {
      for (let i = 0; i < items.length; i += 4) {
        const id = items[i];
        compactVerify(items[i + 1], keys[items[i + 2]], { algorithms: [items[i + 3]] }).then(
          () => answer(id, 1),
          () => answer(id, 0),
        );
      }
    },
    () => {
      for (let i = 0; i < items.length; i += 4) answer(items[i], -1);
    },
  );
});`;

/** After a worker stopped unexpectedly, calls are verified in this thread for this long before a new one. */
const RESTART_AFTER_MS = 10_000;

interface Call {
  token: string;
  key: CryptoKey;
  algorithm: string;
  resolve: (verifies: boolean) => void;
}

/**
 * A verifier whose checks run on a worker thread, started at the first call. `jose`: where the worker
 * loads jose from (a file URL; tests pass one that does not exist).
 */
export function workerVerifier(
  options: { jose?: string } = {},
): SignatureVerifier & { counts: { worker: number; here: number } } {
  const counts = { worker: 0, here: 0 }; // calls answered by the worker, and in this thread
  let worker: Worker | null = null;
  let closed = false;
  let lostAt = -Infinity;
  let nextId = 0;
  const waiting = new Map<number, Call>();
  // This turn's calls, sent together when the turn ends (setImmediate: after the I/O callbacks).
  let turn: { keys: CryptoKey[]; index: Map<CryptoKey, number>; items: unknown[]; calls: Call[] } | null = null;

  const here = (call: Call) => {
    counts.here++;
    void inProcessVerifier.verify(call.token, call.key, call.algorithm).then(call.resolve);
  };
  const takeOverAll = () => {
    for (const call of waiting.values()) here(call);
    waiting.clear();
  };
  const lost = (w: Worker, reason: unknown) => {
    if (worker !== w) return;
    worker = null;
    lostAt = performance.now();
    logger.warn({ err: reason }, "signature worker stopped; verifying on the event loop meanwhile");
    takeOverAll();
  };
  const start = () => {
    const entry = options.jose ? undefined : workerEntry("jose");
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { jose: options.jose ?? (entry && pathToFileURL(entry).href) }, // (an ES module: a URL)
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    });
    w.unref(); // referenced only while it holds calls
    w.on("message", (answers: number[]) => {
      let unusable = false;
      for (let i = 0; i < answers.length; i += 2) {
        const call = waiting.get(answers[i]!);
        if (!call) continue;
        waiting.delete(answers[i]!);
        if (answers[i + 1] === -1) {
          unusable = true;
          here(call);
        } else {
          counts.worker++;
          call.resolve(answers[i + 1] === 1);
        }
      }
      if (waiting.size === 0) w.unref();
      if (unusable) {
        // It could not load jose: the calls it still holds are taken over, and it is stopped.
        lost(w, new Error("the signature worker could not load jose"));
        void w.terminate();
      }
    });
    w.on("error", (err) => lost(w, err));
    w.on("exit", (code) => lost(w, new Error(`exit code ${code}`)));
    return w;
  };
  const send = () => {
    const t = turn!;
    turn = null;
    if (closed || performance.now() - lostAt < RESTART_AFTER_MS) return t.calls.forEach(here);
    try {
      worker ??= start();
      worker.postMessage({ keys: t.keys, items: t.items });
    } catch (err) {
      // (say, a key that cannot be cloned): this turn's calls here; the worker, if any, stays
      logger.warn({ err }, "signature worker: a batch could not be sent; verified on the event loop");
      return t.calls.forEach(here);
    }
    for (let i = 0; i < t.calls.length; i++) waiting.set(t.items[4 * i] as number, t.calls[i]!);
    worker.ref();
  };

  return {
    counts,
    verify(token, key, algorithm) {
      return new Promise((resolve) => {
        const call: Call = { token, key, algorithm, resolve };
        if (!turn) {
          turn = { keys: [], index: new Map(), items: [], calls: [] };
          setImmediate(send);
        }
        let k = turn.index.get(key);
        if (k === undefined) turn.index.set(key, (k = turn.keys.push(key) - 1));
        turn.items.push(++nextId, token, k, algorithm);
        turn.calls.push(call);
      });
    },
    async close() {
      closed = true;
      const w = worker;
      worker = null;
      takeOverAll();
      await w?.terminate();
    },
  };
}

/** Tokens longer than this are always verified (the cache's bound is in characters: a few large ones could fill it). */
export const SIGNATURE_MEMO_MAX_TOKEN = 4096;

/**
 * Signatures already checked, remembered: a returning visitor's widget sends the same signed identity on
 * every page view, and whether a signature verifies is a pure function of (token, key, algorithm) — so
 * a token that verified with this very key object (a configuration reload or key rotation makes new
 * ones) under this algorithm verifies again, and is not checked again. Only successes are kept (a
 * flood of bad tokens adds nothing); everything that depends on the moment — expiry, not-before, the
 * token policy, revocation — is still checked on every request by the caller (lib/identity/token.ts).
 * Bounded: `max` tokens and `maxChars` characters of them, least recently used out first.
 */
export function memoizedVerifier(
  inner: () => SignatureVerifier,
  { max = 10_000, maxChars = 8 * 1024 * 1024 } = {},
): SignatureVerifier & { counts: { remembered: number; checked: number } } {
  const verified = new LRUCache<string, { key: CryptoKey; algorithm: string }>({
    max,
    maxSize: maxChars,
    sizeCalculation: (_value, token) => token.length,
  });
  const counts = { remembered: 0, checked: 0 };
  return {
    counts,
    verify(token, key, algorithm) {
      const known = token.length <= SIGNATURE_MEMO_MAX_TOKEN ? verified.get(token) : undefined;
      if (known && known.key === key && known.algorithm === algorithm) {
        counts.remembered++;
        return Promise.resolve(true);
      }
      counts.checked++;
      return inner()
        .verify(token, key, algorithm)
        .then((ok) => {
          if (ok && token.length <= SIGNATURE_MEMO_MAX_TOKEN) verified.set(token, { key, algorithm });
          return ok;
        });
    },
    close: async () => verified.clear(),
  };
}

let current: SignatureVerifier = inProcessVerifier;
const memo = memoizedVerifier(() => current);

/** Signature checks of the identity route by how they were answered (/api/metrics). */
export const signatureCounts = memo.counts;

/**
 * The identity route's signature check: remembered when this token already verified with this key,
 * else on the worker once `startSignatureWorker` ran, else here.
 */
export const verifySignature = (token: string, key: CryptoKey, algorithm: string) => memo.verify(token, key, algorithm);

/** For the production processes (npm start, the identity server): checks on a worker thread from now on. */
export function startSignatureWorker(): void {
  if (current === inProcessVerifier) current = workerVerifier();
}
