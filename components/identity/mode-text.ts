import { type SignedIdentityMode } from "@vouch/core/identity/vocabulary";

/** Plain-words explanation of each mode (shared by the admin form and the viewer's read-only view). */
export const MODE_TEXT: Record<SignedIdentityMode, { title: string; body: string }> = {
  reject: {
    title: "Reject signed identities",
    body: "Only unsigned identity data is accepted; tokens are refused. Anything the visitor's browser sends is taken as it is.",
  },
  accept: {
    title: "Accept both",
    body: "Unsigned data and signed tokens are both accepted; identities from a valid token are marked verified and cannot be overwritten by unsigned data.",
  },
  require: {
    title: "Require signed identities",
    body: "Only identities in a valid JWT signed by your website's backend are accepted. Strict and secure.",
  },
};
