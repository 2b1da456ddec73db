import { cn } from "@/lib/cn"

/** A titled page section with an anchor, so every section can be linked to. */
export function Section({ id, title, className, children, ...props }: React.ComponentProps<"section"> & { id: string; title: string }) {
  return (
    <section data-slot="section" aria-labelledby={`${id}-title`} className={cn("mt-10", className)} {...props}>
      <h2 id={`${id}-title`} className="mb-3 scroll-mt-4 text-xl font-semibold text-slate-900">
        <a href={`#${id}-title`} className="hover:underline">
          {title}
        </a>
      </h2>
      {children}
    </section>
  )
}
