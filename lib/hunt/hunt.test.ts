/**
 * The hunt over content/ (our own rules): log reading in every accepted shape with positioned
 * errors, the browser payload hunting like the catalog, the exports, and `atlas hunt` itself.
 */
import { spawnSync } from "node:child_process"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gzipSync } from "node:zlib"

import { afterAll, beforeAll, describe, expect, it } from "vitest"

import { loadCatalog } from "../catalog/load.node.ts"
import type { Detection } from "../model/types.ts"
import { huntCsv, huntJsonObject, huntLayer } from "./export.ts"
import { SHAPE_SLOT } from "../tester/compile.ts"
import { compileHunt, Hunter, type HuntReport } from "./hunt.ts"
import { fromHuntPayload, huntPayload } from "./payload.ts"
import { LogReader, type LogError, type LogEvent } from "./read.ts"

const read = (chunks: string[]) => {
  const events: LogEvent[] = []
  const errors: LogError[] = []
  const r = new LogReader(
    (e) => events.push(e),
    (e) => errors.push(e),
  )
  for (const c of chunks) r.feed(c)
  r.end()
  return { events, errors, reading: r.reading }
}

describe("log reading", () => {
  it("JSONL case lines become built process events with their time; lines split across chunks join", () => {
    const line = JSON.stringify({
      time: "2026-01-05T08:00:00Z",
      cmd: "icacls.exe C:\\x /deny Everyone:F",
      user: "CORP\\bob",
      host: "ws-1",
    })
    const { events, errors, reading } = read([line.slice(0, 20), `${line.slice(20)}\n{"cmd": "whoami.exe"}\r\n`])
    expect(reading).toBe("lines")
    expect(errors).toEqual([])
    expect(events).toHaveLength(2)
    expect(events[0]!.time).toBe(1767600000)
    expect(events[0]!.line).toBe(1)
    expect("built" in events[0]!.input && events[0]!.input.built.shapes.cim!.process_name).toBe("icacls.exe")
    expect(events[1]!.time).toBeUndefined()
  })
  it("pasted-event lines, evtx-dumper objects and flat events; the time from the event", () => {
    const evtx = {
      Event: {
        System: {
          EventID: 1,
          TimeCreated: { "#attributes": { SystemTime: "2026-01-05T08:00:01.1234567Z" } },
          Channel: "Microsoft-Windows-Sysmon/Operational",
        },
        EventData: { Image: "C:\\Windows\\System32\\cmd.exe", CommandLine: "cmd.exe /c whoami" },
      },
    }
    const { events, errors } = read([
      `${JSON.stringify(evtx)}\n${JSON.stringify({ event: { CommandLine: "x" }, time: 1767600002 })}\n{"_time": "1767600003", "process_name": "a.exe"}\n`,
    ])
    expect(errors).toEqual([])
    expect(events.map((e) => e.time)).toEqual([expect.closeTo(1767600001.123, 2), 1767600002, 1767600003])
  })
  it("a bad line is reported with its line number and the rest is read", () => {
    const { events, errors } = read(['{"cmd": "a.exe"}\n{"cmd": \n[1]\n{"cmd": "b.exe"}\n'])
    expect(events).toHaveLength(2)
    expect(errors.map((e) => e.line)).toEqual([2, 3])
    expect(errors[0]!.message).toMatch(/not JSON/)
  })
  it("a JSON array of cases, and Windows event XML, are read as documents", () => {
    const arr = read([JSON.stringify([{ cmd: "a.exe", time: "2026-01-05T08:00:00Z" }, { cmd: "b.exe" }], null, 2)])
    expect(arr.reading).toBe("document")
    expect(arr.events).toHaveLength(2)
    expect("built" in arr.events[0]!.input).toBe(true)
    const xml = read([
      '<Events><Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><EventID>4688</EventID><TimeCreated SystemTime="2026-01-05T08:00:00.000Z"/><Channel>Security</Channel></System><EventData><Data Name="NewProcessName">C:\\x\\a.exe</Data></EventData></Event>\n',
      "</Events>\n",
    ])
    expect(xml.errors).toEqual([])
    expect(xml.events).toHaveLength(1)
    expect(xml.events[0]!.time).toBe(1767600000)
  })
  it("broken XML is an error with its line", () => {
    const { errors } = read(["<Event>\n<System>\n</Event>\n"])
    expect(errors).toHaveLength(1)
    expect(errors[0]!.line).toBeGreaterThan(0)
  })
})

