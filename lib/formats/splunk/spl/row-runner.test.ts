import { describe, expect, it } from "vitest"
import { analyzeSpl } from "./analyze.ts"
import { macroMap } from "./macros.ts"
import { compileRowPlan, runRows, type LookupTable, type RunOptions } from "./row-runner.ts"

const macros = macroMap([
  { name: "drop_dm_object_name", arguments: ["object"], definition: "rename $object$.* AS *" },
  { name: "security_content_ctime", arguments: ["field"], definition: 'convert timeformat="%Y-%m-%dT%H:%M:%S" ctime($field$)' },
])

function run(spl: string, event: Record<string, string | string[]>, options: RunOptions = {}, tables: string[] = []) {
  const a = analyzeSpl(spl, macros, { lookupTable: (n) => tables.includes(n) })
  if (!a.rowPlan) throw new Error(`no plan: ${a.evaluability.reasons.map((r) => r.message).join("; ")}`)
  return runRows(compileRowPlan(a.rowPlan, a.stages[0]?.predicate), event, options)
}

const OBFUSCATION =
  '| tstats count min(_time) as firstTime from datamodel=Endpoint.Processes where Processes.process_name=powershell.exe by Processes.dest Processes.process | `drop_dm_object_name(Processes)` | `security_content_ctime(firstTime)` | eval num_obfuscation = (mvcount(split(process,"`"))-1) + (mvcount(split(process, "^"))-1) | search num_obfuscation > 10'

const SINGLE_LETTER =
  '| tstats count from datamodel=Endpoint.Processes by Processes.dest Processes.process_name Processes.process | `drop_dm_object_name(Processes)` | eval process_name_length = len(process_name), endExe = if(substr(process_name, -4) == ".exe", 1, 0) | search process_name_length=5 AND endExe=1'

