import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

import { afterAll, describe, expect, it } from "vitest"

import { firstLoadJs } from "./first-load.ts"

describe("firstLoadJs", () => {
  const out = mkdtempSync(join(tmpdir(), "atlas-first-load-"))
  afterAll(() => rmSync(out, { recursive: true, force: true }))

  it("counts classic scripts, module scripts with their static imports, and neither dynamic imports nor nomodule", () => {
    mkdirSync(join(out, "p"), { recursive: true })
    mkdirSync(join(out, "js"), { recursive: true })
    writeFileSync(join(out, "js", "classic.js"), "a".repeat(100))
    writeFileSync(
      join(out, "js", "entry.js"),
      `import"./shared.js";import{x as y}from"./util.js";document.onclick=()=>import("./lazy.js")`,
    )
    writeFileSync(join(out, "js", "shared.js"), "b".repeat(10))
    writeFileSync(join(out, "js", "util.js"), `import"./shared.js";export const x=1`)
    writeFileSync(join(out, "js", "lazy.js"), "c".repeat(5000))
    writeFileSync(join(out, "js", "legacy.js"), "d".repeat(5000))
    writeFileSync(
      join(out, "p", "index.html"),
      `<html><head><script src="/js/classic.js?v=1"></script><script type="module" src="/base/js/entry.js"></script><script nomodule src="/js/legacy.js"></script><script>inline()</script></head></html>`,
    )
    const f = firstLoadJs(out, "p", "/base")
    expect(f?.scripts).toBe(4)
    const entry = `import"./shared.js";import{x as y}from"./util.js";document.onclick=()=>import("./lazy.js")`
    expect(f?.raw).toBe(100 + entry.length + 10 + `import"./shared.js";export const x=1`.length)
  })

  it("is undefined for a page that was not exported", () => {
    expect(firstLoadJs(out, "missing")).toBeUndefined()
  })
})
