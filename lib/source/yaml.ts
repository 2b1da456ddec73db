/**
 * YAML reading with positions: text in, a plain value plus `path:line:column` diagnostics out.
 *
 * Owns: the choice of parser, duplicate-key and multi-document rejection, the one repair
 * contentctl users rely on (see `repairColumnOneQuotes`), and mapping a key path back to a line
 * and column for schema errors.
 *
 * Two parsers, one result: js-yaml (core schema) reads the ordinary file about eight times faster
 * than `yaml`, which keeps source ranges. A file takes the fast path only when js-yaml reads it
 * as exactly one mapping with no shared (aliased) collection and it needs no repair; anything
 * else — a syntax error, a duplicate key, several documents, aliases, a repair — goes through
 * `yaml`, whose diagnostics are the reference; so does a file whose keys may be lists or mappings
 * (COLLECTION_KEY_HINT), unless `yaml` refuses what js-yaml read. Positions for schema errors come from `yaml` too,
 * parsed lazily on the first `position` call. corpus tests check both parsers give equal values
 * on every file of both corpora.
 *
 * Invariants: never throws on any input text; a file that cannot be read yields `value: undefined`
 * and at least one error diagnostic.
 * Never imports: React, Next, Node built-ins.
 */
import jsyaml from "js-yaml"
import {
  isCollection,
  isMap,
  isSeq,
  LineCounter,
  parseAllDocuments,
  visit,
  type Document,
  type Node,
  type YAMLError,
} from "yaml"

import type { Diagnostic } from "./diagnostics.ts"

/** Alias expansion cap: a YAML alias bomb must fail fast instead of exhausting memory. */
const MAX_ALIAS_COUNT = 1_000

export interface ParsedYaml {
  value: unknown
  diagnostics: Diagnostic[]
  /** Line and column (1-based) of the node at `keyPath`, or of its nearest existing ancestor. */
  position: (keyPath: ReadonlyArray<string | number>) => { line: number; column: number }
}

function diag(
  path: string,
  line: number,
  column: number,
  severity: Diagnostic["severity"],
  code: string,
  message: string,
): Diagnostic {
  return { path, line, column, severity, code, message }
}

/**
 * PyYAML (and so contentctl) accepts a multi-line single-quoted scalar whose continuation lines
 * start at column 1; `yaml` rejects it as under-indented. Five corpus files rely on this, so the
 * loader indents such lines and keeps a warning rather than dropping the file.
 */
export function repairColumnOneQuotes(text: string): { text: string; repairedLines: number[] } {
  const lines = text.split("\n")
  const repairedLines: number[] = []
  let open = false
  let indent = ""
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ""
    if (!open) {
      const m = /^(\s*)(?:- )?[\w.-]+:\s+'(.*)$/.exec(line)
      if (m && !closesQuote(m[2] ?? "")) {
        open = true
        indent = `${m[1] ?? ""}  `
      }
      continue
    }
    if (line.length > 0 && !/^\s/.test(line)) {
      lines[i] = indent + line
      repairedLines.push(i + 1)
    }
    if (closesQuote(line)) open = false
  }
  return { text: lines.join("\n"), repairedLines }
}

