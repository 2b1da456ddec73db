import { describe, expect, it } from "vitest"

import { Accumulator, compareValues } from "./aggregate.ts"
import {
  EventStatsStage,
  ResultSink,
  StatsStage,
  StreamStatsStage,
  StepStage,
  binStep,
  type Flow,
  type GroupSpec,
  newStageStats,
  type StageStats,
} from "./pipeline.ts"
import { buildRowPlan } from "../formats/splunk/spl/row-plan.ts"
import type { SplStage } from "../formats/splunk/spl/types.ts"
import { dedupStage, runnerStage, stageFields } from "./rows.ts"
import { compileRowPlan, runRows } from "../formats/splunk/spl/row-runner.ts"
import type { LookupTableData } from "../model/types.ts"
import { floorTime, parseSpan, parseTime } from "./time.ts"

const acc = (fn: string, values: Array<[string | string[] | undefined, number?]>) => {
  const a = new Accumulator(fn)
  for (const [v, t] of values) a.add(v, t)
  return a.result()
}

describe("Splunk statistical functions", () => {
  it("count counts rows; count(x) counts the values of x, nulls excluded, multivalues each", () => {
    expect(acc("count", [["1"], ["1"], ["1"]])).toBe("3")
    expect(acc("count", [["a"], [undefined], [["b", "c"]]])).toBe("3")
  })
  it("dc counts distinct values, case-sensitively", () => {
    expect(acc("dc", [["a"], ["A"], ["a"], [["a", "b"]], [undefined]])).toBe("3")
    expect(acc("dc", [])).toBe("0")
  })
  it("values is distinct and sorted lexicographically (10 before 9); list keeps arrival order", () => {
    expect(acc("values", [["b"], ["a"], ["b"], ["10"], ["9"]])).toEqual(["10", "9", "a", "b"])
    expect(acc("values", [["only"]])).toBe("only")
    expect(acc("values", [[undefined]])).toBeUndefined()
    expect(acc("list", [["b"], ["a"], ["b"]])).toEqual(["b", "a", "b"])
  })
  it("min/max compare numbers numerically and put numbers before text", () => {
    expect(acc("min", [["10"], ["9"], ["100"]])).toBe("9")
    expect(acc("max", [["10"], ["9"], ["100"]])).toBe("100")
    expect(acc("max", [["10"], ["abc"]])).toBe("abc")
    expect(acc("min", [["b"], ["a"]])).toBe("a")
    expect(compareValues("2", "10")).toBeLessThan(0)
  })
  it("min(_time)/max(_time) give the first and last time; earliest/latest the value at them", () => {
    expect(acc("min", [["1700000060"], ["1700000000"]])).toBe("1700000000")
    expect(
      acc("earliest", [
        ["late", 20],
        ["early", 10],
        ["mid", 15],
      ]),
    ).toBe("early")
    expect(
      acc("latest", [
        ["late", 20],
        ["early", 10],
        ["mid", 15],
      ]),
    ).toBe("late")
    expect(
      acc("earliest_time", [
        ["x", 20],
        ["y", 10],
      ]),
    ).toBe("10")
    expect(
      acc("latest_time", [
        ["x", 20],
        ["y", 10],
      ]),
    ).toBe("20")
  })
  it("avg, sum, stdev (sample), stdevp, var over numeric values only", () => {
    const xs: Array<[string]> = [["2"], ["4"], ["4"], ["4"], ["5"], ["5"], ["7"], ["9"], ["text"]]
    expect(acc("avg", xs)).toBe("5")
    expect(acc("sum", xs)).toBe("40")
    expect(Number(acc("stdev", xs))).toBeCloseTo(2.138, 3)
    expect(acc("stdevp", xs)).toBe("2")
    expect(Number(acc("var", xs))).toBeCloseTo(4.571, 3)
    expect(acc("avg", [["a"]])).toBeUndefined()
    expect(acc("stdev", [["3"]])).toBe("0")
  })
  it("range, mode, median and percentiles", () => {
    expect(acc("range", [["3"], ["10"], ["7"]])).toBe("7")
    expect(acc("mode", [["a"], ["b"], ["b"]])).toBe("b")
    expect(acc("median", [["1"], ["3"], ["2"]])).toBe("2")
    expect(acc("p50", [["1"], ["3"], ["2"], ["4"], ["5"]])).toBe("3")
  })
})

