"use client"

import { useState, type MouseEvent } from "react"

import { COPY_FEEDBACK_MS, copyCodeOf, copyLabel, type CopyState } from "./copy-code"

/**
 * Copies the code of the block it sits in and says so for a moment. On static rule pages, which
 * ship no React, the same markup (`data-copy`) is driven by components/rules/rule-island.ts.
 */
export function CopyButton({ label }: { label: string }) {
  const [state, setState] = useState<CopyState>("idle")
  const copy = async (event: MouseEvent<HTMLButtonElement>) => {
    setState(await copyCodeOf(event.currentTarget))
    setTimeout(() => setState("idle"), COPY_FEEDBACK_MS)
  }
  return (
    <button
      type="button"
      onClick={copy}
      data-copy={label}
      className="rounded border border-slate-300 bg-white px-2 py-1 text-xs text-slate-700 hover:bg-slate-100"
    >
      <span aria-live="polite">{copyLabel(state, label)}</span>
    </button>
  )
}
