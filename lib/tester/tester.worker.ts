/**
 * The tester's web worker: loads the rule chunks an input needs (rules-chunks.ts), compiles
 * them, and answers `{ id, form }` messages (TesterRequest) with a TesterResponse (run.ts). A
 * `{ warm: true }` message, sent by the page when it is idle, loads and compiles what a command
 * line needs before anything is typed; `{ warm: true, form }`, sent as the page's script starts
 * on a permalink, what that form needs, while the page hydrates. `{ beside }` (BesideRequest) asks
 * for one shown rule judged beside its SPL translations: the converter loads on the first ask.
 *
 * Owns: the only worker/DOM globals of the tester (fetch, Cache Storage, self.onmessage).
 * The manifest also carries the add-on field table built events use (installed before any input
 * is built) and the lookup tables shipped apart: one is fetched only when a run leaves undecided
 * a rule that reads it, and the request is then answered again with it.
 *
 * Invariants:
 * - Chunk files are named by their content hash: they are kept in Cache Storage across visits
 *   and never revalidated; entries no longer in the manifest are deleted. The manifest itself is
 *   revalidated on every start.
 * - One compiled catalog, over every chunk loaded so far; it is rebuilt only when an input needs
 *   a chunk it lacks. Rules of chunks not loaded are counted as the full catalog counts them.
 *
 * Must never import: React, Next, Node built-ins.
 */
import type { BesideReply, BesideRequest } from "../convert/beside-messages.ts"
import { installAddOnTable } from "../events/addon.ts"
import { withBasePath } from "../site.ts"
import { builtGateSources, inputViews } from "./inputs.ts"
import type { CompiledCatalog } from "./match.ts"
import { chunksFor, restoreIds, skippedOf, type ChunkInfo, type Skipped, type TesterManifest } from "./rules-chunks.ts"
import { compileTesterRules, type TesterRule } from "./rules-data.ts"
import {
  preparedPasted,
  preparedSources,
  prepareTester,
  runTester,
  type TesterForm,
  type TesterRequest,
  type TesterResponse,
} from "./run.ts"
import { addTables, tablesWanted } from "./tables.ts"

const CACHE = "atlas-tester-rules"
const base = (file: string) => withBasePath(`/tester/rules/${file}`)

let manifest: Promise<TesterManifest> | undefined
const chunks = new Map<string, Promise<TesterRule[]>>()
let compiled: { files: Set<string>; catalog: CompiledCatalog } | undefined

async function openCache(): Promise<Cache | undefined> {
  try {
    return typeof caches === "undefined" ? undefined : await caches.open(CACHE)
  } catch {
    return undefined // Cache Storage refused (private mode, insecure origin): the network only.
  }
}

async function fetchJson(url: string, cache: Cache | undefined): Promise<unknown> {
  const hit = await cache?.match(url).catch(() => undefined)
  if (hit) return hit.json()
  const r = await fetch(url)
  if (!r.ok) throw new Error(`could not load the rules (${r.status} ${url})`)
  if (cache) await cache.put(url, r.clone()).catch(() => undefined)
  return r.json()
}

function loadManifest(): Promise<TesterManifest> {
  manifest ??= (async () => {
    const url = base("manifest.json")
    const r = await fetch(url, { cache: "no-cache" })
    if (!r.ok) throw new Error(`could not load the rules (${r.status} ${url})`)
    const m = (await r.json()) as TesterManifest
    // Built raw events carry the add-on fields this content's data sources give them.
    installAddOnTable(m.addOn)
    // Drop chunks and tables of earlier builds.
    void openCache().then(async (c) => {
      if (!c) return
      const files = [...m.chunks.map((x) => x.file), ...Object.values(m.tables ?? {}).map((t) => t.file)]
      const keep = new Set(files.map((f) => new URL(base(f), self.location.href).href))
      for (const req of await c.keys()) if (!keep.has(req.url)) await c.delete(req)
    })
    return m
  })()
  manifest.catch(() => {
    manifest = undefined
  })
  return manifest
}

function loadChunk(c: ChunkInfo): Promise<TesterRule[]> {
  let p = chunks.get(c.file)
  if (!p) {
    p = openCache()
      .then((cache) => fetchJson(base(c.file), cache))
      .then((rows) => restoreIds(rows as TesterRule[]))
    chunks.set(c.file, p)
    p.catch(() => chunks.delete(c.file))
  }
  return p
}

const tables = new Map<string, Promise<void>>()

/**
 * The lookup tables the response's undecided rules read, fetched (once each) and made readable
 * by the deciders; true when some table was added, so the run is worth repeating. A table that
 * cannot be fetched leaves its rules undecided, with the reason the first run gave.
 */
