/** A same-site path to return to after sign-in, or the console home. Never an absolute or protocol-relative URL. */
export function safeReturnPath(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//") || next.includes("\\")) {
    return "/communities";
  }
  return next.length > 512 ? "/communities" : next;
}
