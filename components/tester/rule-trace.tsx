import type { TraceLeaf, TraceStage } from "@/lib/tester/match"

/** Shortens a value for display: a 1 MB command line must not become a 1 MB DOM node. */
export function clip(s: string, max = 160): string {
  return s.length > max ? `${s.slice(0, max)}… (${s.length.toLocaleString("en-US")} characters)` : s
}

const HELD: Record<string, { mark: string; text: string; cls: string }> = {
  true: { mark: "✓", text: "held", cls: "text-emerald-800" },
  false: { mark: "✗", text: "not held", cls: "text-rose-800" },
  unknown: { mark: "?", text: "unknown", cls: "text-amber-900" },
}

/** One predicate leaf: held ✓ / not held ✗ in text, the test, and the value it was judged on. */
export function LeafLine({ leaf }: { leaf: TraceLeaf }) {
  const h = HELD[String(leaf.held)] ?? HELD.unknown!
  return (
    <li className="flex flex-wrap items-baseline gap-x-2" data-held={String(leaf.held)}>
      <span className={`shrink-0 font-semibold ${h.cls}`}>
        <span aria-hidden="true">{h.mark}</span> {h.text}
      </span>
      <code className="font-mono text-xs break-all text-slate-900">{leaf.test}</code>
      {leaf.negated && <span className="text-xs text-slate-600">(under NOT: the rule wants it not to hold)</span>}
      {leaf.macro && <span className="text-xs text-slate-600">from macro {leaf.macro}</span>}
      {leaf.selection && <span className="text-xs text-slate-600">in {leaf.selection}</span>}
      <span className="text-xs break-all text-slate-700">
        {leaf.isNull ? "field absent" : leaf.value !== undefined ? <>on “{clip(leaf.value)}”</> : null}
      </span>
    </li>
  )
}

/** A rule's evaluation, stage by stage, with every leaf marked. */
export function RuleTrace({ trace }: { trace: TraceStage[] }) {
  return (
    <ol className="mt-2 grid gap-2 text-sm">
      {trace.map((s) => (
        <li key={s.index} className="rounded border border-slate-200 p-2">
          <p className="text-xs text-slate-700">
            Stage {s.index + 1} <code className="font-mono">{s.command}</code>: {String(s.result)}
            {s.reason ? ` (${s.reason})` : ""}
            {s.macros.length > 0 && ` · macros ${s.macros.join(", ")}`}
          </p>
          {s.leaves.length > 0 && (
            <ul className="mt-1 grid gap-1" aria-label={`Stage ${s.index + 1} conditions`}>
              {s.leaves.map((l) => (
                <LeafLine key={l.id} leaf={l} />
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  )
}
