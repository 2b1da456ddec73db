"use client"

import { useEffect, useState } from "react"

import { BASE_PATH, withBasePath } from "@/lib/site"

/**
 * On the 404 page, a search for the words of the address that was not found: an old rule link
 * (`/rules/splunk/remote-wmi-command-attempt-v2/`) still names what the reader was after. The
 * address is only known in the browser (one 404 page serves every missing path).
 */
export function NotFoundSearch() {
  const [words, setWords] = useState("")
  useEffect(() => {
    const path = decodeURIComponent(window.location.pathname.slice(BASE_PATH.length))
    const last = path.split("/").filter(Boolean).pop() ?? ""
    setWords(
      last
        .replace(/\.[a-z]+$/i, "")
        .replace(/[-_.+]+/g, " ")
        .trim()
        .slice(0, 100),
    )
  }, [])
  if (!words) return null
  return (
    <p className="mt-3 text-slate-700" data-testid="not-found-search">
      Looking for a rule?{" "}
      <a href={withBasePath(`/search/?q=${encodeURIComponent(words)}`)} className="text-sky-700 underline">
        Search for “{words}”
      </a>
    </p>
  )
}
