/**
 * Tokeniser for Elastic's EQL query text.
 *
 * Owns: splitting an EQL query into tokens with their offsets, including EQL's string escapes,
 * raw `"""` strings, backtick-quoted field names, `?field` and `~` suffixes, and comments.
 *
 * Invariants:
 * - Works on the TOML-decoded query text: TOML escapes are already applied; this applies only
 *   EQL's own (`\n`, `\r`, `\t`, `\\`, `\"`, `\'`, `\u{XXXX}`).
 * - Never throws anything but `QueryError`, which carries the offset of the offending character.
 *
 * Never imports: React, Next, Node built-ins.
 */

export class QueryError extends Error {
  readonly offset: number
  constructor(message: string, offset: number) {
    super(message)
    this.offset = offset
  }
}

export type TokenKind = "ident" | "string" | "number" | "op" | "eof"

export type Token = {
  kind: TokenKind
  /** Identifier or operator text, the unescaped string value, or the number text. */
  text: string
  offset: number
  /** Identifiers: written as `?field` (optional field). */
  optional?: boolean
  /** Identifiers: written in backticks (always a field name, never a keyword). */
  quoted?: boolean
  /** Strings: written as a raw `"""…"""` string. */
  raw?: boolean
}

const OPS = ["==", "!=", "<=", ">=", "<", ">", ":", "(", ")", "[", "]", ",", "|", "!", "=", "+", "-", "*", "/", "%"]

const isIdentStart = (c: string): boolean => /[A-Za-z_@]/.test(c)
const isIdentChar = (c: string): boolean => /[A-Za-z0-9_.@]/.test(c)

function unescape(body: string, start: number): string {
  let out = ""
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!
    if (c !== "\\") {
      out += c
      continue
    }
    const n = body[++i]
    switch (n) {
      case "n":
        out += "\n"
        break
      case "r":
        out += "\r"
        break
      case "t":
        out += "\t"
        break
      case "\\":
      case '"':
      case "'":
        out += n
        break
      case "u": {
        const m = /^\{([0-9A-Fa-f]{2,8})\}/.exec(body.slice(i + 1))
        if (!m) throw new QueryError("\\u must be followed by {hex digits}", start + i)
        out += String.fromCodePoint(parseInt(m[1]!, 16))
        i += m[0].length
        break
      }
      default:
        throw new QueryError(`unknown escape \\${n ?? ""} in a string`, start + i)
    }
  }
  return out
}

export function tokenize(src: string): Token[] {
  const out: Token[] = []
  let i = 0
  while (i < src.length) {
    const c = src[i]!
    if (/\s/.test(c)) {
      i++
      continue
    }
    if (src.startsWith("/*", i)) {
      const end = src.indexOf("*/", i + 2)
      if (end < 0) throw new QueryError("unterminated /* comment", i)
      i = end + 2
      continue
    }
    if (src.startsWith("//", i)) {
      const end = src.indexOf("\n", i)
      i = end < 0 ? src.length : end + 1
      continue
    }
    if (src.startsWith('"""', i)) {
      const end = src.indexOf('"""', i + 3)
      if (end < 0) throw new QueryError('unterminated raw string """', i)
      out.push({ kind: "string", text: src.slice(i + 3, end), offset: i, raw: true })
      i = end + 3
      continue
    }
    if (c === '"' || c === "'") {
      let j = i + 1
      while (j < src.length && src[j] !== c) {
        if (src[j] === "\n") throw new QueryError("unterminated string", i)
        j += src[j] === "\\" ? 2 : 1
      }
      if (j >= src.length) throw new QueryError("unterminated string", i)
      if (c === "'") throw new QueryError("single-quoted strings are not EQL: use double quotes", i)
      out.push({ kind: "string", text: unescape(src.slice(i + 1, j), i + 1), offset: i })
      i = j + 1
      continue
    }
    if (c === "`") {
      let j = i + 1
      let name = ""
      for (;;) {
        if (j >= src.length) throw new QueryError("unterminated backtick field name", i)
        if (src[j] === "`") {
          if (src[j + 1] === "`") {
            name += "`"
            j += 2
            continue
          }
          break
        }
        name += src[j++]
      }
      out.push({ kind: "ident", text: name, offset: i, quoted: true })
      i = j + 1
      continue
    }
    if (c === "?" && (isIdentStart(src[i + 1] ?? "") || src[i + 1] === "`")) {
      const start = i
      i++
      const [tok, next] = src[i] === "`" ? readBacktick(src, i) : readIdent(src, i)
      out.push({ ...tok, offset: start, optional: true })
      i = next
      continue
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(src.slice(i))!
      out.push({ kind: "number", text: m[0], offset: i })
      i += m[0].length
      continue
    }
    if (isIdentStart(c)) {
      const [tok, next] = readIdent(src, i)
      out.push(tok)
      i = next
      continue
    }
    const op = OPS.find((o) => src.startsWith(o, i))
    if (!op) throw new QueryError(`unexpected character ${JSON.stringify(c)}`, i)
    out.push({ kind: "op", text: op, offset: i })
    i += op.length
  }
  out.push({ kind: "eof", text: "", offset: src.length })
  return out
}

function readIdent(src: string, i: number): [Token, number] {
  let j = i
  let text = ""
  for (;;) {
    const from = j
    while (j < src.length && isIdentChar(src[j]!)) j++
    text += src.slice(from, j)
    // A backtick-quoted segment inside a dotted name: `a.b.`0`.c`.
    if (!(text.endsWith(".") && src[j] === "`")) break
    const end = src.indexOf("`", j + 1)
    if (end < 0) throw new QueryError("unterminated backtick field name", j)
    text += src.slice(j + 1, end)
    j = end + 1
  }
  // `like~`, `regex~`, `in~`, `startsWith~`: the case-insensitive variants.
  if (src[j] === "~") {
    text += "~"
    j++
  }
  return [{ kind: "ident", text, offset: i }, j]
}

function readBacktick(src: string, i: number): [Token, number] {
  const toks = tokenize(src.slice(i, src.indexOf("`", i + 1) + 1))
  const t = toks[0]!
  return [{ ...t, offset: i }, src.indexOf("`", i + 1) + 1]
}
