import { describe, expect, it } from "vitest"
import { formatPredicate, indicators } from "../../../predicate/index.ts"
import { analyzeSpl, compileRule, evaluateRule, macroMap, matchRule, type MacroDef } from "./index.ts"

const macros = macroMap([
  {
    name: "security_content_summariesonly",
    arguments: [],
    definition: "summariesonly=`so` allow_old_summaries=true fillnull_value=`fn`",
  },
  { name: "so", arguments: [], definition: "false" },
  { name: "fn", arguments: [], definition: "null" },
  {
    name: "process_wmic",
    arguments: [],
    definition: "(Processes.process_name=wmic.exe OR Processes.original_file_name=wmic.exe)",
  },
  {
    name: "security_content_ctime",
    arguments: ["field"],
    definition: 'convert timeformat="%Y-%m-%dT%H:%M:%S" ctime($field$)',
  },
  {
    name: "powershell",
    arguments: [],
    definition:
      '(source=WinEventLog:Microsoft-Windows-PowerShell/Operational OR source="XmlWinEventLog:Microsoft-Windows-PowerShell/Operational")',
  },
  { name: "wineventlog_system", arguments: [], definition: "eventtype=wineventlog_system" },
  { name: "with_lookup", arguments: [], definition: "lookup ut_shannon_lookup word as domain | where ut_shannon > 4" },
] satisfies MacroDef[])

const WMI =
  '| tstats `security_content_summariesonly` count min(_time) as firstTime max(_time) as lastTime from datamodel=Endpoint.Processes where `process_wmic` (Processes.process="*/node:*" AND Processes.process="*process*" AND Processes.process="*call*" AND Processes.process="*create*") by Processes.action Processes.dest Processes.user Processes.process_name Processes.process | `drop_dm_object_name(Processes)` | `security_content_ctime(firstTime)` | `security_content_ctime(lastTime)` | `wmi_rule_filter`'

describe("worked example: WMI remote process (tstats)", () => {
  const a = analyzeSpl(WMI, macros)
  const rule = compileRule(a)
  it("splits after expansion into five stages with their macros", () => {
    expect(a.stages.map((s) => s.command)).toEqual(["tstats", "rename", "convert", "convert", "search"])
    expect(a.stages[0]?.macros).toContain("process_wmic")
    expect(a.stages[1]?.macros).toEqual(["drop_dm_object_name"])
    expect(a.datamodel).toMatchObject({ name: "Endpoint.Processes", prefixes: ["Processes"], fillnull: true })
    expect(a.evaluability).toMatchObject({ evaluable: true, reasons: [], requires: [] })
    expect(a.parse.firstStage).toBe("full")
    expect(a.macroCalls.find((c) => c.name === "wmi_rule_filter")?.status).toBe("filter")
  })
  it("reads event fields without the data-model prefix and attributes macro leaves", () => {
    const l = indicators(a.predicate)
    expect(l[0]).toMatchObject({ field: "process_name", kind: "eq", value: "wmic.exe" })
    expect(JSON.stringify(a.predicate)).toContain('"macro":"process_wmic"')
  })
  it("matches the Sysmon-mapped event and BY fields missing are immune (fillnull_value)", () => {
    const ev = {
      process_name: "WMIC.exe",
      original_file_name: "wmic.exe",
      process: 'wmic /node:10.1.1.5 process call create "cmd.exe /c whoami"',
    }
    expect(evaluateRule(rule, ev).matched).toBe(true)
    expect(matchRule(rule, { "Processes.process_name": "WMIC.exe", "Processes.process": ev.process })).toBe(true)
    expect(evaluateRule(rule, { ...ev, process: "wmic process call create calc.exe" }).matched).toBe(false)
  })
})

