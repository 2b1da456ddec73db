/** A risk message or finding title with its `$field$` tokens marked. Text only, never HTML. */
export function MessageTokens({ text }: { text: string }) {
  const parts = text.split(/(\$[^$\s]+\$)/g)
  return (
    <span className="break-anywhere">
      {parts.map((part, i) =>
        /^\$[^$\s]+\$$/.test(part) ? (
          <mark
            key={i}
            className="rounded bg-amber-100 px-1 font-mono text-[0.85em] text-amber-950"
            title={`field ${part.slice(1, -1)}`}
          >
            {part}
          </mark>
        ) : (
          <span key={i}>{part}</span>
        ),
      )}
    </span>
  )
}
