"use client"

import { useState, type MouseEvent } from "react"

/**
 * Copies the code of the block it sits in (the `<pre>` inside the nearest `[data-slot=code-block]`)
 * and says so for a moment (announced to screen readers). It reads the text from the page rather
 * than taking it as a prop: a prop would serialize the whole rule body into the page's RSC payload
 * a second time.
 */
export function CopyButton({ label }: { label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle")
  const copy = async (event: MouseEvent<HTMLButtonElement>) => {
    const code = event.currentTarget.closest("[data-slot=code-block]")?.querySelector("pre")?.textContent
    try {
      if (code == null) throw new Error("no code block")
      await navigator.clipboard.writeText(code)
      setState("copied")
    } catch {
      setState("failed")
    }
    setTimeout(() => setState("idle"), 1500)
  }
  return (
    <button
      type="button"
      onClick={copy}
      className="rounded border border-slate-300 bg-white px-2 py-1 text-xs text-slate-700 hover:bg-slate-100"
    >
      <span aria-live="polite">{state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : label}</span>
    </button>
  )
}
