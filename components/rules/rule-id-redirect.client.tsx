"use client"

import Link from "next/link"
import { useEffect, useState } from "react"

import { idFromLocation, resolveId, type IdMap } from "@/lib/catalog/permalink"
import { withBasePath } from "@/lib/site"
import { RuleLink } from "@/components/ui/rule-link"

type State =
  | { step: "reading" }
  | { step: "none" }
  | { step: "looking"; id: string }
  | { step: "unknown"; id: string }
  | { step: "failed"; id: string }
  | { step: "found"; id: string; href: string }
  | { step: "shared"; id: string; hrefs: string[] }

/**
 * Reads the id from the address (`?<id>`, `?id=<id>` or `#<id>`), looks it up in `/id/map.json`
 * and replaces this page with the rule's, so Back skips the permalink. Ids are unique within a
 * format only: an id that rules of several formats share lists their pages instead. The id is
 * shown as text only.
 */
export function RuleIdRedirect() {
  const [state, setState] = useState<State>({ step: "reading" })

  useEffect(() => {
    let cancelled = false
    const run = async () => {
      const id = idFromLocation(window.location.search, window.location.hash)
      if (!id) return setState({ step: "none" })
      setState({ step: "looking", id })
      try {
        const response = await fetch(withBasePath("/id/map.json"))
        if (!response.ok) throw new Error(`HTTP ${response.status}`)
        const targets = resolveId((await response.json()) as IdMap, id)
        if (cancelled) return
        const [target] = targets
        if (!target) return setState({ step: "unknown", id })
        if (targets.length > 1) return setState({ step: "shared", id, hrefs: targets })
        setState({ step: "found", id, href: target })
        window.location.replace(withBasePath(target))
      } catch {
        if (!cancelled) setState({ step: "failed", id })
      }
    }
    void run()
    window.addEventListener("hashchange", run)
    return () => {
      cancelled = true
      window.removeEventListener("hashchange", run)
    }
  }, [])

  return (
    <div className="mt-3 space-y-3 text-slate-800" data-testid="rule-id">
      <p role="status">
        {state.step === "reading" && "Reading the rule id…"}
        {state.step === "looking" && (
          <>
            Looking up rule <code className="font-mono">{state.id}</code>…
          </>
        )}
        {state.step === "found" && (
          <>
            Rule <code className="font-mono">{state.id}</code> is at{" "}
            <RuleLink href={state.href} className="text-sky-700 underline">
              {state.href}
            </RuleLink>
            ; opening it…
          </>
        )}
        {state.step === "shared" && (
          <>
            Rules of {state.hrefs.length} formats share the id <code className="font-mono">{state.id}</code>:
          </>
        )}
        {state.step === "unknown" && (
          <>
            No rule with id <code className="break-anywhere font-mono">{state.id}</code> in this catalog.
          </>
        )}
        {state.step === "failed" && (
          <>
            Could not load the rule id map to look up <code className="break-anywhere font-mono">{state.id}</code>; try
            reloading.
          </>
        )}
        {state.step === "none" &&
          "This address leads to a rule by its id: add the id after a question mark, as in /id/?<rule id>."}
      </p>
      {state.step === "shared" && (
        <ul className="list-disc pl-6">
          {state.hrefs.map((href) => (
            <li key={href}>
              <RuleLink href={href} className="text-sky-700 underline">
                {href}
              </RuleLink>
            </li>
          ))}
        </ul>
      )}
      {state.step !== "reading" && state.step !== "looking" && state.step !== "found" && (
        <form action={withBasePath("/id/")} method="get" className="flex flex-wrap items-center gap-2">
          <label htmlFor="rule-id" className="text-sm font-medium">
            Rule id
          </label>
          <input
            id="rule-id"
            name="id"
            required
            className="w-96 max-w-full rounded border border-slate-300 px-2 py-1 font-mono text-sm"
            placeholder="a6b7e983-fccc-431a-be0f-81a745da237e"
          />
          <button
            type="submit"
            className="rounded border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-100"
          >
            Open
          </button>
          <Link href="/rules/" className="text-sm text-sky-700 underline">
            Browse all rules
          </Link>
        </form>
      )}
    </div>
  )
}