describe("worked example: PowerShell 4104 raw search with stats BY", () => {
  const a = analyzeSpl(
    '`powershell` EventCode=4104 (ScriptBlockText="*Invoke-Command*" AND ScriptBlockText="*-ComputerName*") | stats count min(_time) as firstTime max(_time) as lastTime by EventCode ScriptBlockText Computer user_id | `security_content_ctime(firstTime)` | `ps_filter`',
    macros,
  )
  const rule = compileRule(a)
  const ev = {
    source: "XmlWinEventLog:Microsoft-Windows-PowerShell/Operational",
    EventCode: "4104",
    ScriptBlockText: "invoke-command -computername srv1 {whoami}",
    Computer: "ws01",
  }
  it("records the BY fields Splunk requires", () => {
    expect(a.evaluability.requires).toEqual(["EventCode", "ScriptBlockText", "Computer", "user_id"])
    expect(a.evaluability.notes.some((n) => n.construct === "stats-by")).toBe(true)
  })
  it("predicates match but stats drops the event without user_id", () => {
    const r = evaluateRule(rule, ev)
    expect(r.matched).toBe(false)
    expect(r.stages[0]?.result).toBe(true)
    expect(r.reasons.join()).toContain("BY field user_id is null")
    expect(evaluateRule(rule, { ...ev, user_id: "S-1-5-21" }).matched).toBe(true)
  })
  it("metadata leaves are unknown when the event lacks them, unless asserted", () => {
    const { source: _s, ...noSource } = { ...ev, user_id: "x" }
    expect(evaluateRule(rule, noSource).matched).toBe("unknown")
    expect(evaluateRule(rule, noSource, { metadata: "assume" }).matched).toBe(true)
  })
})

describe("where like after tstats", () => {
  const a = analyzeSpl(
    '| tstats count from datamodel=Endpoint.Processes by Processes.process_exec Processes.dest | `drop_dm_object_name(Processes)` | where like(process_exec, "%wmic%")',
    macros,
  )
  it("like is case-sensitive while tstats WHERE is not", () => {
    const rule = compileRule(a)
    expect(evaluateRule(rule, { process_exec: "WMIC.exe", dest: "h" }).matched).toBe(false)
    expect(evaluateRule(rule, { process_exec: "wmic.exe", dest: "h" }).matched).toBe(true)
  })
  it("without fillnull_value the tstats BY fields are required", () => {
    expect(a.evaluability.requires).toEqual(["process_exec", "dest"])
    expect(formatPredicate(a.predicate)).toBe('like(process_exec, "%wmic%")')
  })
})

describe("evaluability verdicts", () => {
  const verdict = (s: string) => analyzeSpl(s, macros).evaluability
  const constructs = (s: string) => verdict(s).reasons.map((r) => r.construct)
  it("labels thresholds on aggregates", () => {
    expect(constructs("a=1 | stats count by host | where count > 10")).toEqual(["count-threshold"])
    expect(constructs("a=1 | stats dc(dest) as dc_dest by src | search dc_dest < 10")).toEqual(["count-threshold"])
    expect(verdict("a=1 | stats values(b) as bs by host | search bs=x").evaluable).toBe(true)
  })
  it("labels multi-event, join, lookup, ML, GeoIP and non-event commands", () => {
    expect(constructs("a=1 | eventstats count by b | where count > 5")).toEqual(["eventstats"])
    expect(constructs("a=1 | transaction host")).toEqual(["transaction"])
    expect(constructs("a=1 | join host [search b=2]")).toEqual(["join"])
    expect(constructs("a=1 | append [search b=2]")).toEqual(["append"])
    expect(constructs("a=1 | `with_lookup`")).toEqual(["lookup"])
    expect(constructs("a=1 | apply my_model")).toEqual(["ml"])
    expect(constructs("a=1 | iplocation src | search Country=US")).toEqual(["iplocation"])
    expect(constructs("| mstats avg(x) WHERE index=m")).toEqual(["mstats"])
    expect(constructs("| inputlookup foo.csv")).toEqual(["inputlookup"])
    expect(constructs("| from datamodel Risk.All_Risk | search a=1")).toEqual(["from"])
    expect(verdict("a=1 | apply m | lookup x y").category).toBe("ml")
  })
  it("labels subsearches and unresolved macros in the first stage; a mandatory eventtype is a note", () => {
    expect(constructs("a=1 [search b=2]")).toEqual(["subsearch"])
    expect(constructs("a=1 `nope(1)`")).toEqual(["unresolved-macro"])
    expect(constructs("`wineventlog_system` EventCode=7040")).toEqual([])
    expect(verdict("`wineventlog_system` EventCode=7040").notes.map((n) => n.construct)).toContain("eventtype")
    expect(verdict("eventtype=x OR Channel=security EventCode=1").evaluable).toBe(true)
  })
  it("labels unsupported commands and regexes; passes transforms", () => {
    expect(constructs("a=1 | addtotals")).toEqual(["unsupported-command"])
    expect(constructs('a=1 | regex process="a(?=b)"')).toEqual(["regex-unsupported"])
    expect(
      verdict("a=1 | rename a as b | table b | fillnull | dedup b | sort b | eval c=1 | bin _time span=1h").evaluable,
    ).toBe(true)
  })
  it("labels filters on eval-computed fields instead of guessing", () => {
    expect(constructs('a=1 | eval x=ut_shannon(b) | where x="y"')).toEqual(["derived-field"])
    expect(verdict('a=1 | eval x=ut_shannon(b) | where x="y"').decidable).toBe(true)
    expect(verdict('a=1 | eval user=UserName | where user="bob"').evaluable).toBe(true)
  })
  it("decides filters on eval/rex results by running the pipeline on the event", () => {
    const a = analyzeSpl('a=1 | eval x=lower(b) | rex field=c "(?<d>\\d+)" | where x="y" AND d > 5', macros)
    expect(a.evaluability.evaluable).toBe(true)
    expect(a.rowPlan?.steps.map((s) => s.k)).toEqual(["first", "eval", "rex", "where"])
    expect(a.evaluability.notes.map((n) => n.construct)).toContain("derived-field")
  })
  it("an enriching stage nothing after which drops the event does not block the verdict", () => {
    const v = verdict("a=1 | eventstats count by b | table a b count")
    expect(v.evaluable).toBe(true)
    expect(v.notes.map((n) => n.construct)).toContain("eventstats")
    expect(verdict("a=1 | lookup nope x OUTPUT y | search y=1").evaluable).toBe(false)
    expect(verdict("a=1 | lookup nope x OUTPUT y").evaluable).toBe(true)
  })
  it("notes free text that needs _raw", () => {
    const v = verdict('EventCode=7040 "disabled"')
    expect(v.evaluable).toBe(true)
    expect(v.notes.map((n) => n.construct)).toContain("raw-text")
  })
})

