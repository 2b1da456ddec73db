import Link from "next/link"

import { loadAttackIndex } from "@/lib/attack/load.node"
import { getCatalog } from "@/lib/catalog/get.node"
import { headlineCounts, heatStrip } from "@/lib/catalog/technique-view"
import { catalogCounts, latestRules, rulePath } from "@/lib/catalog/views"
import { HeatStrip } from "@/components/attack/heat-strip"
import { RuleLink } from "@/components/ui/rule-link"

export default function HomePage() {
  const index = getCatalog()
  const counts = catalogCounts(index)
  const attack = loadAttackIndex()
  const headline = headlineCounts(attack, index)
  const strip = heatStrip(attack, index)
  const latest = latestRules(index, 8)
  const tiles: Array<{ label: string; value: number; href: string; note?: string }> = [
    { label: "Detection rules", value: headline.rules, href: "/rules/" },
    {
      label: "ATT&CK techniques covered",
      value: headline.techniques,
      href: "/attack/",
      note:
        headline.flaggedTechniques > 0
          ? `and ${headline.flaggedTechniques} ids not in ATT&CK v${attack.data.version}`
          : undefined,
    },
    { label: "Analytic stories", value: counts.stories, href: "/stories/" },
    {
      label: "Data sources",
      value: headline.dataSources,
      href: "/data-sources/",
      note: `${headline.dataSourcesRead} read by rules`,
    },
    { label: "Macros", value: counts.macros, href: "/macros/" },
  ]
  return (
    <>
      <h1 className="text-3xl font-bold tracking-tight">Detection Atlas</h1>
      <p className="mt-2 max-w-3xl text-slate-700">
        A catalog of detection rules: what each rule looks for, the ATT&amp;CK techniques it covers, the events it needs
        and the risk it adds.
      </p>
      <ul className="mt-6 grid gap-4 sm:grid-cols-2" aria-label="Start here">
        <li>
          <Link
            prefetch={false}
            href="/tester/"
            className="block h-full rounded-lg border border-sky-300 bg-sky-50 p-4 hover:border-sky-500"
            data-testid="entry-tester"
          >
            <span className="block font-semibold text-sky-900">Try a command line or an event</span>
            <span className="text-sm text-slate-700">
              Paste what you saw; see every rule that would fire, condition by condition.
            </span>
          </Link>
        </li>
        <li>
          <Link
            prefetch={false}
            href="/indicators/"
            className="block h-full rounded-lg border border-sky-300 bg-sky-50 p-4 hover:border-sky-500"
            data-testid="entry-indicators"
          >
            <span className="block font-semibold text-sky-900">Which rules look for a value?</span>
            <span className="text-sm text-slate-700">
              Every process name, path and argument the rules match, with the rules that use it.
            </span>
          </Link>
        </li>
      </ul>
      <ul className="mt-8 grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-5" aria-label="Catalog counts">
        {tiles.map((t) => (
          <li key={t.label}>
            <Link
              prefetch={false}
              href={t.href}
              className="block rounded-lg border border-slate-200 p-4 hover:border-sky-400 hover:bg-sky-50"
            >
              <span className="block text-3xl font-bold" data-testid={`count-${t.label.split(" ")[0]?.toLowerCase()}`}>
                {t.value.toLocaleString("en")}
              </span>
              <span className="text-sm text-slate-700">{t.label}</span>
              {t.note && (
                <span
                  className="block text-xs text-slate-600"
                  data-testid={`count-note-${t.label.split(" ")[0]?.toLowerCase()}`}
                >
                  {t.note}
                </span>
              )}
            </Link>
          </li>
        ))}
      </ul>
      <h2 className="mt-10 text-xl font-semibold">ATT&amp;CK coverage</h2>
      <p className="mt-1 text-sm text-slate-700">
        Each square is a technique, shaded by the number of rules covering it.{" "}
        <Link prefetch={false} href="/attack/" className="font-medium text-sky-700 underline underline-offset-2">
          Open the ATT&amp;CK matrix
        </Link>
      </p>
      <div className="mt-3">
        <HeatStrip rows={strip} />
      </div>
      <h2 className="mt-10 text-xl font-semibold">Latest updated rules</h2>
      <ul className="mt-2 divide-y divide-slate-200 text-sm" data-testid="latest-rules">
        {latest.map((d) => (
          <li key={`${d.format}/${d.slug}`} className="flex flex-wrap items-baseline justify-between gap-x-4 py-1.5">
            <RuleLink href={rulePath(d)} className="break-anywhere text-sky-700 underline underline-offset-2">
              {d.name}
            </RuleLink>
            <span className="text-slate-600">
              {d.type} · <time dateTime={d.modified ?? d.created}>{d.modified ?? d.created ?? "undated"}</time>
            </span>
          </li>
        ))}
      </ul>
      <h2 className="mt-10 text-xl font-semibold">Rules by type</h2>
      <ul className="mt-2 flex flex-wrap gap-3 text-sm">
        {counts.byType.map((t) => (
          <li key={t.key}>
            <Link
              prefetch={false}
              href={`/rules/?type=${encodeURIComponent(t.key)}`}
              className="rounded border border-slate-300 px-3 py-1 hover:bg-slate-100"
            >
              {t.key}: {t.count}
            </Link>
          </li>
        ))}
      </ul>
    </>
  )
}
