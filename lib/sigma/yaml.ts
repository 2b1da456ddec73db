/**
 * Sigma YAML reading: multi-document files, duplicate keys rejected, and the conservative scalar
 * resolution that reproduces PyYAML on the corpus (spec sigma.md §1.1).
 *
 * Owns: the int-tag override (only plain decimal integers become numbers, so `00000429` stays
 * the string Sigma authors meant), per-document values with a position lookup, and YAML errors
 * as positioned diagnostics. Invariants: never throws on any text; dates stay strings (the 1.2
 * core schema has no timestamp type).
 * Never imports: React, Next, Node built-ins.
 */
import { LineCounter, parseAllDocuments, type Document, type ScalarTag } from "yaml"

import { firstLine, nodeAt } from "../catalog/yaml.ts"
import type { Diagnostic } from "../catalog/types.ts"

const MAX_ALIAS_COUNT = 1_000
const INT_TAG = "tag:yaml.org,2002:int"

/** The one int tag: plain decimal only; octal-looking, hex and `1_000` spellings stay strings. */
const strictInt: ScalarTag = {
  identify: (v) => typeof v === "number" && Number.isInteger(v),
  default: true,
  tag: INT_TAG,
  test: /^[-+]?(0|[1-9][0-9]*)$/,
  resolve: (s) => Number.parseInt(s, 10),
}

export interface SigmaDocument {
  /** 0-based index within the file. */
  index: number
  value: unknown
  /** 1-based line and column of the node at `keyPath` (or its nearest existing ancestor). */
  position: (keyPath: ReadonlyArray<string | number>) => { line: number; column: number }
}

export interface SigmaYaml {
  documents: SigmaDocument[]
  diagnostics: Diagnostic[]
}

/** Parse every document of a Sigma file; any YAML error rejects the whole file. */
export function parseSigmaYaml(path: string, text: string): SigmaYaml {
  const diagnostics: Diagnostic[] = []
  const lineCounter = new LineCounter()
  const docs = parseAllDocuments(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    customTags: (tags) => [...tags.filter((t) => (t as ScalarTag).tag !== INT_TAG), strictInt],
  }) as Document.Parsed[]
  for (const doc of docs) {
    for (const err of doc.errors) {
      const pos = err.linePos?.[0] ?? lineCounter.linePos(err.pos[0])
      const code = err.code === "DUPLICATE_KEY" ? "duplicate-key" : "yaml-syntax"
      diagnostics.push({ path, line: pos.line, column: pos.col, severity: "error", code, message: firstLine(err.message) })
    }
  }
  if (diagnostics.length > 0) return { documents: [], diagnostics }
  const documents: SigmaDocument[] = []
  docs.forEach((doc, index) => {
    // A trailing `---` leaves an empty document behind; it holds nothing to load.
    if (doc.contents === null) return
    let value: unknown
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
    } catch (e) {
      diagnostics.push({ path, line: 0, column: 0, severity: "error", code: "yaml-aliases", message: `cannot expand YAML: ${firstLine(String((e as Error).message))}` })
      return
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
    documents.push({ index, value, position })
  })
  if (documents.length === 0 && diagnostics.length === 0) diagnostics.push({ path, line: 0, column: 0, severity: "error", code: "empty-file", message: "file holds no YAML document" })
  return { documents, diagnostics }
}

/** Cheap check on raw text: does this YAML look like a Sigma rule (or correlation) document? */
export function looksLikeSigma(text: string): boolean {
  return (/^detection:/m.test(text) && /^logsource:/m.test(text)) || (/^correlation:/m.test(text) && /^title:/m.test(text))
}