describe("row runner", () => {
  it("counts obfuscation characters computed by eval (tstats rule)", () => {
    const heavy = { process_name: "powershell.exe", dest: "ws-1", process: "p.exe -c I`E`X`(`N`e`w`-`O`b`j`e`c`t)", _time: "1700000000" }
    const r = run(OBFUSCATION, heavy)
    expect(r.verdict).toBe(true)
    expect(r.rows[0]?.num_obfuscation).toBe("13")
    expect(r.rows[0]?.firstTime).toBe("2023-11-14T22:13:20")
    expect(run(OBFUSCATION, { ...heavy, process: "powershell -c Get-Date" }).verdict).toBe(false)
  })
  it("single-letter process names: len() and substr() computed by eval", () => {
    expect(run(SINGLE_LETTER, { process_name: "a.exe", dest: "d", process: "a.exe" }).verdict).toBe(true)
    expect(run(SINGLE_LETTER, { process_name: "reg.exe", dest: "d", process: "reg save HKLM\\SAM x" }).verdict).toBe(false)
  })
  it("rex extracts named groups (RE2), max_match makes multivalues; no match leaves the row", () => {
    const spl = 'a=1 | rex field=cmd "(?<user>\\\\w+)@(?P<domain>[\\\\w.]+)" max_match=0 | where mvcount(user) >= 2'
    expect(run(spl, { a: "1", cmd: "x bob@corp.example y eve@corp.example" }).rows[0]?.user).toEqual(["bob", "eve"])
    expect(run(spl, { a: "1", cmd: "nobody" }).verdict).toBe(false)
    expect(run('a=1 | rex field=cmd "(?<x>z+)" | where isnull(x)', { a: "1", cmd: "aaa" }).verdict).toBe(true)
  })
  it("rex mode=sed rewrites the field", () => {
    const spl = 'a=1 | rex field=p mode=sed "s/\\\\d+/N/g" | where p="aNbN"'
    expect(run(spl, { a: "1", p: "a12b3" }).verdict).toBe(true)
    const first = 'a=1 | rex field=p mode=sed "s/x/y/" | where p="yx"'
    expect(run(first, { a: "1", p: "xx" }).verdict).toBe(true)
  })
  it("rename with wildcards, fillnull, fields", () => {
    const spl = 'a=1 | rename src_* AS s_* | fillnull value=none user | eval t=s_ip . ":" . user | search t="10.0.0.1:none"'
    const r = run(spl, { a: "1", src_ip: "10.0.0.1" })
    expect(r.verdict).toBe(true)
    expect(r.rows[0]).toMatchObject({ s_ip: "10.0.0.1", user: "none" })
    expect(r.rows[0]?.src_ip).toBeUndefined()
  })
  it("spath on a JSON field, with a path and without", () => {
    const json = JSON.stringify({ a: { b: [{ c: "x" }, { c: "y" }] }, n: 3 })
    expect(run('k=1 | spath input=body path=a.b{}.c output=cs | where mvcount(cs)=2', { k: "1", body: json }).verdict).toBe(true)
    const all = run('k=1 | spath input=body | eval m = n * 2 | where m > 4', { k: "1", body: json })
    expect(all.verdict).toBe(true)
    expect(all.rows[0]?.["a.b{}.c"]).toEqual(["x", "y"])
    expect(run('k=1 | spath input=body | eval m = n * 2 | where m > 4', { k: "1", body: "not json" }).verdict).toBe(false)
  })
  it("makemv and mvexpand: one row per value, any row passing fires", () => {
    const spl = 'k=1 | makemv delim="," ports | mvexpand ports | eval p = tonumber(ports) | where p > 1000'
    const r = run(spl, { k: "1", ports: "22,8443,80" })
    expect(r.verdict).toBe(true)
    expect(r.rows.map((x) => x.ports)).toEqual(["8443"])
    expect(run(spl, { k: "1", ports: "22,80" }).verdict).toBe(false)
  })
  it("lookup against a loaded table (wildcards, case-insensitive), undecided without it", () => {
    const table: LookupTable = {
      columns: ["tool", "risky"],
      rows: [
        ["anydesk*", "true"],
        ["teamviewer.exe", "true"],
      ],
      wildcard: ["tool"],
      caseSensitive: false,
    }
    const spl = 'k=1 | lookup remote_tools tool AS process_name OUTPUT risky | where risky="true"'
    const lookups = (n: string) => (n === "remote_tools" ? table : undefined)
    expect(run(spl, { k: "1", process_name: "AnyDesk.exe" }, { lookups }, ["remote_tools"]).verdict).toBe(true)
    expect(run(spl, { k: "1", process_name: "notepad.exe" }, { lookups }, ["remote_tools"]).verdict).toBe(false)
    const none = run(spl, { k: "1", process_name: "AnyDesk.exe" }, {}, ["remote_tools"])
    expect(none.verdict).toBe("unknown")
    expect(none.reason).toMatch(/remote_tools is not loaded/)
  })
  it("where over computed values, now() from the fixed clock, and the first stage decides first", () => {
    const spl = 'k=1 | eval age = now() - t | where age < 3600 AND match(cmd, "(?i)invoke")'
    expect(run(spl, { k: "1", t: "1000", cmd: "Invoke-X" }, { now: 2000 }).verdict).toBe(true)
    expect(run(spl, { k: "1", t: "1000", cmd: "Invoke-X" }, { now: 9000 }).verdict).toBe(false)
    expect(run(spl, { k: "2", t: "1000", cmd: "Invoke-X" }, { now: 2000 }).verdict).toBe(false)
  })
  it("an unsupported function leaves the verdict open only when a later filter reads it", () => {
    const a = analyzeSpl('k=1 | eval e=ut_entropy(x) | where e > 3', macros)
    expect(a.rowPlan).toBeUndefined()
    expect(a.evaluability.decidable).toBe(true)
  })
  it("an enriching stage nothing after it reads is skipped; the rest decides", () => {
    const spl = "k=1 | eventstats count by host | iplocation src | search c=2"
    const a = analyzeSpl(spl, macros)
    expect(a.evaluability.evaluable).toBe(true)
    expect(run(spl, { k: "1", c: "2", host: "h" }).verdict).toBe(true)
    expect(run(spl, { k: "1", c: "3", host: "h" }).verdict).toBe(false)
    expect(analyzeSpl("k=1 | eventstats count by host | search count > 2", macros).evaluability.evaluable).toBe(false)
  })
  it("replace rewrites values with wildcards, in the listed fields", () => {
    const spl = 'k=1 | replace "%%8448" WITH "Success removed", "x*" WITH "y*" IN change, other | eval z=change . "/" . other | search z="Success removed/yab"'
    expect(run(spl, { k: "1", change: "%%8448", other: "xab" }).verdict).toBe(true)
  })
  it("stream mode stops at the first stage that combines events, with the rows that reach it", () => {
    const spl = 'k=1 | eval u=lower(user) | stats count by u | where count >= 10'
    const a = analyzeSpl(spl, macros)
    // The threshold is over many events: no single-event plan, but the hunt can still use one.
    expect(a.evaluability.category).toBe("aggregation")
  })
})

describe("foreach over the event's own fields", () => {
  it("runs one eval per matching field, <<FIELD>> standing for its name", () => {
    const spl =
      "type=EXECVE | eval rel=\"\" | foreach a* [eval rel=if(type=\"EXECVE\", mvappend(rel, '<<FIELD>>'), rel)] | eval cmd=trim(mvjoin(rel, \" \")) | where like(cmd, \"%base64 -d%\")"
    const a = analyzeSpl(spl, macros)
    expect(a.evaluability.evaluable).toBe(true)
    const r = run(spl, { type: "EXECVE", a0: "base64", a1: "-d", a2: "payload.b64" })
    expect(r.verdict).toBe(true)
    expect(r.rows[0]?.cmd).toBe("base64 -d payload.b64")
    expect(run(spl, { type: "EXECVE", a0: "ls", a1: "-la" }).verdict).toBe(false)
  })
})
