/**
 * Sigma string values: the escape and wildcard parser (`\*`, `\?`, `\\`; `*` and `?` wildcards), and the encodings
 * the value modifiers apply (windash, base64, base64offset, wide / utf16).
 *
 * Owns: the `SigmaString` shape (literal runs and wildcard tokens) and every transformation of
 * it. Invariants: pure; never throws; a string is only ever parsed once, right after YAML
 * unquoting, so modifiers work on tokens and never re-interpret backslashes.
 * Never imports: React, Next, Node built-ins.
 */

/** A literal run of text, or a wildcard (`*` any run, `?` one character). */
export type Part = { lit: string } | { wild: "*" | "?" }

/** A parsed Sigma string. `bytes` marks text already re-encoded by `wide`/`utf16*` (one char per byte). */
export interface SigmaString {
  parts: Part[]
  bytes?: boolean
}

function pushLit(parts: Part[], text: string): void {
  const last = parts[parts.length - 1]
  if (last && "lit" in last) last.lit += text
  else parts.push({ lit: text })
}

/** Parse the text of a YAML string into literal runs and wildcards, pySigma's way. */
export function parseSigmaString(text: string): SigmaString {
  const parts: Part[] = []
  for (let i = 0; i < text.length; i++) {
    // A run of plain characters is one slice: appending them one by one built a rope per value
    // that every later read had to flatten (a 4,000-hash list spent 5 ms there).
    let end = i
    while (end < text.length && text[end] !== "*" && text[end] !== "?" && text[end] !== "\\") end++
    if (end > i) {
      pushLit(parts, text.slice(i, end))
      i = end - 1
      continue
    }
    const c = text[i] as string
    if (c === "*" || c === "?") {
      parts.push({ wild: c })
    } else if (c === "\\") {
      const next = text[i + 1]
      // `\*`, `\?` and `\\` escape; a backslash before anything else (or at the end) is literal.
      if (next === "*" || next === "?" || next === "\\") {
        pushLit(parts, next)
        i++
      } else pushLit(parts, "\\")
    } else pushLit(parts, c)
  }
  return { parts }
}

export const hasWildcards = (s: SigmaString): boolean => s.parts.some((p) => "wild" in p)

/** The text of a string without wildcards (callers check `hasWildcards` first). */
export const plainText = (s: SigmaString): string => s.parts.map((p) => ("lit" in p ? p.lit : p.wild)).join("")

/** `contains` / `startswith` / `endswith`: add `*` at the ends, unless one is already there. */
export function pad(s: SigmaString, start: boolean, end: boolean): SigmaString {
  const parts = [...s.parts]
  const first = parts[0]
  const last = parts[parts.length - 1]
  if (start && !(first && "wild" in first && first.wild === "*")) parts.unshift({ wild: "*" })
  if (end && !(last && "wild" in last && last.wild === "*")) parts.push({ wild: "*" })
  return { ...s, parts }
}

/** The five characters pySigma's windash substitutes for a leading `-` or `/`. */
export const WINDASH_CHARS = ["-", "/", "\u2013", "\u2014", "\u2015"] as const

/** Upper bound on windash variants per value: five choices per position grow fast. */
const MAX_WINDASH_VARIANTS = 625

/**
 * `windash`: every `-` or `/` that starts an option (`\B[-/]\b`) in the literal runs, replaced by
 * each of the five dash characters; all combinations.
 */
export function windash(s: SigmaString): SigmaString[] {
  const slots: Array<{ part: number; at: number }> = []
  s.parts.forEach((p, i) => {
    if (!("lit" in p)) return
    for (const m of p.lit.matchAll(/\B[-/]\b/g)) slots.push({ part: i, at: m.index })
  })
  if (slots.length === 0) return [s]
  const total = WINDASH_CHARS.length ** slots.length
  if (total > MAX_WINDASH_VARIANTS) return [s]
  const out: SigmaString[] = []
  for (let n = 0; n < total; n++) {
    const lits = s.parts.map((p) => ("lit" in p ? p.lit.split("") : null))
    let k = n
    // Last slot varies fastest, so variant 0 is the value as written.
    for (let j = slots.length - 1; j >= 0; j--) {
      const slot = slots[j] as { part: number; at: number }
      const chars = lits[slot.part] as string[]
      chars[slot.at] = WINDASH_CHARS[k % WINDASH_CHARS.length] as string
      k = Math.floor(k / WINDASH_CHARS.length)
    }
    out.push({ ...s, parts: s.parts.map((p, i) => ("lit" in p ? { lit: (lits[i] as string[]).join("") } : p)) })
  }
  return out
}

/** Bytes of a text: UTF-8, or the chars themselves when already re-encoded by `wide`. */
function toBytes(text: string, alreadyBytes: boolean): number[] {
  if (alreadyBytes) return [...text].map((c) => c.charCodeAt(0) & 0xff)
  return [...new TextEncoder().encode(text)]
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

/** Standard Base64 with padding, over raw bytes (no btoa: it is not in every runtime we target). */
export function base64(bytes: number[]): string {
  let out = ""
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] as number
    const b = bytes[i + 1]
    const c = bytes[i + 2]
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0)
    out += B64[(n >> 18) & 63]
    out += B64[(n >> 12) & 63]
    out += b === undefined ? "=" : B64[(n >> 6) & 63]
    out += c === undefined ? "=" : B64[n & 63]
  }
  return out
}

/** `base64`: the value's bytes Base64-encoded. */
export function base64Value(text: string, bytes: boolean): string {
  return base64(toBytes(text, bytes))
}

/**
 * `base64offset`: the three encodings that find the text at any byte offset inside a larger
 * Base64 blob.
 */
export function base64Offsets(text: string, bytes: boolean): string[] {
  const data = toBytes(text, bytes)
  const START = [0, 2, 3]
  const END = [0, 3, 2]
  return [0, 1, 2].map((k) => {
    const enc = base64([...new Array<number>(k).fill(0x20), ...data])
    const cut = END[(data.length + k) % 3] as number
    return enc.slice(START[k], cut === 0 ? enc.length : enc.length - cut)
  })
}

/** `wide` / `utf16le`, `utf16be`, `utf16` (LE with a byte-order mark): one char per byte. */
export function utf16(text: string, mode: "le" | "be" | "bom"): string {
  let out = mode === "bom" ? "\xff\xfe" : ""
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i)
    const lo = String.fromCharCode(u & 0xff)
    const hi = String.fromCharCode(u >> 8)
    out += mode === "be" ? hi + lo : lo + hi
  }
  return out
}

/** Escape text for an RE2 pattern. */
export function reQuote(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, (c) => `\\${c}`)
}

/** An anchored RE2 source for a Sigma string (used when `?` or a literal `*` rules out globs). */
export function toRegexSource(s: SigmaString, cased: boolean): string {
  const body = s.parts.map((p) => ("lit" in p ? reQuote(p.lit) : p.wild === "*" ? ".*" : ".")).join("")
  return `(?s${cased ? "" : "i"})^${body}$`
}

/**
 * The string as a search-language glob (`*` the only wildcard), or null when it cannot be one:
 * a `?` wildcard, or a literal `*` that a glob would read as a wildcard.
 */
export function toGlob(s: SigmaString): string | null {
  let out = ""
  for (const p of s.parts) {
    if ("wild" in p) {
      if (p.wild === "?") return null
      out += "*"
    } else {
      if (p.lit.includes("*")) return null
      out += p.lit
    }
  }
  return out
}
