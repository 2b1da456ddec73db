import { existsSync } from "node:fs"

import { afterEach, describe, expect, it } from "vitest"

import { loadCatalog } from "../catalog/load.node.ts"
import { addAddOnFields, addOnTable, installAddOnTable, installedAddOnTable } from "./addon.ts"
import { buildProcessEvents } from "./process.ts"
import { EVENT_SHAPE_DEFS } from "./shapes.ts"

const CORPUS = "../shared/corpora/security_content"
const sc = {
  cmd: "sc.exe create upd binPath= C:\\Users\\Public\\u.exe",
  parent: "cmd.exe",
  user: "CORP\\bob",
  host: "ws-7",
}

describe("add-on fields from the data sources", () => {
  const content = loadCatalog({ roots: ["content"] })
  const table = installedAddOnTable()
  afterEach(() => installAddOnTable(table))

  it("gives the raw Sysmon 1 and 4688 shapes the fields their data sources map", () => {
    const b = buildProcessEvents(sc)
    expect(b.shapes.sysmon).toMatchObject({
      Image: "C:\\Windows\\System32\\sc.exe",
      process_name: "sc.exe",
      process_path: "C:\\Windows\\System32\\sc.exe",
      process: sc.cmd,
      original_file_name: "sc.exe",
      parent_process_name: "cmd.exe",
      parent_process_path: "C:\\Windows\\System32\\cmd.exe",
      parent_process: "cmd.exe",
      user: "CORP\\bob",
      dest: "ws-7",
    })
    expect(b.shapes.security4688).toMatchObject({ process_name: "sc.exe", process: sc.cmd, dest: "ws-7" })
    // The data source lists these, but no mapping says how they are derived: left absent.
    for (const f of ["process_exec", "action", "vendor_product"]) expect(b.shapes.sysmon).not.toHaveProperty(f)
    const gaps = addOnTable(EVENT_SHAPE_DEFS, content.dataSources).gaps
    expect(gaps).toContainEqual(expect.objectContaining({ shape: "sysmon", field: "process_exec" }))
    expect(gaps).toContainEqual(expect.objectContaining({ shape: "sysmon", field: "process_guid" }))
  })

  it("is data: the table comes from the data source files, and without one a built event is raw", () => {
    expect(table.sysmon?.dataSource).toBe("Sysmon EventID 1")
    expect(table.sysmon?.rows).toContainEqual({ field: "process_name", from: "Image", basename: true })
    installAddOnTable({})
    expect(buildProcessEvents(sc).shapes.sysmon).not.toHaveProperty("process_name")
    // A field the data source does not list among its fields is not added, whatever its mapping says.
    const ds = content.dataSources.find((d) => d.name === "Sysmon EventID 1")!
    const fewer = addOnTable(EVENT_SHAPE_DEFS, [{ ...ds, fields: ds.fields.filter((f) => f !== "process_name") }])
    expect(fewer.table.sysmon?.rows.map((r) => r.field)).not.toContain("process_name")
    expect(fewer.gaps).toContainEqual(
      expect.objectContaining({ field: "process_name", why: expect.stringMatching(/not among/) }),
    )
  })

  it("never overwrites a field the event has", () => {
    const e = addAddOnFields("sysmon", { Image: "C:\\a\\b.exe", process_name: "given.exe" }, table)
    expect(e.process_name).toBe("given.exe")
    expect(e.process_path).toBe("C:\\a\\b.exe")
  })

  it.skipIf(!existsSync(CORPUS))("reads security_content's own data sources as written", () => {
    const corpus = loadCatalog({ roots: [CORPUS] })
    const { table: t, gaps } = addOnTable(EVENT_SHAPE_DEFS, corpus.dataSources)
    expect(t.sysmon?.rows.map((r) => r.field)).toEqual(
      expect.arrayContaining(["process_name", "process", "process_path", "original_file_name", "user", "dest"]),
    )
    // Its 4688 file maps user from SubjectUserSid, which a built event does not carry.
    expect(t.security4688?.rows.map((r) => r.field)).not.toContain("user")
    expect(gaps).toContainEqual(expect.objectContaining({ shape: "security4688", field: "user" }))
  })
})
