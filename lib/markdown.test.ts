import { describe, expect, it } from "vitest"

import { parseInline, parseMarkdown } from "./markdown.ts"

describe("markdown", () => {
  it("reads headings, paragraphs, nested lists and fenced code", () => {
    const b = parseMarkdown(
      "## Triage\n\nFirst line\nsecond line.\n\n- one\n  - nested `x`\n- two\n\n1. a\n2. b\n\n```\ncode <b>\n```\n",
    )
    expect(b.map((x) => x.t)).toEqual(["heading", "paragraph", "list", "list", "code"])
    expect(b[1]).toEqual({ t: "paragraph", inline: [{ t: "text", text: "First line second line." }] })
    const list = b[2] as Extract<(typeof b)[number], { t: "list" }>
    expect(list.items).toHaveLength(2)
    expect(list.items[0]!.children[0]!.t).toBe("list")
    expect((b[3] as { ordered: boolean }).ordered).toBe(true)
    expect(b[4]).toEqual({ t: "code", text: "code <b>" })
  })

  it("keeps raw HTML as text and drops unsafe link targets", () => {
    expect(parseInline("<script>alert(1)</script>")).toEqual([{ t: "text", text: "<script>alert(1)</script>" }])
    expect(parseInline("[x](javascript:alert(1))").some((n) => n.t === "link")).toBe(false)
    expect(parseInline("[x](javascript:void)")).toEqual([{ t: "text", text: "x" }])
    expect(parseInline("see [docs](https://example.org/a)")).toEqual([
      { t: "text", text: "see " },
      { t: "link", href: "https://example.org/a", children: [{ t: "text", text: "docs" }] },
    ])
  })

  it("reads inline code, bold and italics, but not snake_case", () => {
    expect(parseInline("**bold** and *it* and `a_b` and process_name_x")).toEqual([
      { t: "strong", children: [{ t: "text", text: "bold" }] },
      { t: "text", text: " and " },
      { t: "em", children: [{ t: "text", text: "it" }] },
      { t: "text", text: " and " },
      { t: "code", text: "a_b" },
      { t: "text", text: " and process_name_x" },
    ])
  })
})
