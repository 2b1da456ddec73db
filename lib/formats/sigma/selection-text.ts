/**
 * A search identifier written back as YAML (`selection:` and its fields), as the rule page and the
 * search index show it: exactly js-yaml's `dump({ [name]: value }, { lineWidth: -1, noRefs: true })`
 * without its final newline, written here for the common case because js-yaml's general writer
 * was a tenth of the catalog load (it weighs every character of every scalar for five styles).
 *
 * Owns: block mappings and sequences at js-yaml's default indentation, integers, booleans, null,
 * and strings of printable ASCII on one line, which js-yaml writes plain or single-quoted. Anything
 * else anywhere in the value (other numbers, line breaks, other characters, keys over 1,024
 * characters) hands the whole value to js-yaml. A corpus test holds the two equal on every
 * selection of SigmaHQ.
 * Invariants: pure; never throws on a value read from YAML.
 * Never imports: React, Next, Node built-ins.
 */
import jsyaml from "js-yaml"

/** js-yaml quotes these for YAML 1.1 readers (its `noCompatMode: false` default). */
const YAML11_BOOLEANS = new Set([
  "y",
  "Y",
  "yes",
  "Yes",
  "YES",
  "on",
  "On",
  "ON",
  "n",
  "N",
  "no",
  "No",
  "NO",
  "off",
  "Off",
  "OFF",
])
const YAML11_BASE60 = /^[-+]?[0-9_]+(?::[0-9_]+)+(?:\.[0-9_]*)?$/

/** The implicit types of js-yaml's default schema: a plain string one of them resolves is quoted. */
const IMPLICIT = (jsyaml.DEFAULT_SCHEMA as unknown as { compiledImplicit: Array<{ resolve: (s: string) => boolean }> })
  .compiledImplicit

/** Printable ASCII, no tab and no line break: js-yaml writes such a string plain or single-quoted. */
const ONE_LINE_ASCII = /^[\x20-\x7e]*$/

/** Characters that may not open a plain scalar (YAML's indicators and white space). */
const NOT_FIRST = new Set([..."-?:,[]{}#&*!|>'\"%@`= "])

/** Thrown inside the writer when a value needs js-yaml's general writer. */
class Fallback extends Error {}

/** Whether js-yaml writes this one-line ASCII string without quotes. */
function plain(s: string): boolean {
  const last = s[s.length - 1]!
  if (NOT_FIRST.has(s[0]!) || last === " " || last === ":") return false
  if (s.includes(": ") || s.includes(" #")) return false
  for (const t of IMPLICIT) if (t.resolve(s)) return false
  return true
}

function scalar(s: string): string {
  if (!ONE_LINE_ASCII.test(s)) throw new Fallback()
  if (s === "") return "''"
  if (YAML11_BOOLEANS.has(s) || YAML11_BASE60.test(s)) return `'${s}'`
  return plain(s) ? s : `'${s.replace(/'/g, "''")}'`
}

const nextLine = (level: number) => `\n${"  ".repeat(level)}`

/** js-yaml's writeNode in block context, for the values this module handles. */
function node(value: unknown, level: number, compact: boolean): string {
  if (typeof value === "string") return scalar(value)
  if (value === null) return "null"
  if (typeof value === "boolean") return value ? "true" : "false"
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value) || Object.is(value, -0)) throw new Fallback()
    return String(value)
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]"
    let out = ""
    for (const item of value) {
      if (item === undefined) throw new Fallback()
      const dump = node(item, level + 1, true)
      if (!compact || out !== "") out += nextLine(level)
      out += dump.charCodeAt(0) === 10 ? `-${dump}` : `- ${dump}`
    }
    return out
  }
  if (typeof value === "object") {
    const keys = Object.keys(value)
    if (keys.length === 0) return "{}"
    let out = ""
    for (const key of keys) {
      const item = (value as Record<string, unknown>)[key]
      const keyDump = scalar(key)
      // A longer key is written as an explicit `? key` pair.
      if (item === undefined || keyDump.length > 1024) throw new Fallback()
      if (!compact || out !== "") out += nextLine(level)
      const dump = node(item, level + 1, false)
      out += `${keyDump}${dump.charCodeAt(0) === 10 ? ":" : ": "}${dump}`
    }
    return out
  }
  throw new Fallback()
}

/** `name:` and its value as YAML, as js-yaml writes it (no final newline). */
export function selectionText(name: string, value: unknown): string {
  try {
    return node({ [name]: value }, 0, true)
  } catch (e) {
    if (!(e instanceof Fallback)) throw e
    return jsyaml.dump({ [name]: value }, { lineWidth: -1, noRefs: true }).trimEnd()
  }
}
