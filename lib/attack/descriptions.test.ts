import { existsSync, readFileSync } from "node:fs"

import { describe, expect, it } from "vitest"

import { descriptionsFromStix, parseDescription, stripCitations } from "./descriptions.ts"

describe("ATT&CK descriptions", () => {
  it("strips citations", () => {
    expect(stripCitations("Adversaries may do it.(Citation: Some Report) Then more. (Citation: Other)")).toBe(
      "Adversaries may do it. Then more.",
    )
  })

  it("links a technique to our page only where the site has one; another matrix's technique keeps ATT&CK's address", () => {
    const [block] = parseDescription(
      "See [Phishing](https://attack.mitre.org/techniques/T1660) and [PowerShell](https://attack.mitre.org/techniques/T1059/001).",
      (id) => id === "t1059.001",
    )
    expect(block?.spans).toEqual([
      { text: "See " },
      { text: "Phishing", href: "https://attack.mitre.org/techniques/T1660", internal: false },
      { text: " and " },
      { text: "PowerShell", href: "/techniques/t1059.001/", internal: true },
      { text: "." },
    ])
  })

  it("parses paragraphs, lists, links, code; other tags stay text", () => {
    const blocks = parseDescription(
      "Uses [PowerShell](https://attack.mitre.org/techniques/T1059/001) and [Execution](https://attack.mitre.org/tactics/TA0002), e.g. <code>wmic /node</code>.\n\n* one `two`\n* **three** <script>alert(1)</script> [x](javascript:alert(1))",
    )
    expect(blocks).toEqual([
      {
        kind: "p",
        spans: [
          { text: "Uses " },
          { text: "PowerShell", href: "/techniques/t1059.001/", internal: true },
          { text: " and " },
          { text: "Execution", href: "https://attack.mitre.org/tactics/TA0002", internal: false },
          { text: ", e.g. " },
          { code: "wmic /node" },
          { text: "." },
        ],
      },
      { kind: "li", spans: [{ text: "one " }, { code: "two" }] },
      {
        kind: "li",
        spans: [{ strong: "three" }, { text: " <script>alert(1)</script> " }, { text: "x" }, { text: ")" }],
      },
    ])
  })

  it("takes live techniques from a bundle", () => {
    const bundle = {
      objects: [
        {
          type: "attack-pattern",
          description: "Live.(Citation: A)",
          external_references: [{ source_name: "mitre-attack", external_id: "T1047" }],
        },
        {
          type: "attack-pattern",
          description: "Old.",
          revoked: true,
          external_references: [{ source_name: "mitre-attack", external_id: "T1000" }],
        },
        { type: "x-mitre-tactic", description: "Not a technique." },
      ],
    }
    expect(descriptionsFromStix(bundle)).toEqual({ T1047: "Live." })
  })

  const committed = "lib/attack/data/enterprise-attack-descriptions.json"
  it.skipIf(!existsSync(committed))("the committed file describes T1059 and parses without raw tags", () => {
    const map = JSON.parse(readFileSync(committed, "utf8")) as Record<string, string>
    expect(map.T1059).toMatch(/^Adversaries may abuse command and script interpreters/)
    expect(map.T1059).not.toContain("(Citation:")
    const t1059 = parseDescription(map.T1059 ?? "")
    expect(t1059.some((b) => b.spans.some((s) => "href" in s && s.href === "/techniques/t1059.004/"))).toBe(true)
  })
})
