import { isSafeUrl } from "@/lib/site"

/** An external link from rule content: only http(s) becomes an anchor, anything else stays text. */
export function SafeLink({ href }: { href: string }) {
  if (!isSafeUrl(href)) return <span className="break-anywhere text-slate-600">{href}</span>
  return (
    <a
      href={href}
      rel="noopener noreferrer nofollow"
      className="break-anywhere text-sky-700 underline underline-offset-2 hover:text-sky-900"
    >
      {href}
    </a>
  )
}
