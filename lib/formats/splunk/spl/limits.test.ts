import { describe, expect, it } from "vitest"

import { and, or } from "../../../predicate/build.ts"
import type { Predicate } from "../../../predicate/types.ts"
import { analyzeSpl, compileRule, evaluateRule, macroMap } from "./index.ts"
import { MAX_MACRO_EXPANSIONS } from "./macros.ts"
import { balanceProblems } from "./text.ts"

/** Analyse, compile and evaluate once: every step must survive hostile input. */
function run(search: string, macros = macroMap([])) {
  const started = performance.now()
  const a = analyzeSpl(search, macros)
  evaluateRule(compileRule(a), { a: "1", process_name: "x" })
  JSON.stringify(a)
  return { a, ms: performance.now() - started }
}

describe("nesting limits", () => {
  it.each([
    ["parentheses", `index=x ${"(".repeat(20_000)}a=1${")".repeat(20_000)}`],
    ["NOTs", `index=x ${"NOT ".repeat(50_000)}a=1`],
    ["where parentheses", `index=x | where ${"(".repeat(20_000)}a=1${")".repeat(20_000)}`],
    ["where NOTs", `index=x | where ${"NOT ".repeat(50_000)}a=1`],
    ["unary minus", `index=x | where a=${"-".repeat(50_000)}1`],
    ["operator chain", `index=x | where a=${Array.from({ length: 50_000 }, () => "1").join("+")}`],
    ["nested calls", `index=x | where ${"lower(".repeat(10_000)}a${")".repeat(10_000)}="x"`],
  ])("deep %s become a parse error, not a stack overflow", (_, search) => {
    const { a } = run(search)
    expect(a.evaluability.evaluable).toBe(false)
    expect(a.evaluability.reasons.map((r) => r.construct)).toContain("parse-error")
  })
  it("survives deep eval assignments (a derived field, so nothing to decide)", () => {
    const { a } = run(`index=x | eval y=${"(".repeat(20_000)}1${")".repeat(20_000)} | where y=1`)
    expect(a.stages).toHaveLength(3)
  })
  it("keeps shallow nesting as written", () => {
    const { a } = run(`index=x ${"(".repeat(20)}process_name=x${")".repeat(20)}`)
    expect(a.evaluability.evaluable).toBe(true)
  })
})

describe("size limits", () => {
  it("flattens 200,000 ORs without spreading them onto the stack", () => {
    const args: Predicate[] = Array.from({ length: 200_000 }, (_, i) => ({
      op: "cmp",
      id: 0,
      field: "f",
      cmpOp: "=",
      value: String(i),
      lang: "search",
    }))
    expect((or([or(args), or(args)]) as { args: unknown[] }).args).toHaveLength(400_000)
    expect((and([and(args), and(args)]) as { args: unknown[] }).args).toHaveLength(400_000)
  })
  it("stops a macro bomb at the expansion budget", () => {
    const defs = Array.from({ length: 30 }, (_, i) => ({
      name: `m${i}`,
      arguments: [],
      definition: i < 29 ? `\`m${i + 1}\` \`m${i + 1}\`` : "a=1",
    }))
    const { a, ms } = run("`m0`", macroMap(defs))
    expect(a.macroCalls.filter((c) => c.status !== "unknown").length).toBeLessThanOrEqual(MAX_MACRO_EXPANSIONS)
    expect(a.diagnostics.map((d) => d.code)).toContain("macro-limit")
    expect(ms).toBeLessThan(2_000)
  })
})

describe("balanceProblems", () => {
  it("finds unclosed quotes, parentheses and brackets outside strings", () => {
    expect(balanceProblems('index=x a="b | stats count').map((p) => [p.code, p.offset])).toEqual([
      ["unbalanced-quote", 10],
    ])
    expect(balanceProblems("index=x (a=1 OR b=2").map((p) => p.code)).toEqual(["unbalanced-paren"])
    expect(balanceProblems("index=x a=1) b=2").map((p) => [p.code, p.offset])).toEqual([["unbalanced-paren", 11]])
    expect(balanceProblems("index=x [search a=1").map((p) => p.code)).toEqual(["unbalanced-bracket"])
    expect(balanceProblems('index=x a="(" b="\\"]" (c IN ("x)")) [search d=1]')).toEqual([])
  })
  it("reports them on the analysis", () => {
    expect(run('index=x process="abc | stats count by x').a.diagnostics.map((d) => d.code)).toContain(
      "unbalanced-quote",
    )
  })
})

describe("regex cost", () => {
  it("runs a pattern of a thousand `.*` as one", async () => {
    const { compileRegex } = await import("../../../predicate/regex.ts")
    const r = compileRegex(`(?si)^.*Wer${".*".repeat(1_000)}$`)
    expect(r.ok).toBe(true)
    const value = "x".repeat(5_000)
    const started = performance.now()
    if (r.ok) {
      expect(r.test(`Wer${value}`)).toBe(true)
      expect(r.test(value)).toBe(false)
    }
    expect(performance.now() - started).toBeLessThan(200)
    const escaped = compileRegex("a\\.*.*b")
    expect(escaped.ok && escaped.test("a....xb")).toBe(true)
  })
})
