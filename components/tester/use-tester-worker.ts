"use client"

import { useCallback, useEffect, useMemo, useRef, useState } from "react"

import type { BesideReply, BesideRequest } from "@/lib/convert/beside-messages"
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
 * `answered` is the form the shown response answers; `beside` asks the same worker for one of its
 * rules judged beside its SPL translations (lib/convert/beside-messages.ts).
 */
export function useTesterWorker(shown: TesterForm | undefined): {
  response?: TesterResponse
  answered?: TesterForm
  pending: boolean
  beside: (req: Omit<BesideRequest, "id">) => Promise<BesideReply>
} {
  // The status filter only changes what the page shows: it must not re-run the rules.
  const key = shown ? JSON.stringify({ ...shown, status: "" }) : undefined
  const form = useMemo(() => (key === undefined ? undefined : (JSON.parse(key) as TesterForm)), [key])
  const worker = useRef<Worker | null>(null)
  const lastId = useRef(0)
  const sent = useRef(false)
  const [response, setResponse] = useState<TesterResponse>()
  const [answered, setAnswered] = useState<TesterForm>()
  const sentForms = useRef(new Map<number, TesterForm>())
  const besideWaiting = useRef(new Map<number, (r: BesideReply) => void>())
  const besideId = useRef(0)
  const [pending, setPending] = useState(false)

  const start = useCallback((): Worker => {
    if (worker.current) return worker.current
    const w = early ?? newWorker()
    early = undefined
    w.onmessage = (e: MessageEvent<TesterResponse | BesideReply>) => {
      const data = e.data
      if ("beside" in data) {
        besideWaiting.current.get(data.beside)?.(data)
        besideWaiting.current.delete(data.beside)
        return
      }
      if (data.id !== lastId.current) return
      setAnswered(sentForms.current.get(data.id))
      sentForms.current.clear()
      setResponse(data)
      setPending(false)
    }
    w.onerror = () => {
      for (const [id, resolve] of besideWaiting.current) resolve({ beside: id, ok: false, error: "the worker stopped" })
      besideWaiting.current.clear()
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
    const send = () => {
      sentForms.current.set(++lastId.current, form)
      start().postMessage({ id: lastId.current, form })
    }
    if (!sent.current) {
      sent.current = true
      send()
      return
    }
    const timer = setTimeout(send, DEBOUNCE_MS)
    return () => clearTimeout(timer)
  }, [form, start])

  const beside = useCallback(
    (req: Omit<BesideRequest, "id">) =>
      new Promise<BesideReply>((resolve) => {
        const id = ++besideId.current
        besideWaiting.current.set(id, resolve)
        start().postMessage({ beside: { ...req, id } })
      }),
    [start],
  )

  return { response, answered, pending, beside }
}
