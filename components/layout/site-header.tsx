import Link from "next/link"

import { SITE_NAME } from "@/lib/site"

import { SearchTrigger } from "@/components/search/search-trigger.client"

import { SiteMenuDismiss } from "./site-menu.client"
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

function NavLinks({ className }: { className: string }) {
  return (
    <ul className={className}>
      {NAV.map((item) => (
        <li key={item.href}>
          <Link prefetch={false} href={item.href} className="text-slate-700 hover:text-sky-800 hover:underline">
            {item.label}
          </Link>
        </li>
      ))}
    </ul>
  )
}

/**
 * The site's header. Its links never prefetch: they sit on every page, and prefetching them made
 * every page download the payloads of the heaviest lists (/rules/ alone is over a megabyte on a
 * corpus build) before anyone clicked. A click loads the page as usual.
 *
 * From the md breakpoint the links sit in one row beside the name (one line at 1440 px). On a
 * phone eleven links took four lines, a fifth of the screen, above every page's content; there
 * they fold into a Menu disclosure. It is a `<details>` element so that it opens without
 * any script: static rule pages ship almost none; once scripts run it closes on Esc and on
 * taps outside (site-menu.ts). Only one of the two navigations is displayed at a
 * time, so assistive technology meets one "Main" landmark.
 */
export function SiteHeader() {
  return (
    <header className="border-b border-slate-200 bg-slate-50">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-3 gap-y-2 px-4 py-3 md:gap-x-5">
        <Link prefetch={false} href="/" className="text-lg font-semibold text-slate-900">
          {SITE_NAME}
        </Link>
        <nav aria-label="Main" className="hidden md:block">
          <NavLinks className="flex flex-wrap gap-x-3.5 gap-y-1 text-sm" />
        </nav>
        <div className="ml-auto flex items-center gap-2">
          <ThemeToggle />
          <SearchTrigger />
          <details className="group relative md:hidden" data-site-menu>
            <summary className="cursor-pointer list-none rounded border border-slate-300 bg-white px-3 py-1 text-sm text-slate-700 hover:border-sky-700 [&::-webkit-details-marker]:hidden">
              Menu
            </summary>
            <nav
              aria-label="Main"
              className="absolute right-0 z-40 mt-2 w-56 rounded border border-slate-200 bg-white p-3 shadow-lg"
            >
              <NavLinks className="flex flex-col gap-2 text-base" />
            </nav>
          </details>
          <SiteMenuDismiss />
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
