import { shadeLegend } from "@/lib/attack/coverage"

/**
 * Tailwind classes of the heat map levels (see `shadeLevel`), light to dark as counts grow; text
 * keeps AA contrast on each. The dark theme mirrors the palette, so there the cells grow lighter.
 */
export const SHADE_CLASSES = [
  "bg-white text-slate-700 border-slate-200",
  "bg-sky-50 text-slate-900 border-sky-200",
  "bg-sky-100 text-slate-900 border-sky-300",
  "bg-sky-200 text-slate-900 border-sky-400",
  "bg-sky-300 text-slate-950 border-sky-500",
  "bg-sky-700 text-white border-sky-800",
  "bg-sky-900 text-white border-sky-950",
] as const

export function shadeClass(level: number): string {
  return SHADE_CLASSES[Math.max(0, Math.min(level, SHADE_CLASSES.length - 1))] ?? SHADE_CLASSES[0]
}

/** The legend of the heat map: one swatch per level with its range of rule counts. */
export function ShadeLegend({ className }: { className?: string }) {
  return (
    <ul
      className={`flex flex-wrap gap-2 text-xs ${className ?? ""}`}
      aria-label="Legend: rules per technique"
      data-testid="matrix-legend"
    >
      {shadeLegend().map((l) => (
        <li key={l.level} className={`rounded border px-2 py-0.5 whitespace-nowrap ${shadeClass(l.level)}`}>
          {l.label}
        </li>
      ))}
    </ul>
  )
}
