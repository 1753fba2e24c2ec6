"use client";
import { useId, useState } from "react";
import { regexMatches, regexProblem } from "@vouch/core/validations/custom-field";

/** Type sample values, see which ones the regex accepts — with the identity route's own engine (RE2). */
export function RegexTester({ pattern }: { pattern: string }) {
  const [samples, setSamples] = useState("");
  const id = useId();
  const values = samples.split("\n").filter((s) => s.length > 0);
  const problem = pattern ? regexProblem(pattern) : null;
  return (
    <div className="flex flex-col gap-1 rounded-md border border-slate-200 bg-slate-50 p-3">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        Test the regex
      </label>
      <textarea
        id={id}
        rows={3}
        value={samples}
        onChange={(e) => setSamples(e.target.value)}
        placeholder={"Sample values, one per line, e.g.\nC123456\n54579fed6d617868b3010000"}
        aria-describedby={`${id}-results`}
        className="rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-xs"
      />
      <div id={`${id}-results`} aria-live="polite" className="text-sm">
        {!pattern ? (
          <p className="text-slate-600">No regex: every value of the right type is stored.</p>
        ) : problem ? (
          <p className="text-red-700">{problem}</p>
        ) : values.length === 0 ? (
          <p className="text-slate-600">Type a value to see whether it matches.</p>
        ) : (
          <ul className="flex flex-col gap-0.5">
            {values.map((v, i) => {
              const ok = regexMatches(pattern, v);
              return (
                <li key={i} className={ok ? "text-green-800" : "text-red-800"}>
                  <span aria-hidden="true">{ok ? "✓" : "✗"}</span> <code>{v}</code>:{" "}
                  {ok ? "match — stored" : "no match — skipped"}
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </div>
  );
}
