import crypto from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { CompactSign, importJWK, importSPKI, type CryptoKey as JoseKey } from "jose";
import {
  inProcessVerifier,
  memoizedVerifier,
  SIGNATURE_MEMO_MAX_TOKEN,
  workerVerifier,
  type SignatureVerifier,
} from "./signature-worker";
import { signingKeyPair } from "../../tests/helpers/keys";

const enc = new TextEncoder();
const payload = enc.encode(JSON.stringify({ uuid: "u-1", exp: 2_000_000_000 }));

async function hmacKey(secret: string) {
  return crypto.webcrypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]) as Promise<CryptoKey>;
}

/** A signing key and the verification key the community would hold, for each algorithm Vouch accepts. */
async function keyPairs() {
  const hs = await hmacKey("a-secret-of-at-least-32-bytes-long!!");
  const pair = async (alg: "RS256" | "ES256" | "EdDSA") => {
    const { privateKey, publicPem } = signingKeyPair(alg);
    return { alg, sign: privateKey, verify: (await importSPKI(publicPem, alg)) as CryptoKey };
  };
  return [
    { alg: "HS256", sign: hs as JoseKey, verify: hs },
    await pair("RS256"),
    await pair("ES256"),
    await pair("EdDSA"),
  ];
}

const sign = (alg: string, key: Parameters<CompactSign["sign"]>[0], kid = "k1") =>
  new CompactSign(payload).setProtectedHeader({ alg, kid, typ: "JWT" }).sign(key);
const tamper = (token: string) => {
  const [h, p, s] = token.split(".");
  return `${h}.${p}.${s!.startsWith("A") ? "B" : "A"}${s!.slice(1)}`;
};

let verifier: ReturnType<typeof workerVerifier> | null = null;
afterEach(async () => {
  await verifier?.close();
  verifier = null;
});