let detections: Detection[]
beforeAll(() => {
  detections = loadCatalog({ roots: ["content"] }).detections
})

function huntLines(ds: Detection[], lines: object[]): HuntReport {
  return feed(new Hunter(compileHunt(ds)), lines)
}

function feed(h: Hunter, lines: object[]): HuntReport {
  const r = new LogReader(
    (e) => h.push(e.input, e.time),
    (e) => {
      throw new Error(e.message)
    },
  )
  r.feed(lines.map((l) => JSON.stringify(l)).join("\n"))
  r.end()
  return h.finish()
}

const LOG = [
  { time: "2026-01-05T08:00:00Z", cmd: "vssadmin.exe delete shadows /all /quiet", user: "CORP\\bob", host: "ws-1" },
  { time: "2026-01-05T08:00:05Z", cmd: "notepad.exe a.txt", user: "CORP\\bob", host: "ws-1" },
  {
    time: "2026-01-05T08:01:00Z",
    cmd: "powershell.exe -c whoami",
    parent: "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
    user: "CORP\\eve",
    host: "ws-2",
  },
]

describe("hunting content/", () => {
  it("finds the rules a log fires, with the events behind them", () => {
    const report = huntLines(detections, LOG)
    expect(report.events).toBe(3)
    expect(report.rules.length).toBeGreaterThan(0)
    for (const r of report.rules) {
      expect(r.hits).toBeGreaterThan(0)
      expect(r.events.length).toBeGreaterThan(0)
      expect(r.events.every((i) => i === 0 || i === 2)).toBe(true)
    }
    expect(report.attack.length).toBeGreaterThan(0)
  })
  it("the browser's payload hunts like the catalog", () => {
    const payload = JSON.parse(JSON.stringify(huntPayload(detections, "18.1"))) as ReturnType<typeof huntPayload>
    const a = huntLines(detections, LOG)
    const b = huntLines(fromHuntPayload(payload), LOG)
    const strip = (r: HuntReport) =>
      r.rules.map((x) => ({ id: x.id, hits: x.hits, events: x.events, entities: x.entities, techniques: x.techniques }))
    expect(strip(b)).toEqual(strip(a))
    expect(b.risk).toEqual(a.risk)
  })
  it("exports: JSON with only events and rules at the top, CSV one line per rule, a valid layer", () => {
    const report = huntLines(detections, LOG)
    expect(Object.keys(huntJsonObject(report))).toEqual(["events", "rules"])
    const csv = huntCsv(report).trim().split("\r\n")
    expect(csv).toHaveLength(report.rules.length + 1)
    expect(csv[0]).toBe("id,name,format,mode,hits,events,first,last,entities,techniques")
    const layer = huntLayer(report, "18.1", "x.jsonl")
    expect(layer.techniques.map((t) => t.techniqueID).sort()).toEqual(
      [...new Set(report.rules.flatMap((r) => r.techniques))].sort(),
    )
  })
})

/**
 * Our own Sigma rules the value index cannot key: keywords over every field, emoji in the command
 * line; and regular expressions, keyed by a trigram of the text every match holds (one spelled
 * in capitals and matched case-sensitively, one case-insensitive).
 */
