import Link from "next/link"

import { SITE_NAME } from "@/lib/site"

import { SearchTrigger } from "@/components/search/search-trigger.client"

import { ThemeToggle } from "./theme-toggle.client"

const NAV = [
  { href: "/rules/", label: "Rules" },
  { href: "/search/", label: "Search" },
  { href: "/attack/", label: "ATT&CK" },
  { href: "/stories/", label: "Stories" },
  { href: "/data-sources/", label: "Data sources" },
  { href: "/events/", label: "Events" },
  { href: "/coverage/", label: "What can I run?" },
  { href: "/macros/", label: "Macros" },
  { href: "/indicators/", label: "Indicators" },
  { href: "/tester/", label: "Tester" },
  { href: "/about/", label: "About" },
]

/**
 * The site's header. Its links never prefetch: they sit on every page, and prefetching them made
 * every page download the payloads of the heaviest lists (/rules/ alone is over a megabyte on a
 * corpus build) before anyone clicked. A click loads the page as usual.
 */
export function SiteHeader() {
  return (
    <header className="border-b border-slate-200 bg-slate-50">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link prefetch={false} href="/" className="text-lg font-semibold text-slate-900">
          {SITE_NAME}
        </Link>
        <nav aria-label="Main">
          <ul className="flex flex-wrap gap-4 text-sm">
            {NAV.map((item) => (
              <li key={item.href}>
                <Link prefetch={false} href={item.href} className="text-slate-700 hover:text-sky-800 hover:underline">
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="ml-auto flex items-center gap-2">
          <ThemeToggle />
          <SearchTrigger />
        </div>
      </div>
    </header>
  )
}

export function SiteFooter() {
  return (
    <footer className="mt-16 border-t border-slate-200 py-6 text-center text-xs text-slate-600">
      {SITE_NAME} · a static catalog built from your rule repository ·{" "}
      <Link prefetch={false} href="/docs/your-repo/" className="underline">
        use your own rules
      </Link>
    </footer>
  )
}
