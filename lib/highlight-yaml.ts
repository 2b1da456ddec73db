/**
 * A line-oriented YAML highlighter for rule bodies: keys, scalars, constants, block and quoted
 * multi-line strings, comments and document markers, in the same token classes as shiki's theme
 * (lib/highlight.ts, app/globals.css).
 *
 * Owns: YAML token spans. Why not shiki: every rule page shows its whole file, and the TextMate
 * grammar cost ~15 s of a two-corpus export (5,465 pages); this is linear, one pass, and emits one
 * span per token with no per-line wrapper (pages carry their markup several times over).
 * Invariants: the text of the output is the input, exactly; every piece of input is escaped.
 * Colouring is cosmetic: an unusual construct falls back to plain or string colour, never fails.
 * Never imports: React, Next, Node built-ins.
 */

/** Token classes (the theme's colours, see TOKEN_CLASSES in lib/highlight.ts). */
const KEY = "t6"
const STRING = "t7"
const CONSTANT = "t3"
const COMMENT = "t1"
const KEYWORD = "t2"

const CONSTANT_RE =
  /^(?:true|false|yes|no|on|off|null|~|[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?|0x[0-9a-f]+|0o[0-7]+|[-+]?\.inf|\.nan)$/i

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
}

type Out = { html: string; cls: string; text: string }

function emit(out: Out, cls: string, text: string): void {
  if (!text) return
  // Whitespace shows no colour: it joins the current run, so spans stay few.
  if (cls !== out.cls && !/^\s+$/.test(text)) {
    flush(out)
    out.cls = cls
  }
  out.text += text
}

function flush(out: Out): void {
  if (out.text) out.html += out.cls ? `<span class="${out.cls}">${escapeHtml(out.text)}</span>` : escapeHtml(out.text)
  out.text = ""
}

/** Index just past the closing quote of a quoted scalar whose body starts at `from`, or -1 when it does not close on this line. */
function closingQuote(line: string, from: number, quote: string): number {
  for (let i = from; i < line.length; i++) {
    const c = line[i]
    if (quote === '"' && c === "\\") i++
    else if (c === quote) {
      if (quote === "'" && line[i + 1] === "'") i++
      else return i + 1
    }
  }
  return -1
}

/** Index of the `:` ending a plain key (followed by a blank or the line end), or -1 (a comment or a flow value comes first). */
function plainKeyEnd(s: string): number {
  const first = s[0]
  if (
    first === undefined ||
    first === "#" ||
    first === "[" ||
    first === "{" ||
    first === '"' ||
    first === "'" ||
    first === "|" ||
    first === ">"
  )
    return -1
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (c === "#" && i > 0 && (s[i - 1] === " " || s[i - 1] === "\t")) return -1
    if (c === ":" && (i + 1 === s.length || s[i + 1] === " " || s[i + 1] === "\t")) return i
  }
  return -1
}

/** A plain scalar and its trailing comment. */
function emitPlain(out: Out, s: string): void {
  const hash = s.search(/[ \t]#/)
  const value = hash >= 0 ? s.slice(0, hash) : s
  const trimmed = value.trimEnd()
  emit(out, CONSTANT_RE.test(trimmed) ? CONSTANT : STRING, trimmed)
  emit(out, "", value.slice(trimmed.length))
  if (hash >= 0) {
    const rest = s.slice(hash)
    const lead = rest.length - rest.trimStart().length
    emit(out, "", rest.slice(0, lead))
    emit(out, COMMENT, rest.slice(lead))
  }
}

/** After a closing quote or a block indicator: blanks and an optional comment (anything else shown plain). */
function emitTrailer(out: Out, s: string): void {
  const lead = s.length - s.trimStart().length
  emit(out, "", s.slice(0, lead))
  const rest = s.slice(lead)
  emit(out, rest.startsWith("#") ? COMMENT : "", rest)
}

/** HTML (spans with token classes) of a YAML text. */
export function highlightYaml(code: string): string {
  const out: Out = { html: "", cls: "", text: "" }
  // Multi-line state: inside a block scalar (content lines are indented beyond `blockIndent`) or
  // inside a quoted scalar that did not close on its line.
  let blockIndent = -1
  let openQuote = ""
  const lines = code.split("\n")
  lines.forEach((line, n) => {
    if (n > 0) emit(out, out.cls, "\n")
    const indent = line.length - line.trimStart().length
    if (openQuote) {
      const end = closingQuote(line, 0, openQuote)
      if (end < 0) return emit(out, STRING, line)
      emit(out, STRING, line.slice(0, end))
      openQuote = ""
      return emitTrailer(out, line.slice(end))
    }
    if (blockIndent >= 0) {
      if (line.trim() === "" || indent > blockIndent) {
        emit(out, "", line.slice(0, indent))
        return emit(out, STRING, line.slice(indent))
      }
      blockIndent = -1
    }
    emit(out, "", line.slice(0, indent))
    let s = line.slice(indent)
    if (s.startsWith("#")) return emit(out, COMMENT, s)
    if (/^(?:---|\.\.\.)(?:\s|$)/.test(s)) {
      emit(out, KEYWORD, s.slice(0, 3))
      return emitTrailer(out, s.slice(3))
    }
    // Sequence markers ("- ", possibly nested on one line).
    for (let m = /^-(?:[ \t]+|$)/.exec(s); m; m = /^-(?:[ \t]+|$)/.exec(s)) {
      emit(out, "", m[0])
      s = s.slice(m[0].length)
    }
    // A key: quoted or plain, then its colon.
    const quoteKey = s[0] === '"' || s[0] === "'" ? closingQuote(s, 1, s[0]) : -1
    const keyEnd = quoteKey > 0 && /^\s*:(?:\s|$)/.test(s.slice(quoteKey)) ? s.indexOf(":", quoteKey) : plainKeyEnd(s)
    if (keyEnd >= 0) {
      emit(out, KEY, s.slice(0, keyEnd).trimEnd())
      emit(out, "", s.slice(s.slice(0, keyEnd).trimEnd().length, keyEnd + 1))
      s = s.slice(keyEnd + 1)
      const gap = s.length - s.trimStart().length
      emit(out, "", s.slice(0, gap))
      s = s.slice(gap)
    }
    if (!s) return
    if (s.startsWith("#")) return emit(out, COMMENT, s)
    const block = /^[|>][-+0-9]*(?=\s|$)/.exec(s)
    if (block) {
      emit(out, KEYWORD, block[0])
      blockIndent = indent
      return emitTrailer(out, s.slice(block[0].length))
    }
    if (s[0] === '"' || s[0] === "'") {
      const end = closingQuote(s, 1, s[0])
      if (end < 0) {
        openQuote = s[0]
        return emit(out, STRING, s)
      }
      emit(out, STRING, s.slice(0, end))
      return emitTrailer(out, s.slice(end))
    }
    emitPlain(out, s)
  })
  flush(out)
  return out.html
}