/** True when a single-quoted scalar body closes on this text (`''` is an escaped quote). */
function closesQuote(rest: string): boolean {
  return /(^|[^'])('')*'(\s*(#.*)?)$/.test(rest.replace(/''/g, ""))
}

function parseDocs(text: string, lineCounter: LineCounter): Document.Parsed[] {
  return parseAllDocuments(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    logLevel: "error",
  }) as Document.Parsed[]
}

/**
 * Text that may hold a list or mapping used as a mapping key (`? [a, b]`, `[a]: 1`, `{a: 1}: 2`).
 * Such a key becomes text, and the two parsers write it differently (js-yaml `a,b` and
 * `[object Object]`, `yaml` `[ a, b ]`), so a file js-yaml reads that matches is read again by
 * `yaml`, whose reading and `collectionKeyDiagnostics` warning stand. 3 of the 6,199 corpus files
 * match (log lines quoted in comments and examples), and only pay the second parse.
 */
export const COLLECTION_KEY_HINT = /^[ \t]*(?:- +)*\?(?:[ \t]|$)|[\]}][ \t]*:(?:[ \t]|$)/m

/** One warning per mapping key that is a list or mapping: no field is named so. */
export function collectionKeyDiagnostics(
  path: string,
  text: string,
  doc: Document.Parsed,
  lineCounter: LineCounter,
): Diagnostic[] {
  const out: Diagnostic[] = []
  visit(doc, {
    Pair(_, pair) {
      if (!isCollection(pair.key)) return
      const [start = 0, end = start] = pair.key.range ?? []
      const at = lineCounter.linePos(start)
      const written = text
        .slice(start, Math.min(end, start + 80))
        .replace(/\s+/g, " ")
        .trim()
      out.push(
        diag(
          path,
          at.line,
          at.col,
          "warning",
          "yaml-collection-key",
          `a mapping key here is a ${isSeq(pair.key) ? "list" : "mapping"} (${written}); no field is named so, and it is read as text`,
        ),
      )
    },
  })
  return out
}

/**
 * True when some object or array is reachable twice (a YAML alias to a collection): `yaml` then
 * decides, with its alias cap. Text with no `&` has no anchor, so nothing in it can be shared:
 * the walk over the value is skipped.
 */
export function sharesCollections(value: unknown, text?: string): boolean {
  if (text !== undefined && !text.includes("&")) return false
  const seen = new Set<object>()
  const visit = (v: unknown): boolean => {
    if (v === null || typeof v !== "object") return false
    if (seen.has(v)) return true
    seen.add(v)
    for (const x of Array.isArray(v) ? v : Object.values(v)) if (visit(x)) return true
    return false
  }
  return visit(value)
}

/** js-yaml's reading of a plain single-mapping file, or undefined when `yaml` must decide. */
export function fastYamlValue(text: string): Record<string, unknown> | undefined {
  let docs: unknown[]
  try {
    docs = jsyaml.loadAll(text, undefined, { schema: jsyaml.CORE_SCHEMA, json: false }) as unknown[]
  } catch {
    return undefined
  }
  if (docs.length !== 1) return undefined
  const value = docs[0]
  if (value === null || typeof value !== "object" || Array.isArray(value) || sharesCollections(value, text))
    return undefined
  return value as Record<string, unknown>
}

/** `position` backed by a `yaml` parse made on first use. */
function lazyPosition(text: string): ParsedYaml["position"] {
  let doc: Document.Parsed | undefined
  let lineCounter: LineCounter | undefined
  return (keyPath) => {
    if (!doc || !lineCounter) {
      lineCounter = new LineCounter()
      doc = parseDocs(text, lineCounter)[0]
    }
    return doc && lineCounter ? positionIn(doc, lineCounter, keyPath) : { line: 1, column: 1 }
  }
}

/** Line and column of the node at `keyPath`, or of its nearest existing ancestor. */
export function positionIn(
  doc: Document.Parsed,
  lineCounter: LineCounter,
  keyPath: ReadonlyArray<string | number>,
): { line: number; column: number } {
  for (let n = keyPath.length; n >= 0; n--) {
    const node = nodeAt(doc, keyPath.slice(0, n))
    if (node?.range) {
      const p = lineCounter.linePos(node.range[0])
      return { line: p.line, column: p.col }
    }
  }
  return { line: 1, column: 1 }
}

/** Parse one YAML file that must hold exactly one mapping. */
export function parseYamlFile(path: string, text: string): ParsedYaml {
  const diagnostics: Diagnostic[] = []
  const none: ParsedYaml = { value: undefined, diagnostics, position: () => ({ line: 0, column: 0 }) }
  if (text.trim() === "") {
    diagnostics.push(diag(path, 0, 0, "error", "empty-file", "file is empty"))
    return none
  }
  if (repairColumnOneQuotes(text).repairedLines.length === 0) {
    const fast = fastYamlValue(text)
    if (fast) {
      const fastRead: ParsedYaml = { value: fast, diagnostics, position: lazyPosition(text) }
      if (!COLLECTION_KEY_HINT.test(text)) return fastRead
      // A key may be a list or mapping: `yaml` reads it, with its warning. Where `yaml` refuses a
      // flow collection key that js-yaml (and YAML) allow, js-yaml's reading stands.
      const slow = parseYamlSlow(path, text)
      return slow.diagnostics.some((d) => d.severity === "error") ? fastRead : slow
    }
  }
  return parseYamlSlow(path, text)
}

/** The reference reading with `yaml`: every diagnostic, the repair, alias limits. */
export function parseYamlSlow(path: string, text: string): ParsedYaml {
  const diagnostics: Diagnostic[] = []
  const none: ParsedYaml = { value: undefined, diagnostics, position: () => ({ line: 0, column: 0 }) }
  if (text.trim() === "") {
    diagnostics.push(diag(path, 0, 0, "error", "empty-file", "file is empty"))
    return none
  }
  let lineCounter = new LineCounter()
  let docs = parseDocs(text, lineCounter)
  if (docs.some((d) => d.errors.length > 0)) {
    const repaired = repairColumnOneQuotes(text)
    if (repaired.repairedLines.length > 0) {
      const counter = new LineCounter()
      const retry = parseDocs(repaired.text, counter)
      if (retry.every((d) => d.errors.length === 0)) {
        lineCounter = counter
        docs = retry
        diagnostics.push(
          diag(
            path,
            repaired.repairedLines[0] ?? 0,
            1,
            "warning",
            "yaml-repaired",
            "multi-line single-quoted string continues at column 1; PyYAML accepts this, strict YAML does not — indent the continuation lines",
          ),
        )
      }
    }
  }
  diagnostics.push(
    ...yamlErrorDiagnostics(
      path,
      docs.flatMap((d) => d.errors),
      lineCounter,
    ),
  )
  if (diagnostics.some((d) => d.severity === "error")) return none
  if (docs.length === 0) {
    diagnostics.push(diag(path, 0, 0, "error", "empty-file", "file holds only comments"))
    return none
  }
  if (docs.length !== 1) {
    const second = docs[1]
    const pos = second?.range ? lineCounter.linePos(second.range[0]) : { line: 0, col: 0 }
    diagnostics.push(
      diag(path, pos.line, pos.col, "error", "multiple-documents", `expected one YAML document, found ${docs.length}`),
    )
    return none
  }
  const doc = docs[0] as Document.Parsed
  diagnostics.push(...collectionKeyDiagnostics(path, text, doc, lineCounter))
  let value: unknown
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (e) {
    diagnostics.push(
      diag(path, 0, 0, "error", "yaml-aliases", `cannot expand YAML: ${firstLine(String((e as Error).message))}`),
    )
    return none
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    diagnostics.push(
      diag(path, 1, 1, "error", "not-a-mapping", "expected a mapping of keys to values at the top level"),
    )
    return none
  }
  const counter = lineCounter
  return { value, diagnostics, position: (keyPath) => positionIn(doc, counter, keyPath) }
}

export function nodeAt(doc: Document.Parsed, keyPath: ReadonlyArray<string | number>): Node | undefined {
  if (keyPath.length === 0) return doc.contents ?? undefined
  const parent = keyPath.length === 1 ? doc.contents : doc.getIn(keyPath.slice(0, -1), true)
  const last = keyPath[keyPath.length - 1]
  // Point at the key itself when the value is missing or scalar: that is the line a user edits.
  if (isMap(parent)) {
    const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === last)
    const target = (pair?.value ?? pair?.key) as Node | undefined
    if (target && (isMap(target) || isSeq(target))) return target
    return (pair?.key as Node | undefined) ?? undefined
  }
  if (isSeq(parent) && typeof last === "number") return parent.items[last] as Node | undefined
  return undefined
}

