/**
 * The tester's web worker: loads `/tester/rules.json` once, compiles it once, and answers
 * `{ id, form }` messages (TesterRequest) with a TesterResponse (lib/tester/run.ts).
 *
 * Owns: the only worker/DOM globals of the tester (fetch, self.onmessage).
 * Must never import: React, Next, Node built-ins.
 */
import { withBasePath } from "../site.ts"
import { compileCatalog, type CompiledCatalog } from "./match.ts"
import { fromTesterRules, type TesterRule } from "./rules-data.ts"
import { runTester, type TesterRequest, type TesterResponse } from "./run.ts"

let catalog: Promise<CompiledCatalog> | undefined

function load(): Promise<CompiledCatalog> {
  catalog ??= fetch(withBasePath("/tester/rules.json"))
    .then((r) => {
      if (!r.ok) throw new Error(`could not load the rules (${r.status} ${withBasePath("/tester/rules.json")})`)
      return r.json() as Promise<TesterRule[]>
    })
    .then((rows) => compileCatalog(fromTesterRules(rows)))
  catalog.catch(() => {
    catalog = undefined
  })
  return catalog
}

self.onmessage = async (e: MessageEvent<TesterRequest>) => {
  const { id } = e.data
  let reply: TesterResponse
  try {
    reply = runTester(await load(), e.data)
  } catch (err) {
    reply = { id, ok: false, error: err instanceof Error ? err.message : String(err), kind: "load" }
  }
  self.postMessage(reply)
}
