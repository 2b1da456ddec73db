import { createHash } from "node:crypto"

import { describe, expect, it } from "vitest"

import { cspDirectives, inlineScripts, withCsp } from "./csp.ts"

const sha256 = (t: string) => createHash("sha256").update(t, "utf8").digest("base64")

const PAGE = `<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/><link rel="stylesheet" href="/_next/static/a.css"/><script src="/_next/static/chunks/main.js" async=""></script></head><body><main>x</main><script>(self.__next_f=self.__next_f||[]).push([0])</script><script>self.__next_f.push([1,"\\u003cscript\\u003e"])</script></body></html>`

describe("content security policy", () => {
  it("finds inline scripts only", () => {
    expect(inlineScripts(PAGE)).toEqual([
      "(self.__next_f=self.__next_f||[]).push([0])",
      'self.__next_f.push([1,"\\u003cscript\\u003e"])',
    ])
  })
  it("puts the policy at the top of head, after the charset, with each inline script's hash", () => {
    const out = withCsp(PAGE, sha256)
    expect(out.indexOf('<meta http-equiv="Content-Security-Policy"')).toBe(
      out.indexOf('<meta charSet="utf-8"/>') + '<meta charSet="utf-8"/>'.length,
    )
    for (const s of inlineScripts(PAGE)) expect(out).toContain(`'sha256-${sha256(s)}'`)
    expect(out.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, "")).toBe(PAGE)
  })
  it("is idempotent", () => {
    const once = withCsp(PAGE, sha256)
    expect(withCsp(once, sha256)).toBe(once)
  })
  it("never allows inline script or eval wholesale", () => {
    const p = cspDirectives(["abc"])
    expect(p).toMatch(/^default-src 'self'; script-src 'self' 'sha256-abc';/)
    expect(p).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/)
    expect(p).toContain("object-src 'none'")
    expect(p).toContain("worker-src 'self'")
  })
  it("leaves a fragment without head alone", () => {
    expect(withCsp("<p>x</p>", sha256)).toBe("<p>x</p>")
  })
})
