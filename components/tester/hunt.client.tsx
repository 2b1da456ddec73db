"use client"

import { useCallback, useEffect, useRef, useState } from "react"

import type { HuntMessage, HuntRequest } from "@/lib/hunt/hunt.worker"

import { HuntResults, type HuntDone } from "./hunt-results"

type Progress = Extract<HuntMessage, { type: "progress" }>
type State =
  | { kind: "idle" }
  | { kind: "running"; name: string; progress?: Progress }
  | { kind: "done"; name: string; result: HuntDone }
  | { kind: "cancelled"; name: string; events: number }
  | { kind: "error"; name: string; message: string }

const h2 = "text-xl font-semibold text-slate-900"
const button =
  "rounded border border-slate-400 bg-white px-3 py-1.5 text-sm font-medium text-slate-900 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-sky-700 disabled:opacity-50"

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`

/**
 * "Hunt a log file": a file chosen or dropped here is streamed through every rule in a web
 * worker (lib/hunt/hunt.worker.ts), with progress and cancel; the report opens below. The file is
 * read in the browser and is never sent anywhere.
 */
export function HuntPanel() {
  const worker = useRef<Worker | null>(null)
  const runId = useRef(0)
  const [state, setState] = useState<State>({ kind: "idle" })
  const [dragging, setDragging] = useState(false)
  const traceHandlers = useRef(new Map<number, (m: Extract<HuntMessage, { type: "trace" }>) => void>())

  const start = useCallback((): Worker => {
    if (worker.current) return worker.current
    const w = new Worker(new URL("../../lib/hunt/hunt.worker.ts", import.meta.url), { type: "module" })
    w.onmessage = (e: MessageEvent<HuntMessage>) => {
      const m = e.data
      if (m.type === "trace") {
        traceHandlers.current.get(m.id)?.(m)
        traceHandlers.current.delete(m.id)
        return
      }
      if (m.id !== runId.current) return
      setState((s) => {
        const name = s.kind === "idle" ? "" : s.name
        if (m.type === "progress") return { kind: "running", name, progress: m }
        if (m.type === "cancelled")
          return { kind: "cancelled", name, events: s.kind === "running" ? (s.progress?.events ?? 0) : 0 }
        if (m.type === "error") return { kind: "error", name, message: m.message }
        return { kind: "done", name, result: m }
      })
    }
    w.onerror = () =>
      setState((s) => ({
        kind: "error",
        name: s.kind === "idle" ? "" : s.name,
        message: "The hunt could not start its worker.",
      }))
    worker.current = w
    return w
  }, [])

  useEffect(
    () => () => {
      worker.current?.terminate()
      worker.current = null
    },
    [],
  )

  const hunt = (file: File) => {
    const id = ++runId.current
    setState({ kind: "running", name: file.name })
    const msg: HuntRequest = { type: "start", id, file, name: file.name }
    start().postMessage(msg)
  }
  const cancel = () => {
    const msg: HuntRequest = { type: "cancel", id: runId.current }
    worker.current?.postMessage(msg)
  }
  const trace = (rule: string, event: number) =>
    new Promise<Extract<HuntMessage, { type: "trace" }>>((resolve) => {
      const id = 1_000_000 + traceHandlers.current.size + Math.floor(Math.random() * 1e6)
      traceHandlers.current.set(id, resolve)
      const msg: HuntRequest = { type: "trace", id, rule, event }
      start().postMessage(msg)
    })

  const running = state.kind === "running"
  const p = running ? state.progress : undefined
  return (
    <section aria-labelledby="hunt-title" className="grid gap-4 border-t border-slate-200 pt-6">
      <h2 id="hunt-title" className={h2}>
        Hunt a log file
      </h2>
      <p className="text-sm text-slate-700">
        Every event of a log file through every rule, with the rules that count over many events (thresholds, outliers).
        JSONL of events or of command-line cases (<code>{'{"time", "cmd", "parent", "user", "host"}'}</code>
        ), a JSON array, evtx JSON or Windows event XML, optionally gzipped. The file is read in your browser and never
        leaves this machine.
      </p>
      <div
        data-testid="hunt-drop"
        onDragOver={(e) => {
          e.preventDefault()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault()
          setDragging(false)
          const f = e.dataTransfer.files[0]
          if (f) hunt(f)
        }}
        className={`flex flex-wrap items-center gap-3 rounded border-2 border-dashed p-4 ${dragging ? "border-sky-600 bg-sky-50" : "border-slate-300"}`}
      >
        <label className="text-sm text-slate-800">
          <span className="mr-2">Choose a log file, or drop it here:</span>
          <input
            type="file"
            aria-label="Log file to hunt"
            className="text-sm"
            accept=".jsonl,.json,.ndjson,.xml,.gz,.log,.txt"
            onChange={(e) => {
              const f = e.target.files?.[0]
              if (f) hunt(f)
              e.target.value = ""
            }}
          />
        </label>
        {running && (
          <button type="button" className={button} onClick={cancel}>
            Cancel
          </button>
        )}
      </div>
      <div aria-live="polite" className="text-sm text-slate-800">
        {running && (
          <div className="grid gap-1" data-testid="hunt-progress">
            <progress
              className="w-full"
              aria-label={`Hunting ${state.name}`}
              max={p?.total || 1}
              value={p?.phase === "reading" ? p.bytes : 0}
            />
            <p>
              {!p || p.phase === "rules"
                ? `Loading the rules to hunt ${state.name}…`
                : `${state.name}: ${mb(p.bytes)} of ${mb(p.total)} read, ${p.events.toLocaleString("en")} events, ${Math.round(p.rate).toLocaleString("en")} events/s`}
            </p>
          </div>
        )}
        {state.kind === "cancelled" && (
          <p role="status">
            Hunt of {state.name} cancelled after {state.events.toLocaleString("en")} events.
          </p>
        )}
        {state.kind === "error" && (
          <p role="alert" className="rounded border border-rose-300 bg-rose-50 p-2 text-rose-900">
            {state.name ? `${state.name}: ` : ""}
            {state.message}
          </p>
        )}
      </div>
      {state.kind === "done" && <HuntResults name={state.name} result={state.result} trace={trace} />}
    </section>
  )
}
