"use client"

import { useCallback, useEffect, useMemo, useRef, useState } from "react"

import type { Event } from "@/lib/predicate/types"
import { builtToEventForm, EMPTY_FORM, formToHash, hashToForm, isEmptyForm, type TesterForm } from "@/lib/tester/form"
import { DEFAULT_STATUSES, type StatusGroup } from "@/lib/tester/verdict"

import { TesterInputs } from "./tester-inputs"
import { BesideContext } from "./spl-beside"
import { TesterResults } from "./tester-results"
import { useTesterWorker } from "./use-tester-worker"

/** Longest hash written to the address bar; a longer input is evaluated but not linked. */
const MAX_HASH = 64_000
/** The address bar follows the input at most this often while typing. */
const HASH_DELAY_MS = 300

/**
 * The tester: inputs restored from and written to the URL hash, results from the worker.
 *
 * A key changes the form, not the answer: the results take only what they show (the answer, the
 * mode, the status filter) and stable callbacks, so typing re-renders the inputs and the
 * "Evaluating…" line, never the report of the previous answer.
 */
export function Tester() {
  const [form, setForm] = useState<TesterForm>()
  const [linkable, setLinkable] = useState(true)

  useEffect(() => {
    setForm(hashToForm(window.location.hash))
    // A permalink followed from this page (or typed in the address bar) changes only the hash.
    const onHash = () => setForm(hashToForm(window.location.hash))
    window.addEventListener("hashchange", onHash)
    return () => window.removeEventListener("hashchange", onHash)
  }, [])

  // The address follows the input at most every HASH_DELAY_MS: the first change at once (a paste,
  // a first key), then what typing has reached. Next's router follows every history change with a
  // render of the page from its root, which on each key cost more than the key itself. A change
  // still waiting is written when the page is left, so a reload keeps it.
  const lastWrite = useRef(0)
  useEffect(() => {
    if (!form) return
    const hash = formToHash(form)
    const ok = hash.length <= MAX_HASH
    setLinkable(ok)
    if (!ok) return
    const write = () => {
      if (hash) lastWrite.current = Date.now()
      window.history.replaceState(null, "", `${window.location.pathname}${window.location.search}${hash}`)
    }
    const wait = lastWrite.current + HASH_DELAY_MS - Date.now()
    if (wait <= 0) {
      write()
      return
    }
    const timer = setTimeout(write, wait)
    const flush = () => {
      clearTimeout(timer)
      write()
    }
    window.addEventListener("pagehide", flush)
    return () => {
      clearTimeout(timer)
      window.removeEventListener("pagehide", flush)
    }
  }, [form])

  const { response, answered, pending, beside } = useTesterWorker(form)
  const current = form ?? EMPTY_FORM
  const besideAsk = useMemo(() => (answered ? { form: answered, ask: beside } : undefined), [answered, beside])

  const onChange = useCallback((patch: Partial<TesterForm>) => setForm((f) => ({ ...(f ?? EMPTY_FORM), ...patch })), [])
  const onEdit = useCallback((events: Event[]) => setForm((f) => builtToEventForm(f ?? EMPTY_FORM, events)), [])
  const onStatuses = useCallback(
    (s: StatusGroup[]) =>
      setForm((f) => ({
        ...(f ?? EMPTY_FORM),
        status: s.join(",") === DEFAULT_STATUSES.join(",") ? "" : s.join(",") || "none",
      })),
    [],
  )

  return (
    <div className="grid gap-8">
      <TesterInputs form={current} disabled={!form} onChange={onChange} />
      {!linkable && (
        <p className="text-sm text-amber-900">
          This input is too long for a permalink: the address bar is not updated.
        </p>
      )}
      <BesideContext.Provider value={besideAsk}>
        <TesterResults
          empty={isEmptyForm(current)}
          mode={current.mode}
          status={current.status}
          response={response}
          pending={pending}
          onEdit={onEdit}
          onStatuses={onStatuses}
        />
      </BesideContext.Provider>
    </div>
  )
}
