import { cn } from "@/lib/cn"

const TONES = {
  slate: "bg-slate-100 text-slate-800 ring-slate-300",
  red: "bg-red-50 text-red-800 ring-red-300",
  amber: "bg-amber-50 text-amber-900 ring-amber-300",
  green: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  sky: "bg-sky-50 text-sky-900 ring-sky-300",
  violet: "bg-violet-50 text-violet-900 ring-violet-300",
} as const

export type BadgeTone = keyof typeof TONES

export function Badge({ className, tone = "slate", ...props }: React.ComponentProps<"span"> & { tone?: BadgeTone }) {
  return (
    <span
      data-slot="badge"
      className={cn(
        "inline-flex items-center rounded px-2 py-0.5 text-xs font-medium ring-1 ring-inset",
        TONES[tone],
        className,
      )}
      {...props}
    />
  )
}
