// The console's Content-Security-Policy: scripts only with this response's nonce (Next.js puts it on
// its own scripts when it finds it in the request's CSP header) and what they load ('strict-dynamic').
// Styles may be inline (React and Next set style attributes; scripts are what CSP must stop).
export function consoleCsp(nonce: string, dev = process.env.NODE_ENV !== "production"): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
