// The integration snippet the console shows for a community: pure text, unit-tested by running it.
export type SnippetKind = "signed" | "unsigned" | "anonymous";

export const SNIPPET_KINDS: Record<SnippetKind, string> = {
  signed: "Signed-in visitors (JWT)",
  unsigned: "Visitor details, unsigned",
  anonymous: "Anonymous visitors only",
};

/** The script tag's `src`: Vouch's public origin + /widget.js. */
export const widgetUrl = (origin: string) => `${origin.replace(/\/+$/, "")}/widget.js`;

export function integrationSnippet(kind: SnippetKind, origin: string, slug: string): string {
  const identity =
    kind === "signed"
      ? `  // A JWT your server signs for the signed-in visitor (Signed identities page: how to sign).
  _chatq.push(["setSignedIdentity", "{{ token from your server }}"]);
  // Asked shortly before the token's exp: give a fresh one (a string or a Promise of one).
  _chatq.push(["onTokenRefresh", function () {
    return fetch("/chat-token", { method: "POST" }).then(function (r) { return r.text(); });
  }]);
`
      : kind === "unsigned"
        ? `  // What your page knows about the visitor (every attribute optional).
  _chatq.push(["setIdentity", {
    firstname: "Jane", lastname: "Doe", email: "jane.doe@example.com",
    extra_values: { customer_number: "C123456" }
  }]);
`
        : `  // No identity call: the visitor gets an automated ID, kept in this browser.
`;
  return `<!-- Vouch chat widget -->
<script>
  window._chatq = window._chatq || [];
  _chatq.push(["init", { community: ${JSON.stringify(slug)} }]);
${identity}</script>
<script async src="${widgetUrl(origin)}"></script>`;
}