describe("time", () => {
  it("reads ISO, epoch seconds and milliseconds, Sysmon UtcTime", () => {
    expect(parseTime("2026-01-05T08:00:00Z")).toBe(1767600000)
    expect(parseTime("2026-01-05 08:00:00.000")).toBe(1767600000)
    expect(parseTime("1767600000")).toBe(1767600000)
    expect(parseTime(1767600000123)).toBeCloseTo(1767600000.123, 3)
    expect(parseTime("not a time")).toBeUndefined()
  })
  it("spans and buckets", () => {
    expect(parseSpan("1m")).toBe(60)
    expect(parseSpan("10m")).toBe(600)
    expect(parseSpan("2h")).toBe(7200)
    expect(parseSpan("1d")).toBe(86400)
    expect(parseSpan("30s")).toBe(30)
    expect(parseSpan("1mon")).toBeUndefined()
    expect(floorTime(125, 60)).toBe(120)
  })
})

const flow = (row: Record<string, string | string[]>, i: number): Flow => ({ row, o: { idx: [i], n: 1 } })
const run = (
  make: (next: ResultSink, stats: StageStats) => { push(f: Flow): void; finish(): void },
  rows: Array<Record<string, string | string[]>>,
) => {
  const sink = new ResultSink()
  const stats: StageStats = newStageStats()
  const stage = make(sink, stats)
  rows.forEach((r, i) => stage.push(flow(r, i)))
  stage.finish()
  return { rows: sink.results.map((f) => f.row), origins: sink.results.map((f) => f.o), stats }
}

describe("stats, eventstats, streamstats", () => {
  const spec: GroupSpec = {
    aggregates: [
      { fn: "count", output: "count" },
      { fn: "dc", arg: "p", output: "n" },
    ],
    by: ["host"],
    label: "stats",
  }
  it("stats: one row per group; a row with a null BY field is dropped; multivalue BY splits", () => {
    const out = run(
      (n, s) => new StatsStage(spec, n, s),
      [{ host: "a", p: "x" }, { host: "a", p: "y" }, { host: "b", p: "x" }, { p: "z" }, { host: ["a", "c"], p: "x" }],
    )
    expect(out.rows).toEqual([
      { host: "a", count: "3", n: "2" },
      { host: "b", count: "1", n: "1" },
      { host: "c", count: "1", n: "1" },
    ])
    expect(out.origins[0]).toEqual({ idx: [0, 1, 4], n: 3 })
  })
  it("each stage has its own group budget: one stage filling its own leaves the others whole, and says why", () => {
    const sink = new ResultSink()
    const stats = newStageStats({ groups: 2, held: 1 })
    const full = new StatsStage(spec, sink, stats)
    ;["a", "b", "c", "a"].forEach((host, i) => full.push(flow({ host, p: "x" }, i)))
    // A second stage with the same limits, fed after the first filled up: it still has its own two groups.
    const otherSink = new ResultSink()
    const otherStats = newStageStats({ groups: 2, held: 1 })
    const other = new StatsStage(spec, otherSink, otherStats)
    ;["x", "y"].forEach((host, i) => other.push(flow({ host, p: "x" }, i)))
    full.finish()
    other.finish()
    expect(sink.results.map((f) => [f.row.host, f.row.count])).toEqual([
      ["a", "2"],
      ["b", "1"],
    ])
    expect(stats.truncated).toEqual(["stats: more than 2 groups; the others were left out"])
    expect(otherSink.results.map((f) => f.row.host)).toEqual(["x", "y"])
    expect(otherStats.truncated).toEqual([])
    const held = new EventStatsStage(spec, new ResultSink(), stats)
    held.push(flow({ host: "a" }, 0))
    held.push(flow({ host: "b" }, 1))
    held.finish()
    expect(stats.truncated).toContain("stats: more than 1 rows held; the others were left out")
  })
  it("tstats fillnull_value: a null BY field reads as the text, the row stays", () => {
    const out = run((n, s) => new StatsStage({ ...spec, fill: "null" }, n, s), [{ p: "x" }])
    expect(out.rows).toEqual([{ host: "null", count: "1", n: "1" }])
  })
  it("BY _time with span groups by the floored time", () => {
    const t = { aggregates: [{ fn: "count", output: "count" }], by: ["_time"], span: 60, label: "tstats" }
    const out = run((n, s) => new StatsStage(t, n, s), [{ _time: "120" }, { _time: "179" }, { _time: "180" }])
    expect(out.rows).toEqual([
      { _time: "120", count: "2" },
      { _time: "180", count: "1" },
    ])
  })
  it("eventstats adds each group's figures to every row, and passes rows with a null BY field untouched", () => {
    const es: GroupSpec = {
      aggregates: [
        { fn: "avg", arg: "c", output: "avg" },
        { fn: "stdev", arg: "c", output: "sd" },
      ],
      by: ["host"],
      label: "eventstats",
    }
    const out = run((n, s) => new EventStatsStage(es, n, s), [{ host: "a", c: "1" }, { host: "a", c: "3" }, { c: "9" }])
    expect(out.rows).toEqual([
      { host: "a", c: "1", avg: "2", sd: String(Math.SQRT2) },
      { host: "a", c: "3", avg: "2", sd: String(Math.SQRT2) },
      { c: "9" },
    ])
  })
  it("streamstats adds the running figures of the row's group", () => {
    const ss: GroupSpec = {
      aggregates: [
        { fn: "count", output: "n" },
        { fn: "sum", arg: "c", output: "total" },
      ],
      by: ["host"],
      label: "streamstats",
    }
    const out = run(
      (n, s) => new StreamStatsStage(ss, n, s),
      [
        { host: "a", c: "1" },
        { host: "b", c: "5" },
        { host: "a", c: "2" },
      ],
    )
    expect(out.rows.map((r) => [r.n, r.total])).toEqual([
      ["1", "1"],
      ["1", "5"],
      ["2", "3"],
    ])
  })
  it("bin floors _time to its span", () => {
    expect(binStep("_time", 300, "_time")({ _time: "1767600299" })).toEqual([{ _time: "1767600000" }])
  })
})