/** YAML errors listed per file; one more diagnostic counts the rest. */
export const MAX_YAML_ERRORS = 20

/**
 * `yaml`'s errors as diagnostics, the first MAX_YAML_ERRORS of them and a count of the rest: a
 * file cut mid-line can cascade into thousands of errors (8,154 for a 300 KB hash list), which
 * help nobody past the first few and cost the build time to record and report.
 */
export function yamlErrorDiagnostics(
  path: string,
  errors: readonly YAMLError[],
  lineCounter: LineCounter,
): Diagnostic[] {
  const out: Diagnostic[] = []
  for (const err of errors.slice(0, MAX_YAML_ERRORS)) {
    const pos = err.linePos?.[0] ?? lineCounter.linePos(err.pos[0])
    const code = err.code === "DUPLICATE_KEY" ? "duplicate-key" : "yaml-syntax"
    out.push(diag(path, pos.line, pos.col, "error", code, firstLine(err.message)))
  }
  const more = errors.length - MAX_YAML_ERRORS
  if (more > 0) {
    const pos = lineCounter.linePos(errors[MAX_YAML_ERRORS]!.pos[0])
    out.push(
      diag(
        path,
        pos.line,
        pos.col,
        "error",
        "yaml-syntax",
        `… and ${more} more YAML error${more === 1 ? "" : "s"} in this file from here on; the first ${MAX_YAML_ERRORS} are listed`,
      ),
    )
  }
  return out
}

export function firstLine(message: string): string {
  return (message.split("\n")[0] ?? message).trim()
}
