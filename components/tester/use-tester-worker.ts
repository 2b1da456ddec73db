"use client"

import { useCallback, useEffect, useMemo, useRef, useState } from "react"

import { hashToForm, isEmptyForm, type TesterForm, type TesterResponse } from "@/lib/tester/form"

const DEBOUNCE_MS = 200

const newWorker = () => new Worker(new URL("../../lib/tester/tester.worker.ts", import.meta.url), { type: "module" })

/**
 * On a permalink the input is known before the page hydrates: the worker starts as this module is
 * first evaluated and loads what that input needs meanwhile; the hook adopts it.
 */
let early: Worker | undefined
if (typeof window !== "undefined" && /\/tester\/?$/.test(window.location.pathname)) {
  const form = hashToForm(window.location.hash)
  if (!isEmptyForm(form)) {
    early = newWorker()
    early.postMessage({ warm: true, form })
  }
}

/**
 * Evaluates the form in lib/tester/tester.worker.ts, debounced. The worker starts when the page
 * is idle (and loads what a command line needs before anything is typed), or before the page
 * hydrates on a permalink (see `early`). Stale answers (an older request id) are dropped.
 */
export function useTesterWorker(shown: TesterForm | undefined): { response?: TesterResponse; pending: boolean } {
  // The status filter only changes what the page shows: it must not re-run the rules.
  const key = shown ? JSON.stringify({ ...shown, status: "" }) : undefined
  const form = useMemo(() => (key === undefined ? undefined : (JSON.parse(key) as TesterForm)), [key])
  const worker = useRef<Worker | null>(null)
  const lastId = useRef(0)
  const sent = useRef(false)
  const [response, setResponse] = useState<TesterResponse>()
  const [pending, setPending] = useState(false)

  const start = useCallback((): Worker => {
    if (worker.current) return worker.current
    const w = early ?? newWorker()
    early = undefined
    w.onmessage = (e: MessageEvent<TesterResponse>) => {
      if (e.data.id !== lastId.current) return
      setResponse(e.data)
      setPending(false)
    }
    w.onerror = () => {
      setResponse({ id: lastId.current, ok: false, kind: "load", error: "The tester could not start its worker." })
      setPending(false)
    }
    worker.current = w
    return w
  }, [])

  useEffect(() => {
    // Idle, not at load: the page's own first paint and hydration come first.
    const warm = () => {
      if (!worker.current) start().postMessage({ warm: true })
    }
    const idle = typeof requestIdleCallback === "function" ? requestIdleCallback(warm, { timeout: 2000 }) : undefined
    const timer = idle === undefined ? setTimeout(warm, 300) : undefined
    return () => {
      if (idle !== undefined) cancelIdleCallback(idle)
      if (timer !== undefined) clearTimeout(timer)
      worker.current?.terminate()
      worker.current = null
    }
  }, [start])

  useEffect(() => {
    if (!form || isEmptyForm(form)) {
      lastId.current++
      setResponse(undefined)
      setPending(false)
      return
    }
    setPending(true)
    // The first evaluation (a permalink, a first paste) goes at once; typing after it is debounced.
    const send = () => start().postMessage({ id: ++lastId.current, form })
    if (!sent.current) {
      sent.current = true
      send()
      return
    }
    const timer = setTimeout(send, DEBOUNCE_MS)
    return () => clearTimeout(timer)
  }, [form, start])

  return { response, pending }
}
