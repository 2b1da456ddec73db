import { gunzipSync, gzipSync } from "node:zlib"

import { describe, expect, it } from "vitest"

import { loadCatalog } from "../catalog/load.node.ts"
import { indexCatalog } from "../catalog/views.ts"
import { buildSearchIds, buildSearchIndex, type SearchData } from "./build-index.ts"
import { buildSearchHead, headData, type SearchHead } from "./head.ts"
import { loadSearchIndex, loadSteps } from "./load-index.ts"
import { runSearch } from "./run.ts"
import { contentHash } from "./term-cache.ts"

const content = indexCatalog(loadCatalog({ roots: ["content"] }))
const text = JSON.stringify(await buildSearchIndex(content))
const data = JSON.parse(text) as SearchData
const whole = loadSearchIndex(JSON.parse(text) as SearchData, buildSearchIds(content))
// As the worker receives it: gzipped in the file, inflated, parsed.
const shipped = gzipSync(JSON.stringify(buildSearchHead(data, await contentHash(text))))
const head = JSON.parse(gunzipSync(shipped).toString("utf8")) as SearchHead
const first = loadSearchIndex(headData(head))

/** Single words people start with: names, techniques, formats, types. */
const TERMS = ["winrs", "wmic", "powershell", "windows", "t1047", "certutil", "remote", "sigma", "process", "w", "p"]

describe("the first part of the search index", () => {
  it("names the whole index's text by its SHA-256 and keeps the rule order", async () => {
    expect(head.full).toBe(await contentHash(text))
    expect(head.full).toMatch(/^[0-9a-f]{64}$/)
    expect(first.data.rules.map((r) => [r.name, r.format, r.type, r.status, r.domain, r.techniques])).toEqual(
      whole.data.rules.map((r) => [r.name, r.format, r.type, r.status, r.domain, r.techniques]),
    )
    expect(first.data.techniqueNames).toEqual(whole.data.techniqueNames)
  })

  it("is a fraction of the whole index shipped", () => {
    expect(shipped.length).toBeLessThan(gzipSync(text).length / 3)
  })

  it("carries no slug, text or indicator it does not need", () => {
    for (const r of first.data.rules) {
      expect([r.slug, r.description, r.path, r.author, r.id]).toEqual(["", "", "", "", ""])
      expect([r.indicators, r.tactics, r.dataSources, r.macros, r.stories]).toEqual([[], [], [], [], []])
    }
    expect(first.data.indicators).toEqual([])
  })

  it("finds what the whole index finds by name first, in the same order, for a single term", () => {
    let named = 0
    for (const term of TERMS) {
      const early = runSearch(first, term, {}, 8).hits
      const full = runSearch(whole, term, {}, 8).hits
      const byName = early.filter((h) => h.reasons[0]?.field === "name")
      named += byName.length
      expect(byName.length, term).toBe(full.filter((h) => h.reasons[0]?.field === "name").length)
      expect(
        byName.map((h) => [h.rule, h.name, h.score, h.reasons]),
        term,
      ).toEqual(full.slice(0, byName.length).map((h) => [h.rule, h.name, h.score, h.reasons]))
    }
    expect(named).toBeGreaterThan(20)
  })

  it("finds a rule by technique id or name", () => {
    const t1047 = runSearch(first, "T1047", {}, 50)
    expect(t1047.total).toBeGreaterThan(0)
    expect(t1047.hits.every((h) => h.techniques.some((t) => t.startsWith("T1047")))).toBe(true)
    expect(runSearch(first, "instrumentation", {}, 50).total).toBe(t1047.total)
  })

  it("rejects a head of another version", () => {
    expect(() => headData({ ...head, version: head.version + 1 })).toThrow(/version/)
  })
})

describe("loading the whole index a step at a time", () => {
  it("pauses between steps and ends with what loadSearchIndex makes", () => {
    const steps = loadSteps(JSON.parse(text) as SearchData, buildSearchIds(content))
    let pauses = 0
    let next = steps.next()
    while (!next.done) {
      pauses++
      next = steps.next()
    }
    expect(pauses).toBeGreaterThanOrEqual(10)
    for (const q of [...TERMS, "indicator:/node:", "format:sigma technique:T1047", "mimikats"])
      expect(runSearch(next.value, q, {}, 20), q).toEqual(runSearch(whole, q, {}, 20))
  })
})
