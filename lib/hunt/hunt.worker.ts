/**
 * The in-browser hunt's web worker: streams a chosen log file (File.stream(), gzip through
 * DecompressionStream, decoded chunk by chunk) through every rule of `/tester/hunt/rules.json`,
 * posting progress as it goes, the report at the end, and traces on request. The file never
 * leaves the machine: it is read here and nothing is sent anywhere.
 *
 * Owns: the worker globals of the hunt (fetch, self.onmessage) and its messages (HuntRequest,
 * HuntMessage).
 *
 * Invariants:
 * - One hunt at a time; a new `start` cancels the one running. Cancel is checked between chunks,
 *   and the worker yields to its message queue at least every YIELD_MS of work, so a cancel is
 *   honoured within a chunk's time.
 * - Memory: the rules' aggregation state (lib/hunt) plus at most MAX_KEPT events kept for the
 *   drill-down (the events some rule took, first ones first).
 *
 * Must never import: React, Next, Node built-ins.
 */
import { withBasePath } from "../site.ts"
import type { TesterInput } from "../tester/report.ts"
import { compileHunt, Hunter, type HuntCatalog, type HuntReport } from "./hunt.ts"
import { fromHuntPayload, type HuntPayload } from "./payload.ts"
import { LogReader } from "./read.ts"
import { huntTrace, type HuntTrace } from "./trace.ts"

export const MAX_KEPT = 5000
const YIELD_MS = 40
const PROGRESS_MS = 100

export type HuntRequest =
  | { type: "start"; id: number; file: Blob; name: string }
  | { type: "cancel"; id: number }
  | { type: "trace"; id: number; rule: string; event: number }

export type KeptEvent = { index: number; line: number; fields: Record<string, string> }

export type HuntMessage =
  | {
      type: "progress"
      id: number
      bytes: number
      total: number
      events: number
      rate: number
      phase: "rules" | "reading"
    }
  | {
      type: "done"
      id: number
      report: HuntReport
      kept: KeptEvent[]
      errors: Array<{ line: number; message: string }>
      errorCount: number
      attackVersion: string
      seconds: number
    }
  | { type: "cancelled"; id: number }
  | { type: "error"; id: number; message: string }
  | { type: "trace"; id: number; rule: string; event: number; trace: HuntTrace[] }

let catalog: Promise<{ cat: HuntCatalog; attackVersion: string }> | undefined
let current = 0
let lastCat: HuntCatalog | undefined
const kept = new Map<number, TesterInput>()

function loadCatalog(): Promise<{ cat: HuntCatalog; attackVersion: string }> {
  catalog ??= (async () => {
    const url = withBasePath("/tester/hunt/rules.json")
    const r = await fetch(url)
    if (!r.ok) throw new Error(`could not load the rules (${r.status} ${url})`)
    const p = (await r.json()) as HuntPayload
    const cat = compileHunt(fromHuntPayload(p))
    cat.notHunted.push(...p.notHunted)
    return { cat, attackVersion: p.attackVersion }
  })()
  catalog.catch(() => {
    catalog = undefined
  })
  return catalog
}

/** The fields shown for a kept event: a built command line as its CIM fields, a pasted event as read. */
function shownFields(input: TesterInput): Record<string, string> {
  const e = "built" in input ? input.built.shapes.cim : input.event
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(e ?? {})) {
    if (v === null || v === undefined) continue
    out[k] = Array.isArray(v) ? v.join(" | ") : String(v)
  }
  return out
}

const post = (m: HuntMessage) => self.postMessage(m)
const pause = () => new Promise<void>((r) => setTimeout(r, 0))

async function run(id: number, file: Blob): Promise<void> {
  post({ type: "progress", id, bytes: 0, total: file.size, events: 0, rate: 0, phase: "rules" })
  const { cat, attackVersion } = await loadCatalog()
  if (id !== current) return
  lastCat = cat
  kept.clear()
  const hunter = new Hunter(cat)
  const keptInfo: KeptEvent[] = []
  const errors: Array<{ line: number; message: string }> = []
  let errorCount = 0
  const reader = new LogReader(
    (e) => {
      if (hunter.push(e.input, e.time) && kept.size < MAX_KEPT) {
        const index = hunter.events - 1
        kept.set(index, e.input)
        keptInfo.push({ index, line: e.line, fields: shownFields(e.input) })
      }
    },
    (e) => {
      errorCount++
      if (errors.length < 50) errors.push(e)
    },
  )
  let bytes = 0
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, ctl) {
      bytes += chunk.byteLength
      ctl.enqueue(chunk)
    },
  })
  const head = new Uint8Array(await file.slice(0, 2).arrayBuffer())
  let stream: ReadableStream<Uint8Array> = file.stream().pipeThrough(counter)
  if (head[0] === 0x1f && head[1] === 0x8b)
    stream = stream.pipeThrough(new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>)
  const text = stream.pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>).getReader()
  const started = performance.now()
  let lastYield = started
  let lastProgress = 0
  for (;;) {
    const { done, value } = await text.read()
    if (id !== current) {
      await text.cancel()
      post({ type: "cancelled", id })
      return
    }
    if (done) break
    // Big chunks are fed in slices so a cancel or a progress report never waits on a whole one.
    for (let i = 0; i < value.length; i += 65536) {
      reader.feed(value.slice(i, i + 65536))
      const now = performance.now()
      if (now - lastProgress > PROGRESS_MS) {
        lastProgress = now
        const rate = hunter.events / Math.max(0.001, (now - started) / 1000)
        post({ type: "progress", id, bytes, total: file.size, events: hunter.events, rate, phase: "reading" })
      }
      if (now - lastYield > YIELD_MS) {
        await pause()
        lastYield = performance.now()
        if (id !== current) {
          await text.cancel()
          post({ type: "cancelled", id })
          return
        }
      }
    }
  }
  reader.end()
  const report = hunter.finish()
  const seconds = (performance.now() - started) / 1000
  post({ type: "done", id, report, kept: keptInfo, errors, errorCount, attackVersion, seconds })
}

self.onmessage = (e: MessageEvent<HuntRequest>) => {
  const msg = e.data
  if (msg.type === "cancel") {
    if (msg.id === current) current = -msg.id
    return
  }
  if (msg.type === "trace") {
    const input = kept.get(msg.event)
    const rule = lastCat?.rules.find((r) => `${r.detection.format}:${r.detection.id}` === msg.rule)
    post({
      type: "trace",
      id: msg.id,
      rule: msg.rule,
      event: msg.event,
      trace: input && rule ? huntTrace(rule, input) : [],
    })
    return
  }
  current = msg.id
  run(msg.id, msg.file).catch((err: unknown) => {
    if (msg.id === current)
      post({ type: "error", id: msg.id, message: err instanceof Error ? err.message : String(err) })
  })
}
