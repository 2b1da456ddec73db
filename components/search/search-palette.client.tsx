"use client"

import { useEffect, useState } from "react"
import { createPortal } from "react-dom"
import { useRouter } from "next/navigation"

import { indicatorPath, rulePath } from "@/lib/catalog/paths"
import { indicatorsFirst } from "@/lib/search/query"
import { withBasePath } from "@/lib/site"

import { PALETTE_HINT } from "./search-shell"
import { SearchHitBody } from "./search-hit"
import { INPUT_ID, LIST_ID, SHELL_ID, STATUS_ID } from "./shortcut"
import { prewarmSearch, rulePage, startSearchWorker, useSearchWorker } from "./use-search-worker"

export { prewarmSearch, startSearchWorker }

/** Results shown in the palette; the rest are one Enter away on /search/. */
const PALETTE_LIMIT = 8
const NO_FACETS = {}

interface Option {
  key: string
  /** A page of the Next app (an indicator, /search/). */
  href?: string
  /** A rule page: plain HTML outside the client router (see components/ui/rule-link.tsx). */
  rule?: { n: number; name: string; format: string; slug: string }
  body: React.ReactNode
}

interface Shell {
  dialog: HTMLDialogElement
  input: HTMLInputElement
  list: HTMLUListElement
  status: HTMLElement
}

function findShell(): Shell | undefined {
  const dialog = document.getElementById(SHELL_ID)
  const input = document.getElementById(INPUT_ID)
  const list = document.getElementById(LIST_ID)
  const status = document.getElementById(STATUS_ID)
  if (
    !(dialog instanceof HTMLDialogElement) ||
    !(input instanceof HTMLInputElement) ||
    !(list instanceof HTMLUListElement) ||
    !status
  )
    return undefined
  return { dialog, input, list, status }
}

/**
 * The command palette: results as you type into the shell's input (search-shell.tsx, opened by
 * shortcut.ts), arrows to move, Enter to open. It owns no input of its own: it reads what was typed
 * before it arrived and everything after, so no keystroke is lost to its loading.
 */
export function SearchPalette() {
  const router = useRouter()
  const [shell, setShell] = useState<Shell>()
  const [query, setQuery] = useState("")
  const [active, setActive] = useState(0)
  // Early answers (the first part of the index) come while the whole index loads.
  const { response, pending } = useSearchWorker(query, NO_FACETS, PALETTE_LIMIT, query.trim() !== "", true)
  const [opening, setOpening] = useState<string>()

  useEffect(() => {
    const found = findShell()
    if (!found) return
    setShell(found)
    // Whatever was typed before this script arrived.
    setQuery(found.input.value)
    const onInput = () => {
      setQuery(found.input.value)
      setActive(0)
    }
    found.input.addEventListener("input", onInput)
    return () => found.input.removeEventListener("input", onInput)
  }, [])

  const result = query.trim() && response?.ok ? response.result : undefined
  const early = response?.ok === true && response.early === true
  const indicatorOptions: Option[] = (result?.indicators ?? []).map((i) => ({
    key: `i:${i.field}:${i.kind}:${i.value}`,
    href: indicatorPath(i),
    body: (
      <span>
        <span className="text-xs uppercase tracking-wide text-slate-600">indicator page</span>{" "}
        <span className="break-anywhere font-mono text-sm">
          {i.field} {i.kind} {i.value}
        </span>{" "}
        <span className="text-sm text-slate-600">({i.rules === 1 ? "1 rule" : `${i.rules} rules`})</span>
      </span>
    ),
  }))
  const ruleOptions: Option[] = (result?.hits ?? []).map((h) => ({
    // By rule number, the same in an early answer and the whole index's: the row stays in place.
    key: `r:${h.rule}`,
    rule: { n: h.rule, name: h.name, format: h.format, slug: h.slug },
    body: <SearchHitBody hit={h} />,
  }))
  const options: Option[] = result
    ? [
        // Rules first for a bare word; an indicator value or filter puts its indicator pages first.
        ...(indicatorsFirst(query) ? [...indicatorOptions, ...ruleOptions] : [...ruleOptions, ...indicatorOptions]),
        ...(result.total === 0
          ? []
          : [
              {
                key: "all",
                href: `/search/?${new URLSearchParams({ q: result.corrected ?? query }).toString()}`,
                body: (
                  <span className="text-sm text-sky-900">
                    {early ? "All results on the search page" : `All ${result.total} results on the search page`}
                  </span>
                ),
              },
            ]),
      ]
    : []
  const current = Math.min(active, Math.max(0, options.length - 1))
  const optionId = (i: number) => `${LIST_ID}-o${i}`

  function go(o: Option | undefined) {
    if (!o) return
    const { rule, href } = o
    if (href !== undefined) {
      shell?.dialog.close()
      router.push(href)
      return
    }
    if (!rule) return
    // Rule pages are plain HTML outside the client router (see components/ui/rule-link.tsx).
    const open = (page: { format: string; slug: string }) => {
      shell?.dialog.close()
      window.location.assign(withBasePath(rulePath(page)))
    }
    if (rule.slug) open(rule)
    else {
      // An early answer knows the rule but not its page: the whole index (on its way) does.
      setOpening(rule.name)
      rulePage(rule.n, rule.name).then(open, () => setOpening(undefined))
    }
  }

  // Keys, and the input's ARIA state, follow the latest options.
  useEffect(() => {
    if (!shell) return
    const { input, dialog } = shell
    input.setAttribute("aria-expanded", String(options.length > 0))
    if (options.length > 0) input.setAttribute("aria-activedescendant", optionId(current))
    else input.removeAttribute("aria-activedescendant")
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault()
        const step = e.key === "ArrowDown" ? 1 : -1
        setActive((current + step + options.length) % Math.max(1, options.length))
      } else if (e.key === "Enter") {
        e.preventDefault()
        go(options[current])
      } else if (e.key === "Escape") {
        // One Escape closes, keeping the query for the next open.
        e.preventDefault()
        dialog.close()
      }
    }
    input.addEventListener("keydown", onKeyDown)
    return () => input.removeEventListener("keydown", onKeyDown)
  })

  const status = !query.trim()
    ? PALETTE_HINT
    : opening !== undefined
      ? `Opening ${opening}…`
      : response && !response.ok
        ? response.error
        : pending && !result
          ? "Loading the search index…"
          : early
            ? `${result?.total ?? 0} ${result?.total === 1 ? "rule matches" : "rules match"} by name or technique so far; searching the rest of the catalog…`
            : result && result.total === 0
              ? "No rule matches."
              : `${result?.total ?? 0} ${result?.total === 1 ? "rule matches" : "rules match"}${result?.command ? ", most terms of the command line first" : ""}.`
  const corrected = result?.corrected ? `Showing results for ${result.corrected}. ` : ""
  useEffect(() => {
    if (shell) shell.status.textContent = corrected + status
  }, [shell, status, corrected])

  if (!shell) return null
  return createPortal(
    options.map((o, i) => (
      <li
        key={o.key}
        id={optionId(i)}
        role="option"
        aria-selected={i === current}
        onClick={() => go(o)}
        onMouseMove={() => setActive(i)}
        className={`block min-w-0 cursor-pointer break-anywhere border-b border-slate-100 px-4 py-2 ${i === current ? "bg-sky-50" : ""}`}
      >
        {o.body}
      </li>
    )),
    shell.list,
  )
}
