/**
 * Tokenizer for the eval/where expression language.
 *
 * Owns: eval tokens — numbers, double-quoted strings (unescaped as in the search language), single-quoted
 * field names, identifiers, operators and punctuation.
 *
 * Invariants:
 * - Double quotes make string literals; single quotes make field names (never strings).
 * - Identifiers may contain `.`, `{}`, `:` and `@` so JSON/data-model names such as
 *   `Processes.process` read as one field (the documented `.` concatenation operator needs
 *   spaces around it here).
 * - Never throws: an unexpected character becomes an 'error' token for the parser to report.
 *
 * Must never import: React, Next, Node built-ins.
 */
import { skipQuoted, unescapeSpl } from "./text.ts"

export type EvalToken =
  | { t: "num"; v: string; pos: number }
  | { t: "str"; v: string; pos: number }
  | { t: "field"; v: string; pos: number }
  | { t: "ident"; v: string; pos: number }
  | { t: "op"; v: string; pos: number }
  | { t: "error"; v: string; pos: number }

const OPS = ["==", "!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", "%", ".", "(", ")", ","]

export function tokenizeEval(text: string): EvalToken[] {
  const out: EvalToken[] = []
  let i = 0
  while (i < text.length) {
    const ch = text[i] as string
    if (/\s/.test(ch)) {
      i++
      continue
    }
    const pos = i
    if (ch === '"') {
      i = skipQuoted(text, i)
      const body = text.slice(pos + 1, text[i - 1] === '"' && i - 1 > pos ? i - 1 : i)
      out.push({ t: "str", v: unescapeSpl(body), pos })
      continue
    }
    if (ch === "'") {
      const end = text.indexOf("'", i + 1)
      i = end < 0 ? text.length : end + 1
      out.push({ t: "field", v: text.slice(pos + 1, end < 0 ? text.length : end), pos })
      continue
    }
    const num = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i))
    if (num && !/[A-Za-z_]/.test(text[i + num[0].length] ?? "")) {
      out.push({ t: "num", v: num[0], pos })
      i += num[0].length
      continue
    }
    const id = /^[A-Za-z_@$][\w.{}:@$]*/.exec(text.slice(i)) ?? /^\d[\w.{}:@$]*/.exec(text.slice(i))
    if (id) {
      // A trailing `.` belongs to the concatenation operator, not the name.
      const name = id[0].replace(/\.+$/, "")
      out.push({ t: "ident", v: name, pos })
      i += name.length
      continue
    }
    const op = OPS.find((o) => text.startsWith(o, i))
    if (op) {
      out.push({ t: "op", v: op, pos })
      i += op.length
      continue
    }
    out.push({ t: "error", v: ch, pos })
    i++
  }
  return out
}
