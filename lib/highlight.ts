/**
 * Build-time syntax highlighting of rule bodies (YAML) and searches (SPL) with shiki.
 *
 * Owns: the one highlighter instance (created lazily, reused by every page of a build worker).
 * Invariants: shiki escapes the code it is given, so its HTML carries rule text only as text.
 * Never imports: React, Next, Node built-ins.
 */
import { createHighlighter, type Highlighter } from "shiki"
import { createJavaScriptRegexEngine } from "shiki/engine/javascript"

/** Languages pages highlight. */
export type CodeLanguage = "yaml" | "splunk" | "json" | "xml"

/** Longer inputs are shown plain: highlighting them costs build time and helps nobody. */
const MAX_HIGHLIGHT_CHARS = 200_000

let highlighter: Promise<Highlighter> | undefined

function getHighlighter(): Promise<Highlighter> {
  highlighter ??= createHighlighter({
    themes: ["github-light-high-contrast"],
    langs: ["yaml", "splunk", "json", "xml"],
    engine: createJavaScriptRegexEngine({ forgiving: true }),
  })
  return highlighter
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
}

/** HTML of a highlighted code block (a `<pre class="shiki">`). */
export async function highlight(code: string, lang: CodeLanguage): Promise<string> {
  if (code.length > MAX_HIGHLIGHT_CHARS) {
    return `<pre class="shiki" style="background:#fff"><code>${escapeHtml(code)}</code></pre>`
  }
  const h = await getHighlighter()
  return h.codeToHtml(code, { lang, theme: "github-light-high-contrast" })
}
