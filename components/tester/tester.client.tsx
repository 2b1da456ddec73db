"use client"

import { useEffect, useMemo, useState } from "react"

import { builtToEventForm, EMPTY_FORM, formToHash, hashToForm, type TesterForm } from "@/lib/tester/form"
import { DEFAULT_STATUSES } from "@/lib/tester/verdict"

import { TesterInputs } from "./tester-inputs"
import { BesideContext } from "./spl-beside"
import { TesterResults } from "./tester-results"
import { useTesterWorker } from "./use-tester-worker"

/** Longest hash written to the address bar; a longer input is evaluated but not linked. */
const MAX_HASH = 64_000

/** The tester: inputs restored from and written to the URL hash, results from the worker. */
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

  useEffect(() => {
    if (!form) return
    const hash = formToHash(form)
    const ok = hash.length <= MAX_HASH
    setLinkable(ok)
    if (ok) window.history.replaceState(null, "", `${window.location.pathname}${window.location.search}${hash}`)
  }, [form])

  const { response, answered, pending, beside } = useTesterWorker(form)
  const current = form ?? EMPTY_FORM
  const besideAsk = useMemo(() => (answered ? { form: answered, ask: beside } : undefined), [answered, beside])

  return (
    <div className="grid gap-8">
      <TesterInputs form={current} disabled={!form} onChange={(patch) => setForm({ ...current, ...patch })} />
      {!linkable && (
        <p className="text-sm text-amber-900">
          This input is too long for a permalink: the address bar is not updated.
        </p>
      )}
      <BesideContext.Provider value={besideAsk}>
        <TesterResults
          form={current}
          response={response}
          pending={pending}
          onEdit={(events) => setForm(builtToEventForm(current, events))}
          onStatuses={(s) =>
            setForm({ ...current, status: s.join(",") === DEFAULT_STATUSES.join(",") ? "" : s.join(",") || "none" })
          }
        />
      </BesideContext.Provider>
    </div>
  )
}
