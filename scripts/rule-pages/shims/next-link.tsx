/**
 * `next/link` for code bundled outside Next (static rule pages and their island): a plain anchor
 * with the base path. Outside Next's router there is nothing to prefetch or navigate client-side.
 */
import type { AnchorHTMLAttributes } from "react"

import { withBasePath } from "@/lib/site"

type Props = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string; prefetch?: boolean | null }

export default function Link({ href, prefetch: _prefetch, children, ...rest }: Props) {
  return (
    <a href={href.startsWith("/") ? withBasePath(href) : href} {...rest}>
      {children}
    </a>
  )
}
