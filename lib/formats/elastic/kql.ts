/**
 * KQL (Kibana Query Language, `language = "kuery"`) parsed into the shared predicate.
 *
 * Owns: Kibana's KQL grammar as the rules use it (boolean operators with `not` > `and` > `or`,
 * `field : value`, value lists `field : (a or b and not c)`, ranges, `field : *`, quoted and
 * unquoted values with their escapes) and the meaning of each test for one event.
 *
 * Semantics kept:
 * - No implicit operator: two terms must be joined by `and` / `or` (keywords in any case).
 * - Values match exactly and case-sensitively (ECS keyword and wildcard fields); only an unquoted
 *   `*` is a wildcard, `*` inside quotes is literal; `?` is an ordinary character.
 * - Quoted values: `\\`, `\"`, `\t`, `\r`, `\n`, `\uXXXX` are escapes, any other backslash stays.
 *   Unquoted values: `\` before a special character (`\():<>"*{}`) or a keyword makes it literal;
 *   a lone backslash before anything else is a syntax error.
 * - `field : *` means the field exists; `not` on a missing field is true (Query DSL must_not);
 *   ranges are numeric. Arrays: any element.
 * - Nested queries `field : { … }` and free text without a field become `unknown` leaves.
 *
 * Never imports: React, Next, Node built-ins.
 */
import { and, numberLeaves, or } from "../../predicate/build.ts"
import type { CmpOp, Predicate } from "../../predicate/types.ts"
import { exactLeaf, existsLeaf, notP, quoteRegex, rangeLeaf, unknownLeaf, patternLeaf } from "./leaves.ts"
import { QueryError } from "./lexer.ts"

/** A parsed value: text, and for unquoted values which characters are wildcards. */
type Value = { text: string; quoted: boolean; stars: boolean[] }

const SPECIAL = new Set(["\\", "(", ")", ":", "<", ">", '"', "*", "{", "}"])

class KqlParser {
  i = 0
  readonly src: string
  constructor(src: string) {
    this.src = src
  }

  ws(): void {
    while (this.i < this.src.length && /\s/.test(this.src[this.i]!)) this.i++
  }
  fail(what: string, at = this.i): never {
    const found = at >= this.src.length ? "end of query" : JSON.stringify(this.src.slice(at, at + 12))
    throw new QueryError(`${what}, found ${found}`, at)
  }
  /** Whether the keyword `w` starts at the current position (followed by whitespace or `(`). */
  keyword(w: string): boolean {
    const s = this.src.slice(this.i, this.i + w.length)
    if (s.toLowerCase() !== w) return false
    const after = this.src[this.i + w.length]
    return after !== undefined && (/\s/.test(after) || after === "(")
  }
  eat(c: string): boolean {
    this.ws()
    if (this.src[this.i] === c) {
      this.i++
      return true
    }
    return false
  }

  parse(): Predicate {
    this.ws()
    if (this.i >= this.src.length) return { op: "true" }
    const p = this.or(() => this.not())
    this.ws()
    if (this.i < this.src.length) this.fail("expected and, or, or the end of the query (KQL has no implicit and)")
    return p
  }

  or(term: () => Predicate): Predicate {
    const args = [this.and(term)]
    for (;;) {
      this.ws()
      if (!this.keyword("or")) break
      this.i += 2
      args.push(this.and(term))
    }
    return or(args)
  }
  and(term: () => Predicate): Predicate {
    const args = [term()]
    for (;;) {
      this.ws()
      if (!this.keyword("and")) break
      this.i += 3
      args.push(term())
    }
    return and(args)
  }
  not(): Predicate {
    this.ws()
    if (this.keyword("not")) {
      this.i += 3
      return notP(this.not())
    }
    if (this.eat("(")) {
      const p = this.or(() => this.not())
      if (!this.eat(")")) this.fail('expected ")"')
      return p
    }
    return this.fieldTest()
  }

  fieldTest(): Predicate {
    this.ws()
    const start = this.i
    const name = this.value()
    this.ws()
    const c = this.src[this.i]
    const rangeOp = /^(<=|>=|<|>)/.exec(this.src.slice(this.i))?.[0]
    if (c !== ":" && !rangeOp) {
      if (name.text === "") this.fail("expected a field name")
      return unknownLeaf("kql", "free text without a field is not evaluated", this.src.slice(start, this.i).trim())
    }
    const field = name.text
    if (name.stars.some(Boolean)) {
      this.skipTerm()
      return unknownLeaf("kql", "a wildcard in a field name is not evaluated", this.src.slice(start, this.i).trim())
    }
    if (rangeOp) {
      this.i += rangeOp.length
      this.ws()
      const v = this.value()
      if (v.text === "") this.fail("expected a value after the range operator")
      return rangeLeaf(field, rangeOp as CmpOp, v.text)
    }
    this.i++
    this.ws()
    if (this.src[this.i] === "{") {
      this.skipTerm()
      return unknownLeaf("kql", "nested-field queries are not evaluated", this.src.slice(start, this.i).trim())
    }
    if (this.src[this.i] === "(") {
      this.i++
      const p = this.or(() => this.valueNot(field))
      if (!this.eat(")")) this.fail('expected ")" closing the value list')
      return p
    }
    return this.valueTest(field)
  }