const UNKEYED_SIGMA: Record<string, string> = {
  "re.yml": `title: Shadow Copies Deleted Quietly By Pattern
id: 6f1f6c1e-5d0e-4d57-9a55-0c3b1f1d2a03
status: test
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        CommandLine|re: 'delete\\s+shadows\\s+/all'
    condition: selection
level: high
`,
  "re-i.yml": `title: Word Spawning A Shell By Pattern
id: 6f1f6c1e-5d0e-4d57-9a55-0c3b1f1d2a04
status: test
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        ParentImage|re: '(?i)\\\\WINWORD\\.exe$'
        CommandLine|re: 'WHOAMI'
    condition: selection
level: high
`,
  "kw.yml": `title: Keyword Sweep Of Backup Catalogs
id: 6f1f6c1e-5d0e-4d57-9a55-0c3b1f1d2a01
status: test
logsource:
    category: process_creation
    product: windows
detection:
    keywords:
        - 'wbadmin delete catalog'
        - 'vssadmin.exe delete'
    condition: keywords
level: high
`,
  "emoji.yml": `title: Emoji In A Command Line
id: 6f1f6c1e-5d0e-4d57-9a55-0c3b1f1d2a02
status: test
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        CommandLine|contains:
            - '\u{1F600}'
            - '\u{1F47B}'
    condition: selection
level: medium
`,
}

describe("rules sharing their first stage", () => {
  const WMIC = (i: number, host: string) => ({
    time: `2026-01-05T08:0${i}:00Z`,
    cmd: `wmic.exe /node:10.0.0.${i} process call create "cmd.exe /c whoami"`,
    user: "CORP\\bob",
    host,
  })
  const LOG2 = [WMIC(1, "ws-1"), WMIC(1, "ws-1"), WMIC(2, "ws-2"), LOG[1]!]
  /** The content rule with a `| where count >= 2` of its own after the same tstats. */
  /** The content rule with stages of its own appended after the same tstats. */
  const withStages = (suffix: string, ...texts: string[]): Detection => {
    const a = detections.find((d) => d.name === "WMIC Remote Process Launch")!
    const stages = a.analysis!.stages
    const extra = texts.map((text, k) => {
      const st = { ...stages[stages.length - 1]!, index: stages.length + k, command: text.split(" ")[0]!, text }
      delete (st as { predicate?: unknown }).predicate
      return st
    })
    return {
      ...a,
      id: `${a.id}-${suffix}`,
      name: `${a.name} ${suffix}`,
      analysis: { ...a.analysis!, stages: [...stages, ...extra] },
    } as Detection
  }
  const pair = (): [Detection, Detection] => [
    detections.find((d) => d.name === "WMIC Remote Process Launch")!,
    withStages("twice", "where count >= 2"),
  ]
  it("two rules, one state of the tstats, both answered as each alone", () => {
    const [a, b] = pair()
    const cat = compileHunt([a, b])
    expect(cat.rules[0]!.plan!.shareKey).toBeDefined()
    expect(cat.rules[1]!.leader).toBe(0)
    const hunter = new Hunter(cat)
    expect((hunter as unknown as { heads: Map<number, unknown> }).heads.size).toBe(1)
    const both = feed(hunter, LOG2)
    expect(both.counts.shared).toBe(1)
    const alone = (d: Detection) => huntLines([d], LOG2).rules[0]
    const ra = both.rules.find((r) => r.id === a.id)
    const rb = both.rules.find((r) => r.id === b.id)
    // The content rule: one row per (dest, …) group; the copy keeps only the group with two runs.
    expect(ra?.hits).toBe(2)
    expect(rb?.hits).toBe(1)
    expect(rb?.events).toEqual([0, 1])
    expect(ra).toEqual(alone(a))
    expect(rb).toEqual(alone(b))
  })
  it("a group the later stages drop by its BY values alone is never kept; one they judge by its figures is", () => {
    const groups = (d: Detection) => {
      const cat = compileHunt([d])
      const hunter = new Hunter(cat)
      const heads = (hunter as unknown as { heads: Map<number, { group?: { groups: { size: number } } }> }).heads
      let most = 0
      const r = new LogReader(
        (e) => {
          hunter.push(e.input, e.time)
          most = Math.max(most, heads.get(0)!.group!.groups.size)
        },
        () => {},
      )
      r.feed(LOG2.map((l) => JSON.stringify(l)).join("\n"))
      r.end()
      return { admit: cat.rules[0]!.plan!.admit !== undefined, most, hits: hunter.finish().rules[0]?.hits ?? 0 }
    }
    // `dest` is a BY field: the filter needs no figure, and no group for another host is kept.
    expect(groups(withStages("ws2", 'where dest="ws-2"'))).toEqual({ admit: true, most: 1, hits: 1 })
    expect(groups(withStages("none", "search dest=nowhere"))).toEqual({ admit: true, most: 0, hits: 0 })
    // A filter on a figure, or on a field computed or renamed from one, keeps every group.
    expect(groups(withStages("twice", "where count >= 2"))).toEqual({ admit: false, most: 2, hits: 1 })
    expect(groups(withStages("eval", "eval c=count*1", "where c >= 2"))).toEqual({ admit: false, most: 2, hits: 1 })
    expect(groups(withStages("renamed", "rename count AS runs", "where runs >= 2"))).toEqual({
      admit: false,
      most: 2,
      hits: 1,
    })
  })
})

