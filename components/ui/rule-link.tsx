import { withBasePath } from "@/lib/site"

/**
 * A link to a rule page. Rule pages are plain HTML written beside `next build`, in the same
 * build (scripts/rule-pages/), so Next's client router has no payload for them: a next/link would
 * prefetch files that do not exist and fall back to a full load anyway. A plain anchor is a
 * normal page load from the start.
 */
export function RuleLink({
  href,
  className,
  children,
}: {
  href: string
  className?: string
  children: React.ReactNode
}) {
  return (
    <a href={withBasePath(href)} className={className}>
      {children}
    </a>
  )
}
