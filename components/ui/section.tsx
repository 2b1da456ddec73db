import { cn } from "@/lib/cn"

/**
 * A titled page section with an anchor, so every section can be linked to. The heading's look is
 * in app/globals.css (`[data-slot=section] > h2`): rule pages hold a dozen sections.
 */
export function Section({
  id,
  title,
  className,
  children,
  ...props
}: React.ComponentProps<"section"> & { id: string; title: string }) {
  return (
    <section data-slot="section" aria-labelledby={`${id}-title`} className={cn("mt-10", className)} {...props}>
      <h2 id={`${id}-title`}>
        <a href={`#${id}-title`}>{title}</a>
      </h2>
      {children}
    </section>
  )
}