describe("per-row stages", () => {
  /** The stage `cmd body` after a first `search *`, run by the SPL row runner on one row. */
  const stage = (cmd: string, body: string) => {
    const stages = [
      { index: 0, command: "search", text: "*" },
      { index: 1, command: cmd, text: `${cmd}${body}` },
    ] as unknown as SplStage[]
    const plan = buildRowPlan(stages, undefined)!
    return runnerStage(
      plan.steps.filter((s) => s.stage === 1),
      plan.searchmatch,
      undefined,
    )
  }
  const step = (cmd: string, body: string) => {
    const c = cmd === "dedup" ? dedupStage(body) : stage(cmd, body)
    if ("unsupported" in c) throw new Error(c.unsupported)
    return c
  }
  it("eval computes with the interpreter; numbers come out as text", () => {
    expect(step("eval", " n=len(process), big=if(n > 3, 1, 0)")({ process: "abcd" })).toEqual([
      { process: "abcd", n: "4", big: "1" },
    ])
  })
  it("where over computed values, as the outlier rules write it", () => {
    const w = step("where", " maxlen > ((3*stdev) + avg)")
    expect(w({ maxlen: "100", stdev: "10", avg: "50" })).toHaveLength(1)
    expect(w({ maxlen: "70", stdev: "10", avg: "50" })).toHaveLength(0)
  })
  it("where on an aggregate: numeric comparison, null drops", () => {
    const w = step("where", " count >=10")
    expect(w({ count: "10" })).toHaveLength(1)
    expect(w({ count: "9" })).toHaveLength(0)
    expect(w({})).toHaveLength(0)
  })
  it("search after stats: case-insensitive, wildcards", () => {
    const s = step("search", ' isOutlier=1 process_name="ICACLS*"')
    expect(s({ isOutlier: "1", process_name: "icacls.exe" })).toHaveLength(1)
    expect(s({ isOutlier: "0", process_name: "icacls.exe" })).toHaveLength(0)
  })
  it("rename with wildcards drops the data-model prefix", () => {
    expect(step("rename", ' "Processes.*" AS "*"')({ "Processes.dest": "h", count: "1" })).toEqual([
      { dest: "h", count: "1" },
    ])
  })
  it("dedup keeps the first row per value and drops rows without the field", () => {
    const s = step("dedup", " dest")
    expect(
      ([{ dest: "a" }, { dest: "a" }, {}, { dest: "b" }] as Array<Record<string, string>>).flatMap(
        (r) => s(r) as object[],
      ),
    ).toEqual([{ dest: "a" }, { dest: "b" }])
  })
  it("a stage remembers its outcome per row shape and read values: repeats give the same rows, key order kept", () => {
    const stages = [
      { index: 0, command: "search", text: "*" },
      { index: 1, command: "eval", text: 'eval message=if(match(_raw, "INCLUDE"), "hit", "false"), n=len(user)' },
    ] as unknown as SplStage[]
    const plan = buildRowPlan(stages, undefined)!
    const steps = plan.steps.filter((s) => s.stage === 1)
    expect([...(stageFields(steps) ?? [])].sort()).toEqual(["_raw", "message", "n", "user"])
    const memo = runnerStage(steps, plan.searchmatch, undefined)
    if ("unsupported" in memo) throw new Error(memo.unsupported)
    const rows: Array<Record<string, string | string[]>> = [
      { user: "bob", process: "a.exe", _time: "1" },
      { user: "bob", process: "b.exe", _time: "2" },
      { process: "c.exe", user: "bob", _time: "3" },
      { user: "bob", process: ["d.exe"], _time: "4" },
      { user: "alice", process: "e.exe", _raw: "x INCLUDE y", _time: "5" },
      { user: "alice", process: "f.exe", _raw: "x INCLUDE y", _time: "6" },
    ]
    const plain = (row: Record<string, string | string[]>) => {
      const r = runRows(compileRowPlan({ steps }), row, {})
      return r.verdict === true
        ? r.rows.map((x) => JSON.stringify(Object.entries(x).map(([k, v]) => [k, String(v)])))
        : r.verdict
    }
    for (const row of rows) {
      const got = memo(row)
      expect(
        got === "unknown" ? got : got.map((x) => JSON.stringify(Object.entries(x).map(([k, v]) => [k, String(v)]))),
      ).toEqual(plain(row))
    }
    expect(memo(rows[1]!)).toEqual([{ user: "bob", process: "b.exe", _time: "2", message: "false", n: "3" }])
    expect(memo(rows[3]!)).toEqual([{ user: "bob", process: "d.exe", _time: "4", message: "false", n: "3" }])
  })
  it("a stage reading the clock or the whole row is not remembered", () => {
    const steps = (cmd: string, text: string) =>
      buildRowPlan(
        [
          { index: 0, command: "search", text: "*" },
          { index: 1, command: cmd, text },
        ] as unknown as SplStage[],
        undefined,
      )!.steps.filter((s) => s.stage === 1)
    expect(stageFields(steps("eval", "eval t=now()"))).toBeUndefined()
    expect(stageFields(steps("eval", 'eval m=searchmatch("x")'))).toBeUndefined()
    expect(stageFields(steps("search", "search wmic"))).toBeUndefined()
    expect(stageFields(steps("search", "search process_name=wmic.exe"))).toEqual(new Set(["process_name"]))
  })
  it("a lookup stage gives the rows the table gives, remembered per input value", () => {
    const table: LookupTableData = {
      columns: ["name", "bad"],
      rows: [
        ["evil*.exe", "yes"],
        ["calc.exe", "no"],
      ],
      wildcard: ["name"],
    }
    const stages = [
      { index: 0, command: "search", text: "*" },
      { index: 1, command: "lookup", text: "lookup tools name AS process_name OUTPUT bad" },
    ] as unknown as SplStage[]
    const plan = buildRowPlan(stages, undefined)!
    const steps = plan.steps.filter((s) => s.stage === 1)
    const lookups = (n: string) => (n === "tools" ? table : undefined)
    const fn = runnerStage(steps, plan.searchmatch, lookups)
    if ("unsupported" in fn) throw new Error(fn.unsupported)
    const plain = (row: Record<string, string>) => {
      const r = runRows(compileRowPlan({ steps }), row, { lookups })
      return r.rows
    }
    const rows: Array<Record<string, string>> = [
      { process_name: "evil1.exe", dest: "a" },
      { process_name: "evil1.exe", dest: "b" },
      { process_name: "calc.exe", dest: "c", bad: "old" },
      { process_name: "calc.exe", dest: "d" },
      { process_name: "other.exe", dest: "e", bad: "old" },
    ]
    for (const row of rows) expect(fn(row)).toEqual(plain(row))
    expect(fn(rows[1]!)).toEqual([{ process_name: "evil1.exe", dest: "b", bad: "yes" }])
    expect(fn(rows[4]!)).toEqual([{ process_name: "other.exe", dest: "e" }])
  })
  it("an unknown command is reported, not passed", () => {
    expect(stage("transaction", " dest")).toEqual({ unsupported: expect.stringContaining("transaction") })
  })
  it("a filter it cannot decide makes the row undecided", () => {
    const stats: StageStats = newStageStats()
    const sink = new ResultSink()
    new StepStage(() => "unknown", sink, stats).push(flow({}, 0))
    expect(stats.undecided).toBe(1)
    expect(sink.count).toBe(0)
  })
})

