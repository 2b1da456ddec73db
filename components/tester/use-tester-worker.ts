"use client"

import { useEffect, useMemo, useRef, useState } from "react"

import { isEmptyForm, type TesterForm, type TesterResponse } from "@/lib/tester/form"

const DEBOUNCE_MS = 200

/**
 * Evaluates the form in lib/tester/tester.worker.ts, debounced; the worker starts lazily, on the
 * first form worth evaluating. Stale answers (an older request id) are dropped.
 */
export function useTesterWorker(shown: TesterForm | undefined): { response?: TesterResponse; pending: boolean } {
  // The status filter only changes what the page shows: it must not re-run the rules.
  const key = shown ? JSON.stringify({ ...shown, status: "" }) : undefined
  const form = useMemo(() => (key === undefined ? undefined : (JSON.parse(key) as TesterForm)), [key])
  const worker = useRef<Worker | null>(null)
  const lastId = useRef(0)
  const [response, setResponse] = useState<TesterResponse>()
  const [pending, setPending] = useState(false)

  useEffect(() => () => worker.current?.terminate(), [])

  useEffect(() => {
    if (!form || isEmptyForm(form)) {
      lastId.current++
      setResponse(undefined)
      setPending(false)
      return
    }
    setPending(true)
    const timer = setTimeout(() => {
      if (!worker.current) {
        worker.current = new Worker(new URL("../../lib/tester/tester.worker.ts", import.meta.url), { type: "module" })
        worker.current.onmessage = (e: MessageEvent<TesterResponse>) => {
          if (e.data.id !== lastId.current) return
          setResponse(e.data)
          setPending(false)
        }
        worker.current.onerror = () => {
          setResponse({ id: lastId.current, ok: false, kind: "load", error: "The tester could not start its worker." })
          setPending(false)
        }
      }
      worker.current.postMessage({ id: ++lastId.current, form })
    }, DEBOUNCE_MS)
    return () => clearTimeout(timer)
  }, [form])

  return { response, pending }
}