describe("the hunt's prefilters", () => {
  it("skip only rules that would not fire: the same report as trying every rule on every event", () => {
    const dir = mkdtempSync(join(tmpdir(), "atlas-hunt-sigma-"))
    try {
      mkdirSync(join(dir, "sigma", "windows", "process_creation"), { recursive: true })
      for (const [name, text] of Object.entries(UNKEYED_SIGMA))
        writeFileSync(join(dir, "sigma", "windows", "process_creation", name), text)
      const extra = loadCatalog({ roots: [dir] }).detections
      expect(extra.map((d) => d.name).sort()).toEqual([
        "Emoji In A Command Line",
        "Keyword Sweep Of Backup Catalogs",
        "Shadow Copies Deleted Quietly By Pattern",
        "Word Spawning A Shell By Pattern",
      ])
      const all = [...detections, ...extra]
      const log = [
        ...LOG,
        { time: "2026-01-05T08:02:00Z", cmd: "cmd.exe /c echo \u{1F600} done", user: "CORP\\bob", host: "ws-1" },
        { time: "2026-01-05T08:03:00Z", cmd: "cmd.exe /c echo caf\u00e9", user: "CORP\\bob", host: "ws-1" },
        { time: "2026-01-05T08:04:00Z", cmd: "wbadmin delete catalog -quiet", user: "CORP\\eve", host: "ws-2" },
      ]
      const fast = compileHunt(all)
      expect(fast.rules.find((r) => r.detection.name === "Emoji In A Command Line")!.nonAscii).toBeDefined()
      expect(fast.keywords.grams.size).toBeGreaterThan(0)
      for (const name of ["Shadow Copies Deleted Quietly By Pattern", "Word Spawning A Shell By Pattern"])
        expect(fast.rules.find((r) => r.detection.name === name)!.keyed).toBe(true)
      // Every rule tried on every event its shapes and gates admit: no key, keyword or ASCII test.
      const every = compileHunt(all)
      for (const r of every.rules) delete r.nonAscii
      every.keys.clear()
      every.keyByName.clear()
      every.keywords.grams.clear()
      every.keywords.built.fill(false)
      every.keywords.pasted.fill(false)
      for (const [shape, slot] of SHAPE_SLOT) {
        every.unkeyed.built[slot] = every.rules.flatMap((r, i) => (r.shapes.includes(shape) ? [i] : []))
        every.unkeyed.pasted[slot] = every.rules.flatMap((r, i) => (r.format.tester.pastedShape === shape ? [i] : []))
      }
      const run = (cat: ReturnType<typeof compileHunt>) => {
        const h = new Hunter(cat)
        const r = new LogReader(
          (e) => h.push(e.input, e.time),
          (e) => {
            throw new Error(e.message)
          },
        )
        r.feed(log.map((l) => JSON.stringify(l)).join("\n"))
        r.end()
        return h.finish()
      }
      const a = run(fast)
      const b = run(every)
      expect(a.rules.map((r) => [r.name, r.hits, r.events, r.undecided])).toEqual(
        b.rules.map((r) => [r.name, r.hits, r.events, r.undecided]),
      )
      expect(a.counts).toEqual(b.counts)
      expect(a.rules.find((r) => r.name === "Emoji In A Command Line")?.events).toEqual([3])
      expect(a.rules.find((r) => r.name === "Keyword Sweep Of Backup Catalogs")?.events).toEqual([0, 5])
      expect(a.rules.find((r) => r.name === "Shadow Copies Deleted Quietly By Pattern")?.events).toEqual([0])
      // `WHOAMI` is case-sensitive: the lower-case command line does not match it.
      expect(a.rules.find((r) => r.name === "Word Spawning A Shell By Pattern")).toBeUndefined()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe("remembered verdicts", () => {
  it("a log repeating its events gives the same report as evaluating every rule on every event", () => {
    const lines = Array.from({ length: 60 }, (_, i) => ({
      ...LOG[i % LOG.length]!,
      time: new Date(Date.parse("2026-01-05T08:00:00Z") + i * 1000).toISOString(),
      host: `ws-${i % 4}`,
    }))
    const run = (memo: boolean) => {
      const h = new Hunter(compileHunt(detections), { memo })
      const r = new LogReader(
        (e) => h.push(e.input, e.time),
        (e) => {
          throw new Error(e.message)
        },
      )
      r.feed(lines.map((l) => JSON.stringify(l)).join("\n"))
      r.end()
      return h.finish()
    }
    const a = run(true)
    expect(a.rules.length).toBeGreaterThan(0)
    expect(huntJsonObject(a)).toEqual(huntJsonObject(run(false)))
    expect(a.counts).toEqual(run(false).counts)
  })
})

describe("atlas hunt", () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "atlas-hunt-cli-"))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const atlas = (args: string[], input?: string) =>
    spawnSync("npx", ["tsx", "lib/cli.ts", "hunt", ...args, "--content", "content"], { encoding: "utf8", input })

  it("--json prints {events, rules} with the rules that have hits; .gz and stdin read the same", () => {
    const text = `${LOG.map((l) => JSON.stringify(l)).join("\n")}\n`
    writeFileSync(join(dir, "log.jsonl.gz"), gzipSync(text))
    const fromGz = atlas([join(dir, "log.jsonl.gz"), "--json"])
    expect(fromGz.status, fromGz.stderr).toBe(0)
    const out = JSON.parse(fromGz.stdout) as {
      events: number
      rules: Array<{ id: string; name: string; format: string; hits: number; events: number[] }>
    }
    expect(Object.keys(out)).toEqual(["events", "rules"])
    expect(out.events).toBe(3)
    expect(out.rules.length).toBeGreaterThan(0)
    expect(out.rules[0]).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        name: expect.any(String),
        format: expect.any(String),
        hits: expect.any(Number),
        events: expect.any(Array),
      }),
    )
    expect(fromGz.stderr).toMatch(/events\/s/)
    const fromStdin = atlas(["-", "--json"], text)
    expect(JSON.parse(fromStdin.stdout)).toEqual(out)
  }, 60_000)
  it("a bad line is reported as file:line and the exit code is 1", () => {
    writeFileSync(join(dir, "bad.jsonl"), `${JSON.stringify(LOG[0])}\n{oops\n`)
    const r = atlas([join(dir, "bad.jsonl")])
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(`${join(dir, "bad.jsonl")}:2: not JSON`)
    expect(r.stdout).toMatch(/1 rule\(s\) with hits|rule\(s\) with hits/)
  }, 60_000)
  it("hunt without a file is a usage error", () => {
    const r = atlas([])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain("hunt needs at least one log file")
  }, 60_000)
})
