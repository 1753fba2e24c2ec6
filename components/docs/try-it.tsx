"use client";
import { useId, useState } from "react";

const EXAMPLES = {
  unsigned: JSON.stringify(
    { identity: { uuid: "54579fed6d617868b3010000", firstname: "John", extra_values: { cell_number: "+1 555 0100" } } },
    null,
    2,
  ),
  anonymous: JSON.stringify({ identity: {} }, null, 2),
  signed: JSON.stringify({ signed_identity: "<paste a JWT minted by your backend>" }, null, 2),
};

/** Sends a real request to this Vouch's identity route and shows the answer. */
export function TryIt() {
  const [slug, setSlug] = useState("");
  const [body, setBody] = useState(EXAMPLES.unsigned);
  const [answer, setAnswer] = useState<{ status: number; text: string } | null>(null);
  const [pending, setPending] = useState(false);
  const ids = { slug: useId(), body: useId() };

  async function send(e: React.FormEvent) {
    e.preventDefault();
    setPending(true);
    try {
      const res = await fetch(`/api/v1/communities/${encodeURIComponent(slug.trim())}/identity`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body,
      });
      const text = await res.text();
      let pretty = text;
      try {
        pretty = JSON.stringify(JSON.parse(text), null, 2);
      } catch {
        // not JSON: show as is
      }
      setAnswer({ status: res.status, text: pretty });
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={send} className="flex flex-col gap-3 text-sm">
      <div className="flex flex-col gap-1">
        <label htmlFor={ids.slug} className="font-medium">
          Community identifier
        </label>
        <input
          id={ids.slug}
          required
          value={slug}
          onChange={(e) => setSlug(e.target.value)}
          placeholder="acme-shop"
          className="max-w-xs rounded-md border border-slate-300 px-3 py-2 font-mono"
        />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={ids.body} className="font-medium">
          Request body
        </label>
        <div className="flex gap-2 text-xs">
          {(Object.keys(EXAMPLES) as (keyof typeof EXAMPLES)[]).map((k) => (
            <button
              key={k}
              type="button"
              onClick={() => setBody(EXAMPLES[k])}
              className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-100"
            >
              Example: {k}
            </button>
          ))}
        </div>
        <textarea
          id={ids.body}
          rows={8}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          spellCheck={false}
          className="rounded-md border border-slate-300 px-3 py-2 font-mono text-xs"
        />
      </div>
      <div>
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-brand-600 px-3.5 py-2 font-medium text-white hover:bg-brand-700 disabled:bg-slate-400"
        >
          {pending ? "Sending…" : "Send request"}
        </button>
      </div>
      <div aria-live="polite">
        {answer && (
          <div>
            <p className="font-medium">Response: {answer.status}</p>
            <pre
              tabIndex={0}
              aria-label="Response body"
              className="mt-1 overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100"
            >
              {answer.text}
            </pre>
          </div>
        )}
      </div>
    </form>
  );
}
