import { existsSync, readFileSync } from "node:fs"

import { describe, expect, it } from "vitest"

import { walk } from "./catalog/load.node.ts"
import { highlightYaml } from "./highlight-yaml.ts"

/** The text a browser shows for our HTML (tags dropped, entities decoded). */
function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
}

/** [class, text] of every span, whitespace trimmed. */
function spans(html: string): Array<[string, string]> {
  return [...html.matchAll(/<span class="(t\d+)">([^<]*)<\/span>/g)].map((m) => [m[1]!, text(m[2]!).trim()])
}

const RULE = `# a header comment
name: WMIC "Remote" Launch # trailing
id: 5
enabled: true
description: 'It spans
  two lines: and has a colon'
tags:
  - attack.t1047
  - 'quoted # not a comment'
search: |
  | tstats count where Processes.process_name=wmic.exe
  by Processes.dest
how_to_implement: >-
  folded text
"quoted key": x
detection:
    selection:
        Image|endswith: '\\wmic.exe'
        CommandLine|contains|all:
            - ' /node:'
            - "call \\"create\\""
    condition: selection and not 1 of filter_*
refs: [a, b]
url: https://example.org/a#b
n: null
---
second: doc
`

describe("highlightYaml", () => {
  it("keeps the text exactly", () => {
    expect(text(highlightYaml(RULE))).toBe(RULE)
  })

  it("colours keys, strings, constants, comments and block indicators", () => {
    const s = spans(highlightYaml(RULE))
    const cls = (t: string) => s.find(([, x]) => x === t)?.[0]
    expect(cls("# a header comment")).toBe("t1")
    expect(cls("name")).toBe("t6")
    expect(cls('WMIC "Remote" Launch')).toBe("t7")
    expect(cls("# trailing")).toBe("t1")
    expect(cls("5")).toBe("t3")
    expect(cls("true")).toBe("t3")
    expect(cls("null")).toBe("t3")
    expect(cls("|")).toBe("t2")
    expect(cls(">-")).toBe("t2")
    expect(cls('"quoted key"')).toBe("t6")
    expect(cls("Image|endswith")).toBe("t6")
    expect(cls("'\\wmic.exe'")).toBe("t7")
    expect(cls("https://example.org/a#b")).toBe("t7")
    expect(cls("---")).toBe("t2")
  })

  it("keeps multi-line quoted and block scalars as strings, not keys", () => {
    const s = spans(highlightYaml(RULE))
    expect(s.find(([, x]) => x.includes("two lines: and has a colon'"))?.[0]).toBe("t7")
    expect(s.some(([c, x]) => c === "t6" && x === "two lines")).toBe(false)
    expect(s.find(([, x]) => x.includes("by Processes.dest"))?.[0]).toBe("t7")
    expect(s.find(([, x]) => x.includes("folded text"))?.[0]).toBe("t7")
    // The key after the block is a key again.
    expect(s.find(([, x]) => x === '"quoted key"')?.[0]).toBe("t6")
    // A # inside quotes is not a comment.
    expect(s.find(([, x]) => x.includes("quoted # not a comment"))?.[0]).toBe("t7")
  })

  it("escapes markup in every position", () => {
    const hostile = `<script>alert(1)</script>: "<img src=x onerror=alert(1)>" # <b>\n- '&amp; <i>'\nk: |\n  </code></pre><script>x</script>\n`
    const html = highlightYaml(hostile)
    expect(html).not.toMatch(/<(?!\/?span)/)
    expect(text(html)).toBe(hostile)
  })

  it("never loses text on odd input", () => {
    for (const odd of [
      "",
      "\n",
      ":",
      "- ",
      "-",
      "'",
      '"unclosed\n  still: open',
      "a: 'x' trailing",
      "k: |\n\n  after blank\nnext: 1",
      "- - - x: 1",
      "\t\tx:\ty",
      "key:value",
      "? complex\n: value",
      "a: *alias",
      "b: &anchor x",
      "c: !tag v",
    ]) {
      expect(text(highlightYaml(odd)), JSON.stringify(odd)).toBe(odd)
    }
  })
})

const ROOTS = ["../shared/corpora/security_content", "../shared/corpora/sigma"].filter((r) => existsSync(r))
if (ROOTS.length === 0) console.warn("skipping the YAML highlighter corpus test: ../shared/corpora is absent")

describe.skipIf(ROOTS.length === 0)("highlightYaml on the corpora", () => {
  it("keeps the text of every YAML file exactly, in linear time", () => {
    const files = ROOTS.flatMap((r) => walk(r).files.filter((f) => /\.ya?ml$/.test(f)))
    expect(files.length).toBeGreaterThan(1000)
    let bytes = 0
    const started = performance.now()
    for (const f of files) {
      const code = readFileSync(f, "utf8")
      bytes += code.length
      expect(text(highlightYaml(code)), f).toBe(code)
    }
    console.log(
      `highlightYaml: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB in ${(performance.now() - started).toFixed(0)} ms (with the checks)`,
    )
  })
})
