/**
 * Property tests (fast-check): on random events the fast path gives the reference path's report,
 * and the readers of pasted text throw nothing but their own parse error.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"

import { loadCatalog } from "../catalog/load.node.ts"
import { EventParseError } from "../events/errors.ts"
import { parseEvents } from "../events/read.ts"
import { leaves, type Event } from "../predicate/index.ts"
import { buildProcessEvents } from "./event.ts"
import { compileCatalog, matchEvent, matchEventReference, type MatchReport } from "./match.ts"

const detections = loadCatalog({ roots: ["content"] }).detections
const compiled = compileCatalog(detections)

/** Fields and literal values the catalog's rules test: random events built from them reach real rules. */
const fields = new Set<string>(["EventID", "Channel", "CommandLine", "Image", "process", "process_name"])
const values = new Set<string>(["1", "4688", "Microsoft-Windows-Sysmon/Operational", "Security"])
for (const d of detections) {
  if (!d.analysis) continue
  for (const l of leaves(d.analysis.predicate)) {
    if ("field" in l) fields.add(l.field)
    if ("value" in l && typeof l.value === "string") values.add(l.value.replace(/\*/g, ""))
    if ("values" in l) for (const v of l.values) values.add(v.replace(/\*/g, ""))
  }
}

const value = fc.oneof(
  fc.constantFrom(...values),
  fc
    .tuple(fc.constantFrom(...values), fc.string({ maxLength: 6 }), fc.constantFrom(...values))
    .map(([a, b, c]) => `${a}${b}${c}`),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: 0, max: 5000 }).map(String),
)
const event: fc.Arbitrary<Event> = fc.dictionary(fc.constantFrom(...fields), value, { minKeys: 1, maxKeys: 8 })

/** Everything but timings: the report as JSON. */
const same = (r: MatchReport) => JSON.parse(JSON.stringify(r)) as unknown

describe("fast path ≡ reference path on random inputs", () => {
  it("pasted events", () => {
    fc.assert(
      fc.property(event, (e) => {
        expect(same(matchEvent(compiled, { event: e }))).toEqual(same(matchEventReference(compiled, { event: e })))
      }),
      { numRuns: 150 },
    )
  })
  it("command lines", () => {
    const cmd = fc
      .tuple(
        fc.constantFrom("wmic", "cmd.exe /c", "powershell -enc", "certutil", "reg add", "C:\\x\\y.exe"),
        fc.array(value, { maxLength: 4 }),
      )
      .map(([head, rest]) => [head, ...rest].join(" "))
    fc.assert(
      fc.property(cmd, fc.option(value, { nil: undefined }), (c, parent) => {
        if (c.trim() === "") return
        const built = buildProcessEvents(parent === undefined || parent.trim() === "" ? { cmd: c } : { cmd: c, parent })
        expect(same(matchEvent(compiled, { built }))).toEqual(same(matchEventReference(compiled, { built })))
      }),
      { numRuns: 100 },
    )
  })
})

describe("readers throw only EventParseError", () => {
  const reads = (text: string) => {
    try {
      parseEvents(text)
    } catch (e) {
      if (!(e instanceof EventParseError)) throw e
    }
  }
  it("on any text", () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), reads), { numRuns: 500 })
  })
  it("on JSON-looking text", () => {
    const json = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v))
    const mangled = fc
      .tuple(json, fc.nat(), fc.string({ maxLength: 3 }))
      .map(([t, at, s]) => t.slice(0, at % (t.length + 1)) + s + t.slice(at % (t.length + 1)))
    fc.assert(fc.property(fc.oneof(json, mangled), reads), { numRuns: 500 })
  })
  it("on XML-looking text", () => {
    const piece = fc.constantFrom(
      "<Event>",
      "</Event>",
      "<System>",
      "</System>",
      "<EventData>",
      "</EventData>",
      '<Data Name="x">',
      "</Data>",
      "&amp;",
      "&#0;",
      "&#x41;",
      "&bogus;",
      "<![CDATA[",
      "]]>",
      "<!--",
      "-->",
      "<a/>",
      "text",
      '"',
      "<",
    )
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 20 }).map((p) => p.join("")),
        reads,
      ),
      { numRuns: 500 },
    )
  })
})
