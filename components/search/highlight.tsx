import type { Snippet } from "@/lib/search/snippet"

/** A snippet as text, its matched ranges in <mark>: rule text is never rendered as HTML. */
export function Highlight({ snippet }: { snippet: Snippet }) {
  const parts: React.ReactNode[] = []
  let at = 0
  for (const [start, end] of snippet.marks) {
    if (start > at) parts.push(snippet.text.slice(at, start))
    parts.push(
      <mark key={start} className="rounded-sm bg-amber-200 px-0.5 text-slate-900">
        {snippet.text.slice(start, end)}
      </mark>,
    )
    at = end
  }
  if (at < snippet.text.length) parts.push(snippet.text.slice(at))
  return <>{parts}</>
}