describe("nulls filled by earlier stages", () => {
  it("tstats fillnull_value=null makes a missing BY field read as the text null", () => {
    const a = analyzeSpl(
      '| tstats `security_content_summariesonly` count from datamodel=Endpoint.Processes where Processes.process_name=x.exe by Processes.user | `drop_dm_object_name(Processes)` | where isnull(user) OR user="null"',
      macros,
    )
    const rule = compileRule(a)
    const r = evaluateRule(rule, { process_name: "x.exe" })
    expect(r.matched).toBe(true)
    expect(r.stages[2]?.leaves.map((l) => l.held)).toEqual([false, true])
  })
  it("fillnull with a field list satisfies a later stats BY", () => {
    const a = analyzeSpl("a=1 | fillnull value=NA user | stats count by user host", macros)
    expect(a.evaluability.requires).toEqual(["host"])
  })
})

describe("later stages", () => {
  it("regex field!= keeps events that do not match", () => {
    const rule = compileRule(analyzeSpl('a=1 | regex process!="(?i)evil\\\\d"', macros))
    expect(evaluateRule(rule, { a: "1", process: "EVIL7" }).matched).toBe(false)
    expect(evaluateRule(rule, { a: "1", process: "good" }).matched).toBe(true)
    expect(evaluateRule(rule, { a: "1" }).matched).toBe(true)
  })
  it("renames are undone so every stage reads event fields", () => {
    const a = analyzeSpl("a=1 | rename process_name as pn | search pn=cmd.exe", macros)
    const leaf = indicators(a.predicate).find((i) => i.value === "cmd.exe")
    expect(leaf?.field).toBe("process_name")
  })
  it("a macro that contains pipes adds stages", () => {
    const a = analyzeSpl("x=1 | `with_lookup`", macros)
    expect(a.stages.map((s) => s.command)).toEqual(["search", "lookup", "where"])
  })
  it("the analysis is JSON-serialisable", () => {
    const a = analyzeSpl(WMI, macros)
    expect(JSON.parse(JSON.stringify(a))).toEqual(a)
  })
})

describe("quoted drop_dm_object_name object", () => {
  it("maps later fields back to the data-model fields", () => {
    const a = analyzeSpl(
      '| tstats count from datamodel=Network_Traffic where All_Traffic.dest_port=445 by All_Traffic.src | `drop_dm_object_name("All_Traffic")` | search src=10.*',
      macros,
    )
    expect(indicators(a.predicate).map((i) => `${i.field} ${i.kind} ${i.value}`)).toEqual([
      "dest_port eq 445",
      "src startswith 10.",
    ])
  })
})
