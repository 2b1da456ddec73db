/**
 * The Content Security Policy of the static export. A static host sends no per-page headers, so
 * each page carries its policy in a `<meta http-equiv>` element, with the sha256 of every inline
 * script Next wrote into that page: no other inline script, handler attribute or `javascript:`
 * URL can run, whatever rule text slipped into the page.
 *
 * Owns: the directive list, finding a page's inline scripts, and placing the meta element before
 * the first script (a meta policy covers only what follows it), after the charset declaration.
 * Invariants: pure string work; the hash function is passed in (Node's crypto at build time).
 * A page with no `<head>` is returned unchanged.
 * Never imports: React, Next, Node built-ins.
 */

/** Base64 SHA-256 of a string's UTF-8 bytes. */
export type Sha256Base64 = (text: string) => string

/**
 * Directives for every page. Styles allow inline: shiki colours code with `style` attributes and
 * styles cannot run code. `frame-ancestors` is ignored in a meta element, so it goes in
 * `STATIC_HEADERS` for hosts that read them.
 */
export function cspDirectives(scriptHashes: readonly string[]): string {
  const scripts = ["'self'", ...[...new Set(scriptHashes)].map((h) => `'sha256-${h}'`)]
  return [
    "default-src 'self'",
    `script-src ${scripts.join(" ")}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join("; ")
}

const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi

/** Bodies of the page's inline scripts (those without `src`), exactly as the browser hashes them. */
export function inlineScripts(html: string): string[] {
  const out: string[] = []
  for (const m of html.matchAll(SCRIPT)) {
    const attrs = m[1] ?? ""
    if (/\ssrc\s*=/i.test(attrs)) continue
    out.push(m[2] ?? "")
  }
  return out
}

/** The page with its CSP meta element at the top of `<head>` (replacing one written before). */
export function withCsp(html: string, sha256: Sha256Base64): string {
  const cleaned = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/gi, "")
  const head = /<head\b[^>]*>/i.exec(cleaned)
  if (!head) return html
  const policy = cspDirectives(inlineScripts(cleaned).map(sha256))
  let at = head.index + head[0].length
  // The charset declaration must stay within the first 1,024 bytes: the policy goes after it.
  const charset = /^\s*<meta charset=[^>]*>/i.exec(cleaned.slice(at))
  if (charset) at += charset[0].length
  return `${cleaned.slice(0, at)}<meta http-equiv="Content-Security-Policy" content="${policy}"/>${cleaned.slice(at)}`
}

/** Headers for hosts that read a config file (`serve.json`): what a meta element cannot carry. */
export const STATIC_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'; object-src 'none'; base-uri 'self'" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "no-referrer" },
]
