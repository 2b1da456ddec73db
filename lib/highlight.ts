/**
 * Build-time syntax highlighting of rule bodies (YAML, lib/highlight-yaml.ts), searches (SPL) and
 * example events (JSON, XML; these three with shiki).
 *
 * Owns: the one highlighter instance (created lazily, reused by every page of a build worker) and
 * the markup of a highlighted block. Tokens carry short classes (`.shiki .t1` … in
 * app/globals.css), not shiki's inline styles: every exported page holds its markup several times
 * (HTML, the inline RSC payload, index.txt, the page segment), and `style="color:#0e1116"` on every
 * token was the biggest single part of a rule page.
 * Invariants: every piece of code is escaped here, so the HTML carries rule text only as text.
 * Never imports: React, Next, Node built-ins.
 */
import { createHighlighter, type Highlighter, type ThemedToken } from "shiki"
import { createOnigurumaEngine } from "shiki/engine/oniguruma"

import { escapeHtml, highlightYaml } from "./highlight-yaml.ts"

/** Languages pages highlight; `text` is shown as written, escaped (TOML rule bodies, EQL and KQL queries). */
export type CodeLanguage = "yaml" | "splunk" | "json" | "xml" | "text"

/** Whether pages can highlight a language; any other code is shown as plain `text`. */
export function isCodeLanguage(lang: string): lang is CodeLanguage {
  return lang === "yaml" || lang === "splunk" || lang === "json" || lang === "xml" || lang === "text"
}

export const HIGHLIGHT_THEME = "github-light-high-contrast" as const

/**
 * The theme's token colours → class names; app/globals.css holds the same table as CSS (a unit
 * test keeps them in step). The theme's default foreground gets no class at all.
 */
export const TOKEN_CLASSES: Readonly<Record<string, string>> = {
  "#66707b": "t1",
  "#a0111f": "t2",
  "#023b95": "t3",
  "#702c00": "t4",
  "#622cbc": "t5",
  "#024c1a": "t6",
  "#032563": "t7",
  "#6e011a": "t8",
  "#4b535d": "t9",
  "#ffffff": "t10",
  "#e7ecf0": "t11",
}

/** shiki's FontStyle bits → classes (italic 1, bold 2, underline 4, strikethrough 8). */
const FONT_STYLE_CLASSES: ReadonlyArray<[number, string]> = [
  [1, "ti"],
  [2, "tb"],
  [4, "tu"],
  [8, "ts"],
]

/** Longer inputs are shown plain: highlighting them costs build time and helps nobody. */
const MAX_HIGHLIGHT_CHARS = 200_000

let highlighter: Promise<Highlighter> | undefined

function getHighlighter(): Promise<Highlighter> {
  highlighter ??= createHighlighter({
    themes: [HIGHLIGHT_THEME],
    langs: ["splunk", "json", "xml"],
    // Oniguruma (WASM), the grammars' own regex dialect: measured 1.7–1.9× faster than shiki's
    // JavaScript engine on the corpus rules, and highlighting was ~8 % of the export's CPU.
    engine: createOnigurumaEngine(import("shiki/wasm")),
  })
  return highlighter
}

/** The class list of a token; "" for default-coloured plain text. Unknown colours keep an inline style. */
function tokenAttributes(token: ThemedToken, fg: string): string {
  const classes: string[] = []
  let style = ""
  const color = token.color?.toLowerCase()
  if (color && color !== fg) {
    const known = TOKEN_CLASSES[color]
    if (known) classes.push(known)
    else style = ` style="color:${escapeHtml(color)}"`
  }
  const fontStyle = token.fontStyle ?? 0
  if (fontStyle > 0) for (const [bit, name] of FONT_STYLE_CLASSES) if (fontStyle & bit) classes.push(name)
  return classes.length > 0 ? ` class="${classes.join(" ")}"${style}` : style
}

/** One `<span class="line">` per line, joined by newlines, so the block's text is the code itself. */
function renderLines(lines: ThemedToken[][], fg: string): string {
  return lines
    .map((tokens) => {
      let html = ""
      let open: string | undefined
      let text = ""
      const flush = () => {
        if (!text) return
        html += open ? `<span${open}>${escapeHtml(text)}</span>` : escapeHtml(text)
        text = ""
      }
      for (const token of tokens) {
        // Whitespace never shows a colour: it joins whatever run it sits in.
        const attributes = /^\s*$/.test(token.content) ? (open ?? "") : tokenAttributes(token, fg)
        if (attributes !== (open ?? "")) {
          flush()
          open = attributes || undefined
        }
        text += token.content
      }
      flush()
      return `<span class="line">${html}</span>`
    })
    .join("\n")
}

/** HTML of a highlighted code block: a focusable, scrollable `<pre class="shiki">`. */
export async function highlight(code: string, lang: CodeLanguage): Promise<string> {
  if (code.length > MAX_HIGHLIGHT_CHARS || lang === "text") {
    return `<pre class="shiki" tabindex="0"><code>${escapeHtml(code)}</code></pre>`
  }
  // Rule bodies (every rule page) go through our own linear YAML highlighter; see highlight-yaml.ts.
  if (lang === "yaml") return `<pre class="shiki" tabindex="0"><code>${highlightYaml(code)}</code></pre>`
  const h = await getHighlighter()
  const { tokens, fg } = h.codeToTokens(code, { lang, theme: HIGHLIGHT_THEME })
  return `<pre class="shiki" tabindex="0"><code>${renderLines(tokens, (fg ?? "").toLowerCase())}</code></pre>`
}