async function loadTablesFor(m: TesterManifest, catalog: CompiledCatalog, reply: TesterResponse): Promise<boolean> {
  if (!reply.ok || !m.tables) return false
  const wanted = tablesWanted(catalog, reply.reports, m.tables, new Set(tables.keys()))
  if (!wanted.length) return false
  const cache = await openCache()
  const settled = await Promise.allSettled(
    wanted.map((name) => {
      const p = fetchJson(base(m.tables![name]!.file), cache).then((t) => addTables({ [name]: t }))
      tables.set(name, p)
      p.catch(() => tables.delete(name))
      return p
    }),
  )
  return settled.some((s) => s.status === "fulfilled")
}

/** A compiled catalog holding at least `needed`, and how many rules of the manifest it lacks. */
async function catalogFor(
  m: TesterManifest,
  needed: ChunkInfo[],
): Promise<{ catalog: CompiledCatalog; skipped: Skipped }> {
  if (!compiled || needed.some((c) => !compiled!.files.has(c.file))) {
    const want = m.chunks.filter((c) => compiled?.files.has(c.file) || needed.includes(c))
    const rows = (await Promise.all(want.map(loadChunk))).flat()
    compiled = { files: new Set(want.map((c) => c.file)), catalog: compileTesterRules(rows) }
  }
  return { catalog: compiled.catalog, skipped: skippedOf(m, compiled.files) }
}

/** What a form (by default a command line) needs, loaded and compiled ahead of its request. */
async function warm(form?: TesterForm): Promise<void> {
  const m = await loadManifest()
  const prepared = form ? prepareTester(form) : undefined
  await catalogFor(
    m,
    prepared?.ok
      ? chunksFor(m, preparedSources(prepared), preparedPasted(prepared))
      : chunksFor(m, [builtGateSources()], false),
  )
}

type BesideModule = typeof import("../convert/beside.ts")
let besideModule: Promise<BesideModule> | undefined
/** The last form a beside request read: the rules of one answer ask one after another. */
let besideInput: { key: string; prepared: ReturnType<typeof prepareTester> } | undefined

/** One rule of an answer, judged on the event it read beside its SPL translations (lib/convert/beside.ts). */
async function beside(req: BesideRequest, mod: BesideModule): Promise<BesideReply> {
  const key = JSON.stringify(req.form)
  if (besideInput?.key !== key) besideInput = { key, prepared: prepareTester(req.form) }
  const { prepared } = besideInput
  const input = prepared.ok ? prepared.inputs[req.input]?.input : undefined
  if (!prepared.ok || !input) return { beside: req.id, ok: false, error: "the input is no longer there" }
  const m = await loadManifest()
  const { catalog } = await catalogFor(m, chunksFor(m, preparedSources(prepared), preparedPasted(prepared)))
  const rule = catalog.rules.find((r) => r.detection.id === req.ruleId)
  const event = inputViews(input).views.get(req.shape)?.event
  if (!rule || !event) return { beside: req.id, ok: false, error: "the rule did not read this input" }
  return { beside: req.id, ok: true, verdict: mod.besideRule(rule.detection, event) ?? null }
}

const failed = (id: number, err: unknown): BesideReply => ({
  beside: id,
  ok: false,
  error: err instanceof Error ? err.message : String(err),
})

// Requests are answered in order: a compile in progress is never raced by the next request.
let queue: Promise<unknown> = Promise.resolve()

self.onmessage = (e: MessageEvent<TesterRequest | { warm: true; form?: TesterForm } | { beside: BesideRequest }>) => {
  const msg = e.data
  if ("warm" in msg) {
    queue = queue.then(() => warm(msg.form)).catch(() => undefined)
    return
  }
  if ("beside" in msg) {
    const req = msg.beside
    // The converter loads outside the queue: a form typed meanwhile is not held up by the fetch.
    besideModule ??= import("../convert/beside.ts")
    besideModule.then(
      (mod) => {
        queue = queue.then(() =>
          beside(req, mod)
            .catch((err: unknown) => failed(req.id, err))
            .then((r) => self.postMessage(r)),
        )
      },
      (err: unknown) => {
        besideModule = undefined
        self.postMessage(failed(req.id, err))
      },
    )
    return
  }
  queue = queue.then(async () => {
    let reply: TesterResponse
    try {
      // The manifest first: it holds the add-on fields the built events carry.
      const m = await loadManifest()
      const prepared = prepareTester(msg.form)
      if (!prepared.ok) reply = { id: msg.id, ok: false, kind: "parse", error: prepared.error }
      else {
        const { catalog, skipped } = await catalogFor(
          m,
          chunksFor(m, preparedSources(prepared), preparedPasted(prepared)),
        )
        reply = runTester(catalog, msg, prepared, skipped)
        // A rule left undecided for a lookup table not loaded yet: fetch it and answer again.
        if (await loadTablesFor(m, catalog, reply)) reply = runTester(catalog, msg, prepared, skipped)
      }
    } catch (err) {
      reply = { id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err), kind: "load" }
    }
    self.postMessage(reply)
  })
}
