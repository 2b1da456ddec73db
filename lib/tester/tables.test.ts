import { describe, expect, it } from "vitest"

import { loadCatalog } from "../catalog/load.node.ts"
import { findFormatTesting } from "../formats/testers.ts"
import { compileCatalog, matchEvent } from "./match.ts"
import { buildProcessEvents } from "./event.ts"
import { fromTesterRules, testerRules } from "./rules-data.ts"
import { addTables, tableFiles, tablesWanted } from "./tables.ts"

const RULE = "Remote Support Tool Started On Host"
const TABLE = "atlas_remote_support_tools"

describe("lookup tables shipped apart from the rules", () => {
  const catalog = loadCatalog({ roots: ["content"] })
  const rows = testerRules(catalog.detections)
  const files = tableFiles(rows, catalog.lookupTables ?? {})

  it("ships a table a rule reads, named by its content, and only such tables", () => {
    const info = files.manifest[TABLE]
    expect(info?.file).toMatch(new RegExp(`^table-${TABLE}\\.[0-9a-f]+\\.json$`))
    expect(JSON.parse(files.files.get(info!.file)!)).toMatchObject({ columns: ["process_name", "tool", "deployment"] })
    // No rule row carries table rows: they travel only in their own file.
    expect(JSON.stringify(rows)).not.toContain("ScreenConnect")
    expect(Object.keys(files.manifest).every((n) => n in (catalog.lookupTables ?? {}))).toBe(true)
  })

  it("decides a lookup rule once its table is fetched, and asks for no table when nothing is undecided", () => {
    // The browser's view: rules from the lean rows, no table loaded yet.
    const splunk = findFormatTesting("splunk")!.tester
    const compiled = compileCatalog(fromTesterRules(rows))
    // Start from no table: loading the catalog gave the deciders the content's, dropped here.
    splunk.addTables?.({ [TABLE]: undefined })
    const loaded = new Set<string>()
    const input = { built: buildProcessEvents({ cmd: "AnyDesk.exe --with-connect-id 42" }) }
    const before = matchEvent(compiled, input)
    const u = before.undecided.find((x) => x.name === RULE)
    expect(JSON.stringify(u?.reasons ?? "")).toMatch(new RegExp(`${TABLE} is not loaded`))
    expect(tablesWanted(compiled, [before], files.manifest, loaded)).toEqual([TABLE])
    addTables({ [TABLE]: JSON.parse(files.files.get(files.manifest[TABLE]!.file)!) })
    const after = matchEvent(compiled, input)
    expect(after.fired.map((f) => f.name)).toContain(RULE)
    const other = matchEvent(compiled, { built: buildProcessEvents({ cmd: "notepad.exe a.txt" }) })
    expect(other.fired.map((f) => f.name)).not.toContain(RULE)
    expect(tablesWanted(compiled, [other], files.manifest, loaded)).toEqual([])
  })
})
