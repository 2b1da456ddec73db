/**
 * YAML reading with positions: text in, a plain value plus `path:line:column` diagnostics out.
 *
 * Owns: the choice of parser (`yaml`, which keeps source ranges), duplicate-key and
 * multi-document rejection, the one repair contentctl users rely on (see `repairColumnOneQuotes`),
 * and mapping a key path back to a line and column for schema errors.
 * Invariants: never throws on any input text; a file that cannot be read yields `value: undefined`
 * and at least one error diagnostic.
 * Never imports: React, Next, Node built-ins.
 */
import { isMap, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from "yaml"

import type { Diagnostic } from "./types.ts"

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
  return parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false }) as Document.Parsed[]
}

/** Parse one YAML file that must hold exactly one mapping. */
export function parseYamlFile(path: string, text: string): ParsedYaml {
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
          diag(path, repaired.repairedLines[0] ?? 0, 1, "warning", "yaml-repaired",
            "multi-line single-quoted string continues at column 1; PyYAML accepts this, strict YAML does not — indent the continuation lines"),
        )
      }
    }
  }
  for (const doc of docs) {
    for (const err of doc.errors) {
      const pos = err.linePos?.[0] ?? lineCounter.linePos(err.pos[0])
      const code = err.code === "DUPLICATE_KEY" ? "duplicate-key" : "yaml-syntax"
      diagnostics.push(diag(path, pos.line, pos.col, "error", code, firstLine(err.message)))
    }
  }
  if (diagnostics.some((d) => d.severity === "error")) return none
  if (docs.length !== 1) {
    const second = docs[1]
    const pos = second?.range ? lineCounter.linePos(second.range[0]) : { line: 0, col: 0 }
    diagnostics.push(diag(path, pos.line, pos.col, "error", "multiple-documents",
      `expected one YAML document, found ${docs.length}`))
    return none
  }
  const doc = docs[0] as Document.Parsed
  let value: unknown
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (e) {
    diagnostics.push(diag(path, 0, 0, "error", "yaml-aliases", `cannot expand YAML: ${firstLine(String((e as Error).message))}`))
    return none
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    diagnostics.push(diag(path, 1, 1, "error", "not-a-mapping", "expected a mapping of keys to values at the top level"))
    return none
  }
  const position = (keyPath: ReadonlyArray<string | number>) => {
    for (let n = keyPath.length; n >= 0; n--) {
      const node = nodeAt(doc, keyPath.slice(0, n))
      if (node?.range) {
        const p = lineCounter.linePos(node.range[0])
        return { line: p.line, column: p.col }
      }
    }
    return { line: 1, column: 1 }
  }
  return { value, diagnostics, position }
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

export function firstLine(message: string): string {
  return (message.split("\n")[0] ?? message).trim()
}
