import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { integrationSnippet, type SnippetKind } from "./snippet";

/** Runs the snippet's inline script as a browser would before widget.js loads: it only queues. */
function queued(kind: SnippetKind) {
  const html = integrationSnippet(kind, "https://vouch.example.com/", "acme-shop");
  const inline = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
  const window: Record<string, unknown> = {};
  vm.runInNewContext(inline.replace(/\{\{ token from your server \}\}/, "a.b.c"), Object.assign(window, { window }));
  return { html, queue: window._chatq as unknown[][] };
}

describe("integration snippet", () => {
  it("loads the widget from Vouch's origin, async, after queueing init", () => {
    const { html, queue } = queued("anonymous");
    expect(html).toContain('<script async src="https://vouch.example.com/widget.js"></script>');
    expect(queue).toEqual([["init", { community: "acme-shop" }]]);
  });

  it("queues the signed identity and a refresh callback", () => {
    const { queue } = queued("signed");
    expect(queue.map((c) => c[0])).toEqual(["init", "setSignedIdentity", "onTokenRefresh"]);
    expect(queue[1]![1]).toBe("a.b.c");
    expect(typeof queue[2]![1]).toBe("function");
  });

  it("queues unsigned details with extra values", () => {
    const { queue } = queued("unsigned");
    expect(queue[1]).toEqual([
      "setIdentity",
      {
        firstname: "Jane",
        lastname: "Doe",
        email: "jane.doe@example.com",
        extra_values: { customer_number: "C123456" },
      },
    ]);
  });
});