describe("signature worker", () => {
  it("answers as jose does in this thread, for every algorithm, in one batch", async () => {
    verifier = workerVerifier();
    const pairs = await keyPairs();
    const other = await hmacKey("another-secret-of-at-least-32-bytes!");
    const cases: [string, CryptoKey, string, boolean][] = [];
    for (const { alg, sign: s, verify } of pairs) {
      const token = await sign(alg, s);
      cases.push([token, verify, alg, true]); // verifies
      cases.push([tamper(token), verify, alg, false]); // signature changed
      cases.push([token, verify, alg === "HS256" ? "RS256" : "HS256", false]); // another algorithm pinned
    }
    const hs = await sign("HS256", pairs[0]!.sign);
    cases.push([hs, other, "HS256", false]); // another community's secret
    cases.push(["not.a.jws", pairs[0]!.verify, "HS256", false]);

    // All at once: one event-loop turn, so one message to the worker carrying several keys.
    const answers = await Promise.all(cases.map(([t, k, a]) => verifier!.verify(t, k, a)));
    expect(answers).toEqual(cases.map((c) => c[3]));
    expect(verifier.counts).toEqual({ worker: cases.length, here: 0 }); // answered by the worker itself
    const here = await Promise.all(cases.map(([t, k, a]) => inProcessVerifier.verify(t, k, a)));
    expect(here).toEqual(answers);
  });

  it("keeps each answer with its call under load, across turns", async () => {
    verifier = workerVerifier();
    const [hs, rs] = await keyPairs();
    const tokens = await Promise.all(
      Array.from({ length: 200 }, async (_, n) => {
        const { alg, sign: s, verify } = n % 2 ? rs! : hs!;
        const good = n % 3 !== 0;
        const token = await sign(alg, s, `k${n}`);
        return { token: good ? token : tamper(token), verify, alg, good };
      }),
    );
    const answers: boolean[] = [];
    for (let i = 0; i < tokens.length; i += 50) {
      const chunk = tokens.slice(i, i + 50);
      answers.push(...(await Promise.all(chunk.map((t) => verifier!.verify(t.token, t.verify, t.alg)))));
    }
    expect(answers).toEqual(tokens.map((t) => t.good));
    expect(verifier.counts).toEqual({ worker: tokens.length, here: 0 });
  });

  it("loses no call when the worker stops with calls out: they are verified in this thread", async () => {
    verifier = workerVerifier();
    const [hs] = await keyPairs();
    const token = await sign("HS256", hs!.sign);
    expect(await verifier.verify(token, hs!.verify, "HS256")).toBe(true); // the worker is up
    const out = [verifier.verify(token, hs!.verify, "HS256"), verifier.verify(tamper(token), hs!.verify, "HS256")];
    await new Promise((r) => setImmediate(r)); // sent to the worker…
    await verifier.close(); // …which is stopped before it answers
    expect(await Promise.all(out)).toEqual([true, false]);
    expect(verifier.counts).toEqual({ worker: 1, here: 2 });
    // And after: still answered, in this thread.
    expect(await verifier.verify(token, hs!.verify, "HS256")).toBe(true);
    expect(await verifier.verify(tamper(token), hs!.verify, "HS256")).toBe(false);
    expect(verifier.counts).toEqual({ worker: 1, here: 4 });
  });

  it("answers in this thread when the worker cannot load jose, and stops sending to it", async () => {
    verifier = workerVerifier({ jose: "file:///nonexistent/jose/index.js" });
    const [hs] = await keyPairs();
    const token = await sign("HS256", hs!.sign);
    const first = [verifier.verify(token, hs!.verify, "HS256"), verifier.verify(tamper(token), hs!.verify, "HS256")];
    expect(await Promise.all(first)).toEqual([true, false]);
    // The next calls are not sent to a worker at all (none for a while after one failed).
    expect(await verifier.verify(token, hs!.verify, "HS256")).toBe(true);
    expect(verifier.counts).toEqual({ worker: 0, here: 3 });
  });

  it("verifies keys published as a JWKS (imported by jose) as well", async () => {
    verifier = workerVerifier();
    const { privateKey, publicKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = publicKey.export({ format: "jwk" });
    const key = (await importJWK({ ...jwk, alg: "ES256" }, "ES256")) as CryptoKey;
    const token = await sign("ES256", privateKey);
    expect(await verifier.verify(token, key, "ES256")).toBe(true);
    expect(await verifier.verify(tamper(token), key, "ES256")).toBe(false);
    expect(verifier.counts.worker).toBe(2);
  });
});

describe("remembered signatures", () => {
  /** jose in this thread, counting the checks it really makes. */
  const counting = () => {
    const calls: string[] = [];
    const inner: SignatureVerifier = {
      verify: (token, key, algorithm) => {
        calls.push(token);
        return inProcessVerifier.verify(token, key, algorithm);
      },
      close: async () => {},
    };
    return { calls, inner };
  };

  it("checks a token once per key and algorithm; a new key object, a tampered token or a failure is checked again", async () => {
    const { calls, inner } = counting();
    const memo = memoizedVerifier(() => inner);
    const [hs, rs] = await keyPairs();
    const token = await sign("HS256", hs!.sign);
    expect(await memo.verify(token, hs!.verify, "HS256")).toBe(true);
    expect(await memo.verify(token, hs!.verify, "HS256")).toBe(true);
    expect(await memo.verify(token, hs!.verify, "HS256")).toBe(true);
    expect(calls).toHaveLength(1);
    expect(memo.counts).toEqual({ remembered: 2, checked: 1 });
    // The same secret imported again (a configuration reload, a rotation): a new key object, checked.
    const reloaded = await hmacKey("a-secret-of-at-least-32-bytes-long!!");
    expect(await memo.verify(token, reloaded, "HS256")).toBe(true);
    // Another key (another community's secret) is never answered from what the first one verified.
    const other = await hmacKey("another-secret-of-at-least-32-bytes!");
    expect(await memo.verify(token, other, "HS256")).toBe(false);
    expect(await memo.verify(token, other, "HS256")).toBe(false); // failures are not remembered: checked again
    // Another algorithm pinned with the same key: checked (and refused).
    expect(await memo.verify(token, hs!.verify, "HS384")).toBe(false);
    // One character changed: another token, checked.
    expect(await memo.verify(tamper(token), hs!.verify, "HS256")).toBe(false);
    expect(calls).toHaveLength(6);
    // An RS256 token too.
    const rsToken = await sign("RS256", rs!.sign);
    expect(await memo.verify(rsToken, rs!.verify, "RS256")).toBe(true);
    expect(await memo.verify(rsToken, rs!.verify, "RS256")).toBe(true);
    expect(calls).toHaveLength(7);
  });

  it("is bounded: the least recently used token is forgotten, and long tokens are never kept", async () => {
    const { calls, inner } = counting();
    const memo = memoizedVerifier(() => inner, { max: 3 });
    const [hs] = await keyPairs();
    const tokens = await Promise.all(["k1", "k2", "k3", "k4"].map((kid) => sign("HS256", hs!.sign, kid)));
    for (const t of tokens) expect(await memo.verify(t, hs!.verify, "HS256")).toBe(true);
    expect(await memo.verify(tokens[3]!, hs!.verify, "HS256")).toBe(true); // kept
    expect(await memo.verify(tokens[0]!, hs!.verify, "HS256")).toBe(true); // forgotten: checked again
    expect(calls).toEqual([...tokens, tokens[0]]);
    // A token longer than the bound (a large claim) is checked every time.
    const long = await new CompactSign(
      enc.encode(JSON.stringify({ uuid: "u", pad: "x".repeat(SIGNATURE_MEMO_MAX_TOKEN) })),
    )
      .setProtectedHeader({ alg: "HS256", kid: "k1" })
      .sign(hs!.sign);
    expect(await memo.verify(long, hs!.verify, "HS256")).toBe(true);
    expect(await memo.verify(long, hs!.verify, "HS256")).toBe(true);
    expect(calls.filter((t) => t === long)).toHaveLength(2);
  });
});
