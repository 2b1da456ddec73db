import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"

import { afterAll, describe, expect, it } from "vitest"

import { forwardPage, writeAttackAliases } from "../attack-aliases.ts"
import { checkLinks, findLeaks, internalTarget, linkTargets } from "./scan.ts"

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** A small exported site: path → content. */
function site(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "atlas-out-"))
  dirs.push(dir)
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return dir
}

describe("internal links", () => {
  it("reads href and src, quoted either way, with entities decoded", () => {
    expect(linkTargets(`<a href="/a/?x=1&amp;y=2">a</a><img src='/i.svg'><link rel="x" href="/s.css">`)).toEqual([
      "/a/?x=1&y=2",
      "/i.svg",
      "/s.css",
    ])
  })

  it("resolves site-absolute and relative links, and leaves other sites alone", () => {
    expect(internalTarget("/rules/x/?q=1#top", "index.html")).toBe("rules/x/")
    expect(internalTarget("../t1047/", "techniques/T1047/index.html")).toBe("techniques/t1047/")
    expect(internalTarget("/", "a/index.html")).toBe("index.html")
    expect(internalTarget("https://example.org/", "index.html")).toBeUndefined()
    expect(internalTarget("#main", "index.html")).toBeUndefined()
    expect(internalTarget("/atlas/rules/", "index.html", "/atlas")).toBe("rules/")
  })

  it("counts what it checked and names every link that reaches no file or lacks its slash", () => {
    const dir = site({
      "index.html": `<a href="/rules/">rules</a><a href="/macros/undefined_macro/">m</a><a href="/techniques/t1059.001">t</a><script src="/_next/a.js"></script>`,
      "rules/index.html": `<a href="/">home</a><a href="/macros/undefined_macro/">m</a>`,
      "techniques/t1059.001/index.html": "<p>t</p>",
      "_next/a.js": "",
    })
    const r = checkLinks(dir)
    expect(r.pages).toBe(3)
    expect(r.checked).toBe(6)
    expect(r.broken).toEqual([{ target: "macros/undefined_macro/", count: 2, example: "index.html" }])
    expect(r.noSlash.map((b) => b.target)).toEqual(["techniques/t1059.001"])
  })
})

describe("build paths in the output", () => {
  it("finds the absolute content path in HTML, JSON and RSC payloads, escaped or not", () => {
    const root = "/srv/build/corpora/security_content"
    const dir = site({
      "index.html": "<p>clean</p>",
      "rules/x/index.html": `<figcaption>${root}/detections/x.yml</figcaption>`,
      "report.json": JSON.stringify({ roots: [root] }).replaceAll("/", "\\/"),
      "macros/a/index.txt": `1:["$","span",null,{"children":"${root}/macros/a.yml"}]`,
    })
    expect(
      findLeaks(dir, [root])
        .map((l) => l.file)
        .sort(),
    ).toEqual(["macros/a/index.txt", "report.json", "rules/x/index.html"])
    expect(findLeaks(dir, ["/elsewhere"])).toEqual([])
  })
})

describe("ATT&CK's spellings of our addresses", () => {
  it("forwards /techniques/T1059.001/, /techniques/T1059/001/ and /tactics/TA0002/ to the pages", () => {
    const dir = site({
      "techniques/t1047/index.html": "<p>wmi</p>",
      "techniques/t1059/index.html": "<p>interp</p>",
      "techniques/t1059.001/index.html": "<p>powershell</p>",
      "tactics/execution/index.html": "<p>execution</p>",
    })
    writeAttackAliases(dir, [{ id: "TA0002", shortname: "execution", name: "Execution" }])
    const r = checkLinks(dir)
    expect(r.broken).toEqual([])
    const html = (p: string) => linkTargets(readFileSync(join(dir, p), "utf8"))
    // Tests run on Linux, whose file systems tell T1047 from t1047.
    expect(html("techniques/T1047/index.html")).toEqual(["../t1047/", "../t1047/"])
    expect(html("techniques/T1059.001/index.html")).toEqual(["../t1059.001/", "../t1059.001/"])
    expect(html("techniques/T1059/001/index.html")).toEqual(["../../t1059.001/", "../../t1059.001/"])
    expect(html("techniques/t1059/001/index.html")).toEqual(["../../t1059.001/", "../../t1059.001/"])
    expect(html("tactics/TA0002/index.html")).toEqual(["../execution/", "../execution/"])
    expect(html("tactics/ta0002/index.html")).toEqual(["../execution/", "../execution/"])
  })

  it("escapes what it writes into the forwarding page", () => {
    const page = forwardPage(`../x"/`, "<b>")
    expect(page).not.toContain(`x"/`)
    expect(page).not.toContain("<b>")
  })
})
