import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"

import jsyaml from "js-yaml"
import { describe, expect, it } from "vitest"

import { selectionText } from "./selection-text.ts"
import { parseSigmaYaml } from "./yaml.ts"

const reference = (name: string, value: unknown) =>
  jsyaml.dump({ [name]: value }, { lineWidth: -1, noRefs: true }).trimEnd()

describe("selectionText writes what js-yaml writes", () => {
  const cases: Array<[string, unknown]> = [
    ["selection", { Image: "\\wmic.exe", CommandLine: ["/node:", " call "] }],
    ["selection", { "CommandLine|contains|all": ["-enc", "# x", "a: b", "a:", "'q'", "it's", ""] }],
    ["sel", { EventID: 4688, Flag: true, Empty: null, Neg: -3, Float: 1.5, Zero: -0 }],
    ["sel", { x: ["yes", "No", "off", "12:30", "1:2:3", "0x1F", "1e3", ".inf", "~", "null", "<<", "2024-01-01"] }],
    ["sel", [{ a: "1" }, { b: ["c", "d"], e: {} }, [], [["x", "y"]]]],
    ["sel", { nested: { deeper: { x: "y" } }, list: [{ k: { v: "w" } }] }],
    ["keywords", ["plain", "with\nbreak", "tab\there", "ünïcode", "café", "trailing ", " leading"]],
    ["sel", { "key with: colon": "v", "#hash": "v", "-dash": "v", "a#b": "c#d", "x #y": 1 }],
    ["sel", { [`k${"x".repeat(1030)}`]: "v", long: "y".repeat(2000) }],
    ["sel", { "TargetObject|endswith": "\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\*" }],
    ["sel", { big: 2 ** 60, str: "%COMSPEC%", q: '"quoted"', at: "@x", bt: "`x`", pipe: "|x", gt: ">x" }],
  ]
  it.each(cases)("%s: %j", (name, value) => {
    expect(selectionText(name, value)).toBe(reference(name, value))
  })
})

const CORPUS = "../shared/corpora/sigma"
const present = existsSync(CORPUS)
if (!present) console.warn(`skipping the SigmaHQ selection-text check: ${CORPUS} is absent`)

function ymlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name)
    return statSync(full).isDirectory() ? ymlFiles(full) : name.endsWith(".yml") ? [full] : []
  })
}

describe.skipIf(!present)("selectionText on SigmaHQ", () => {
  it("equals js-yaml's dump for every search identifier of every rule", () => {
    let checked = 0
    const differ: string[] = []
    for (const file of ymlFiles(CORPUS)) {
      for (const doc of parseSigmaYaml(file, readFileSync(file, "utf8")).documents) {
        const detection = (doc.value as { detection?: unknown }).detection
        if (detection === null || typeof detection !== "object" || Array.isArray(detection)) continue
        for (const [name, value] of Object.entries(detection)) {
          if (name === "condition" || name === "timeframe") continue
          checked++
          if (selectionText(name, value) !== reference(name, value)) differ.push(`${file}: ${name}`)
        }
      }
    }
    expect(differ).toEqual([])
    expect(checked).toBeGreaterThan(5_000)
  })
})
