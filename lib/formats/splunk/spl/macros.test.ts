import { describe, expect, it } from "vitest"
import { expandMacros, macroMap, MAX_MACRO_DEPTH, type MacroDef } from "./macros.ts"

const defs: MacroDef[] = [
  { name: "sel", arguments: [], definition: "sourcetype=a OR source=b" },
  { name: "ctime", arguments: ["field"], definition: 'convert timeformat="%Y" ctime($field$)' },
  { name: "pair", arguments: ["a", "b"], definition: "$a$=$b$" },
  { name: "pair", arguments: [], definition: "zero=args" },
  { name: "outer", arguments: [], definition: "`inner` x=1" },
  { name: "inner", arguments: [], definition: "y=2" },
  { name: "loop_a", arguments: [], definition: "`loop_b`" },
  { name: "loop_b", arguments: [], definition: "`loop_a`" },
  { name: "quoted", arguments: ["v"], definition: 'f="$v$"' },
  { name: "piped", arguments: [], definition: "type=EXECVE | eval a=1" },
]
const m = macroMap(defs)

describe("expandMacros", () => {
  it("expands plain calls textually, without adding parentheses", () => {
    expect(expandMacros("`sel` EventCode=1", m).text).toBe("sourcetype=a OR source=b EventCode=1")
  })
  it("substitutes positional arguments verbatim", () => {
    expect(expandMacros("| `ctime(firstTime)`", m).text).toBe('| convert timeformat="%Y" ctime(firstTime)')
  })
  it("binds named arguments and overloads by arity", () => {
    expect(expandMacros("`pair(b=2, a=f)`", m).text).toBe("f=2")
    expect(expandMacros("`pair(f, 2)`", m).text).toBe("f=2")
    expect(expandMacros("`pair`", m).text).toBe("zero=args")
  })
  it("substitutes $arg$ inside quotes too", () => {
    expect(expandMacros("`quoted(abc)`", m).text).toBe('f="abc"')
  })
  it("splits arguments on top-level commas only", () => {
    expect(expandMacros('`pair("x,y", g(1,2))`', m).text).toBe('"x,y"=g(1,2)')
  })
  it("expands nested macros and records spans innermost with depth", () => {
    const r = expandMacros("a=0 `outer`", m)
    expect(r.text).toBe("a=0 y=2 x=1")
    expect(r.expansions.map((e) => [e.name, e.depth, r.text.slice(e.start, e.end)])).toEqual([
      ["outer", 0, "y=2 x=1"],
      ["inner", 1, "y=2"],
    ])
  })
  it("does not expand backticks inside double quotes", () => {
    expect(expandMacros('f="`sel`" `inner`', m).text).toBe('f="`sel`" y=2')
    expect(expandMacros('f=*\\"x\\"* `inner`', m).text).toBe('f=*\\"x\\"* y=2')
  })
  it("keeps macro pipes so they can become stages", () => {
    expect(expandMacros("`piped` | stats count", m).text).toBe("type=EXECVE | eval a=1 | stats count")
  })
  it("is cycle-safe and reports the cycle", () => {
    const r = expandMacros("`loop_a`", m)
    expect(r.text).toBe("`loop_a`")
    expect(r.diagnostics[0]?.code).toBe("macro-cycle")
  })
  it("stops at the depth limit", () => {
    const chain: MacroDef[] = Array.from({ length: MAX_MACRO_DEPTH + 5 }, (_, i) => ({
      name: `m${i}`,
      arguments: [],
      definition: `\`m${i + 1}\``,
    }))
    const r = expandMacros("`m0`", macroMap(chain))
    expect(r.diagnostics.some((d) => d.code === "macro-recursion")).toBe(true)
  })
  it("marks unknown macros unresolved instead of failing", () => {
    const r = expandMacros("a=1 `nope(x)`", m)
    expect(r.text).toBe("a=1 `nope(x)`")
    expect(r.expansions[0]?.status).toBe("unknown")
    expect(r.diagnostics[0]).toMatchObject({ code: "unresolved-macro" })
  })
  it("defaults missing _filter macros to `search *` and drop_dm_object_name to a rename", () => {
    const r = expandMacros("| `drop_dm_object_name(Processes)` | `my_rule_filter`", m)
    expect(r.text).toBe("| rename Processes.* AS * | search *")
    expect(r.expansions.map((e) => e.status)).toEqual(["cim", "filter"])
  })
  it("accepts a quoted drop_dm_object_name object, as the corpus writes it", () => {
    expect(expandMacros('| `drop_dm_object_name("All_Traffic")`', m).text).toBe("| rename All_Traffic.* AS *")
  })
  it("accepts a lookup function", () => {
    const r = expandMacros("`sel`", (name, arity) => defs.find((d) => d.name === name && d.arguments.length === arity))
    expect(r.text).toBe("sourcetype=a OR source=b")
  })
})