describe("finalising _time span= buckets on a log in time order", () => {
  const spec: GroupSpec = {
    aggregates: [{ fn: "count", output: "count" }],
    by: ["_time", "host"],
    span: 60,
    label: "tstats (stage 1)",
  }
  /** A sink that records, for each row it takes, how many rows had been pushed into the stage. */
  const watch = () => {
    const seen: Array<{ at: number; row: Record<string, unknown> }> = []
    let pushed = 0
    const sink = { push: (f: Flow) => seen.push({ at: pushed, row: f.row }), finish: () => {} }
    return { seen, sink, step: () => pushed++ }
  }
  it("emits a bucket once the log is past it by the window, and holds only the recent groups", () => {
    const w = watch()
    const stats = newStageStats({ window: 120, evictAt: 2 })
    const stage = new StatsStage(spec, w.sink, stats)
    // One event a minute for an hour, on two hosts.
    for (let m = 0; m < 60; m++)
      for (const host of ["a", "b"]) {
        stage.push(flow({ _time: String(m * 60 + 5), host }, m))
        w.step()
      }
    // Before the end, the early buckets are already out, in order, with their whole counts.
    expect(w.seen.length).toBeGreaterThan(100)
    expect(w.seen[0]).toEqual({ at: expect.any(Number), row: { _time: "0", host: "a", count: "1" } })
    expect(w.seen[0]!.at).toBeLessThan(10)
    expect((stage as unknown as { groups: Map<string, unknown> }).groups.size).toBeLessThanOrEqual(10)
    stage.finish()
    expect(w.seen.map((s) => s.row._time)).toEqual(
      Array.from({ length: 120 }, (_, i) => String(Math.floor(i / 2) * 60)),
    )
    expect(stats.truncated).toEqual([])
  })
  it("gives the rows it gave without finalising when the log is in order (same rows, same order)", () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({ _time: String(1000 + i * 7), host: `h${i % 3}` }))
    const run = (evictAt: number) => {
      const sink = new ResultSink()
      const stage = new StatsStage(spec, sink, newStageStats({ window: 30, evictAt }))
      rows.forEach((r, i) => stage.push(flow(r, i)))
      stage.finish()
      return sink.results.map((f) => [f.row, f.o.idx])
    }
    expect(run(1)).toEqual(run(1e9))
  })
  it("takes rows out of order within the window; past it, leaves them out and says so", () => {
    const sink = new ResultSink()
    const stats = newStageStats({ window: 120, evictAt: 1 })
    const stage = new StatsStage(spec, sink, stats)
    const times = [0, 100, 50, 400, 130, 1000, 10]
    times.forEach((t, i) => stage.push(flow({ _time: String(t), host: "a" }, i)))
    stage.finish()
    // 130 is 270 s behind 400 but its bucket (120..180) closes at 180 + 120 = 300 <= 400: left out, as is 10 after 1000.
    expect(sink.results.map((f) => [f.row._time, f.row.count])).toEqual([
      ["0", "2"],
      ["60", "1"],
      ["360", "1"],
      ["960", "1"],
    ])
    expect(stats.truncated).toEqual([
      "tstats (stage 1): 2 row(s) came after their 60-second bucket was finalised (the log steps back in time by more than 120 s)",
    ])
  })
  it("below evictAt groups nothing is finalised early, whatever the order", () => {
    const sink = new ResultSink()
    const stats = newStageStats({ window: 0, evictAt: 100 })
    const stage = new StatsStage(spec, sink, stats)
    ;[5000, 0, 3000, 10].forEach((t, i) => stage.push(flow({ _time: String(t), host: "a" }, i)))
    stage.finish()
    expect(sink.results.map((f) => [f.row._time, f.row.count])).toEqual([
      ["4980", "1"],
      ["0", "2"],
      ["3000", "1"],
    ])
    expect(stats.truncated).toEqual([])
  })
  it("a stats BY _time after `bin _time span=` finalises the same way", () => {
    const binned: GroupSpec = {
      aggregates: [{ fn: "count", output: "count" }],
      by: ["_time"],
      binned: 300,
      label: "stats (stage 3)",
    }
    const w = watch()
    const stage = new StatsStage(binned, w.sink, newStageStats({ window: 60, evictAt: 1 }))
    for (let i = 0; i < 20; i++) {
      stage.push(flow({ _time: String(Math.floor((i * 100) / 300) * 300) }, i))
      w.step()
    }
    expect(w.seen.length).toBeGreaterThan(0)
    stage.finish()
    expect(w.seen.map((s) => s.row.count)).toEqual(["3", "3", "3", "3", "3", "3", "2"])
  })
})
