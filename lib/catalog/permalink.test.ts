import { describe, expect, it } from "vitest"

import { idFromLocation, idMap, idPath, resolveId } from "./permalink.ts"

const rules = [
  { id: "a6b7e983-fccc-431a-be0f-81a745da237e", format: "splunk" as const, slug: "wmic-remote-process-launch" },
  { id: "0B4C8F2A-1111-4222-8333-944455556666", format: "sigma" as const, slug: "proc-creation-win-whoami" },
  { id: "5e7a3c10-2222-4333-8444-555566667777", format: "sigma" as const, slug: "okta-fastpass-phishing" },
  { id: "5E7A3C10-2222-4333-8444-555566667777", format: "elastic" as const, slug: "okta-fastpass-phishing-detection" },
]

describe("idFromLocation", () => {
  it("reads the bare query, the id parameter and the hash", () => {
    expect(idFromLocation("?a6b7e983-fccc-431a-be0f-81a745da237e", "")).toBe("a6b7e983-fccc-431a-be0f-81a745da237e")
    expect(idFromLocation("?id=a6b7e983-fccc-431a-be0f-81a745da237e", "")).toBe("a6b7e983-fccc-431a-be0f-81a745da237e")
    expect(idFromLocation("", "#a6b7e983-fccc-431a-be0f-81a745da237e")).toBe("a6b7e983-fccc-431a-be0f-81a745da237e")
  })

  it("prefers the hash, decodes escapes, trims, and says when there is no id", () => {
    expect(idFromLocation("?x", "#y")).toBe("y")
    expect(idFromLocation("?id=+%20abc%20", "")).toBe("abc")
    expect(idFromLocation("", "")).toBeUndefined()
    expect(idFromLocation("?", "#")).toBeUndefined()
    expect(idFromLocation("?q=abc", "")).toBeUndefined()
    expect(idFromLocation("?%E0%A4%A", "")).toBe("%E0%A4%A")
  })
})

describe("idMap and resolveId", () => {
  const map = idMap(rules)

  it("maps every id, lower-cased, to its rule page", () => {
    expect(Object.keys(map)).toHaveLength(3)
    expect(resolveId(map, "a6b7e983-fccc-431a-be0f-81a745da237e")).toEqual([
      "/rules/splunk/wmic-remote-process-launch/",
    ])
    expect(resolveId(map, "0b4c8f2a-1111-4222-8333-944455556666")).toEqual(["/rules/sigma/proc-creation-win-whoami/"])
    expect(resolveId(map, "0B4C8F2A-1111-4222-8333-944455556666")).toEqual(["/rules/sigma/proc-creation-win-whoami/"])
  })

  it("keeps every rule of an id that rules of several formats share, in catalog order", () => {
    expect(resolveId(map, "5e7a3c10-2222-4333-8444-555566667777")).toEqual([
      "/rules/sigma/okta-fastpass-phishing/",
      "/rules/elastic/okta-fastpass-phishing-detection/",
    ])
  })

  it("finds nothing for unknown ids, including object property names", () => {
    expect(resolveId(map, "00000000-0000-0000-0000-000000000000")).toEqual([])
    expect(resolveId(map, "constructor")).toEqual([])
    expect(resolveId(map, "__proto__")).toEqual([])
  })

  it("builds the permalink a page links to, and reads it back", () => {
    const id = "a6b7e983-fccc-431a-be0f-81a745da237e"
    const path = idPath(id)
    expect(path).toBe(`/id/?${id}`)
    expect(idFromLocation(path.slice(path.indexOf("?")), "")).toBe(id)
  })
})