  /** Skip a balanced `{…}` or `(…)` group or a single value (for constructs not evaluated). */
  skipTerm(): void {
    this.ws()
    const open = this.src[this.i]
    if (open === ":") this.i++
    this.ws()
    const o = this.src[this.i]
    if (o === "{" || o === "(") {
      const close = o === "{" ? "}" : ")"
      let depth = 0
      for (; this.i < this.src.length; this.i++) {
        const ch = this.src[this.i]
        if (ch === '"') {
          this.i++
          while (this.i < this.src.length && this.src[this.i] !== '"') this.i += this.src[this.i] === "\\" ? 2 : 1
        } else if (ch === o) depth++
        else if (ch === close && --depth === 0) {
          this.i++
          return
        }
      }
      this.fail(`expected "${close}"`)
    }
    this.value()
  }

  valueNot(field: string): Predicate {
    this.ws()
    if (this.keyword("not")) {
      this.i += 3
      return notP(this.valueNot(field))
    }
    if (this.eat("(")) {
      const p = this.or(() => this.valueNot(field))
      if (!this.eat(")")) this.fail('expected ")"')
      return p
    }
    return this.valueTest(field)
  }

  valueTest(field: string): Predicate {
    this.ws()
    const at = this.i
    const v = this.value()
    if (v.text === "" && !v.quoted) this.fail("expected a value", at)
    if (!v.quoted && v.text === "*" && v.stars[0]) return existsLeaf(field)
    const wild = v.stars.some(Boolean)
    if (!wild) return exactLeaf(field, v.text, false)
    const literalStar = [...v.text].some((ch, k) => ch === "*" && !v.stars[k])
    if (!literalStar) return patternLeaf(field, v.text, false, false)
    const source = [...v.text].map((ch, k) => (ch === "*" && v.stars[k] ? ".*" : quoteRegex(ch))).join("")
    return { op: "regex", id: 0, field, pattern: `(?s)^(?:${source})$`, lang: "search" }
  }

  /** A quoted or unquoted value (or field name) at the cursor. */
  value(): Value {
    this.ws()
    if (this.src[this.i] === '"') return this.quoted()
    let text = ""
    const stars: boolean[] = []
    const push = (s: string, star = false) => {
      for (const ch of s) {
        text += ch
        stars.push(star)
      }
    }
    while (this.i < this.src.length) {
      const ch = this.src[this.i]!
      if (/\s/.test(ch)) {
        // Whitespace belongs to the value unless a keyword or the end of the term follows.
        let j = this.i
        while (j < this.src.length && /\s/.test(this.src[j]!)) j++
        const rest = this.src.slice(j)
        if (
          j >= this.src.length ||
          /^(or|and)(\s|\(|$)/i.test(rest) ||
          /^not(\s|\()/i.test(rest) ||
          (SPECIAL.has(rest[0]!) && rest[0] !== "\\" && rest[0] !== "*")
        )
          break
        push(this.src.slice(this.i, j))
        this.i = j
        continue
      }
      if (ch === "\\") {
        const n = this.src[this.i + 1]
        if (n === undefined) this.fail("a backslash at the end of the query")
        if (SPECIAL.has(n)) push(n)
        else if (n === "t") push("\t")
        else if (n === "r") push("\r")
        else if (n === "n") push("\n")
        else if (n === "u" && /^[0-9A-Fa-f]{4}$/.test(this.src.slice(this.i + 2, this.i + 6))) {
          push(String.fromCharCode(parseInt(this.src.slice(this.i + 2, this.i + 6), 16)))
          this.i += 4
        } else {
          const kw = /^(and|or|not)/i.exec(this.src.slice(this.i + 1))
          if (!kw) this.fail("a backslash before an ordinary character (write \\\\ for a backslash)")
          push(kw[0])
          this.i += kw[0].length - 1
        }
        this.i += 2
        continue
      }
      if (ch === "*") {
        push("*", true)
        this.i++
        continue
      }
      if (SPECIAL.has(ch)) break
      push(ch)
      this.i++
    }
    return { text, quoted: false, stars }
  }

  quoted(): Value {
    const start = this.i
    this.i++
    let text = ""
    while (this.i < this.src.length && this.src[this.i] !== '"') {
      const ch = this.src[this.i]!
      if (ch === "\\") {
        const n = this.src[this.i + 1]
        if (n === "\\" || n === '"') text += n
        else if (n === "t") text += "\t"
        else if (n === "r") text += "\r"
        else if (n === "n") text += "\n"
        else if (n === "u" && /^[0-9A-Fa-f]{4}$/.test(this.src.slice(this.i + 2, this.i + 6))) {
          text += String.fromCharCode(parseInt(this.src.slice(this.i + 2, this.i + 6), 16))
          this.i += 4
        } else {
          text += "\\"
          this.i++
          continue
        }
        this.i += 2
        continue
      }
      text += ch
      this.i++
    }
    if (this.i >= this.src.length) this.fail("unterminated quoted value", start)
    this.i++
    return { text, quoted: true, stars: [...text].map(() => false) }
  }
}

/** Parse one KQL query into a numbered predicate. Throws QueryError with the offset in `src`. */
export function parseKql(src: string): Predicate {
  return numberLeaves(new KqlParser(src).parse())
}
