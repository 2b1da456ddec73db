import { withBasePath } from "@/lib/site"

import type { Block, Span } from "@/lib/attack/descriptions"

function SpanView({ span }: { span: Span }) {
  if ("code" in span)
    return <code className="break-anywhere rounded bg-slate-100 px-1 font-mono text-[0.9em]">{span.code}</code>
  if ("strong" in span) return <strong>{span.strong}</strong>
  if ("href" in span) {
    const cls = "text-sky-700 underline underline-offset-2"
    // Internal links as plain anchors: next/link drops the trailing slash of a segment with a dot (t1059.001).
    return span.internal ? (
      <a href={withBasePath(span.href)} className={cls}>
        {span.text}
      </a>
    ) : (
      <a href={span.href} rel="noopener noreferrer" className={cls}>
        {span.text}
      </a>
    )
  }
  return <>{span.text}</>
}

/**
 * ATT&CK's description of a technique, from lib/attack/descriptions.ts blocks: text, never HTML.
 * Its first paragraph shows; the rest (often several screens) folds behind "Read more", so the
 * page's rules follow the facts instead of sitting below ATT&CK's whole text.
 */
export function AttackDescription({ blocks }: { blocks: Block[] }) {
  const lead = blocks[0]?.kind === "p" ? 1 : 0
  const rest = blocks.slice(lead)
  return (
    <div className="break-anywhere max-w-3xl space-y-3 text-slate-800" data-testid="technique-description">
      {lead > 0 && <Blocks blocks={blocks.slice(0, lead)} />}
      {rest.length > 0 && lead > 0 ? (
        <details className="group space-y-3">
          <summary className="cursor-pointer text-sm text-sky-700 underline underline-offset-2">
            <span className="group-open:hidden">Read ATT&amp;CK&apos;s full description</span>
            <span className="hidden group-open:inline">Show less</span>
          </summary>
          <Blocks blocks={rest} />
        </details>
      ) : (
        <Blocks blocks={rest} />
      )}
    </div>
  )
}

function Blocks({ blocks }: { blocks: Block[] }) {
  const out: React.ReactNode[] = []
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]
    if (!b) continue
    if (b.kind === "li") {
      const items: Block[] = []
      while (blocks[i]?.kind === "li") items.push(blocks[i++] as Block)
      i--
      out.push(
        <ul key={i} className="list-disc space-y-1 pl-6">
          {items.map((it, j) => (
            <li key={j}>
              {it.spans.map((s, k) => (
                <SpanView key={k} span={s} />
              ))}
            </li>
          ))}
        </ul>,
      )
    } else if (b.kind === "h") {
      out.push(
        <h3 key={i} className="font-semibold">
          {b.spans.map((s, k) => (
            <SpanView key={k} span={s} />
          ))}
        </h3>,
      )
    } else {
      out.push(
        <p key={i}>
          {b.spans.map((s, k) => (
            <SpanView key={k} span={s} />
          ))}
        </p>,
      )
    }
  }
  return <div className="space-y-3">{out}</div>
}
