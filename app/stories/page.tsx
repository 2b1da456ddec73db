import type { Metadata } from "next"
import Link from "next/link"

import { getCatalog } from "@/lib/catalog/get.node"

export const metadata: Metadata = { title: "Analytic stories" }

export default function StoriesPage() {
  const index = getCatalog()
  const stories = [...index.catalog.stories].sort((a, b) => a.name.localeCompare(b.name))
  return (
    <>
      <h1 className="text-3xl font-bold tracking-tight">Analytic stories</h1>
      <ul className="mt-6 grid gap-2 sm:grid-cols-2">
        {stories.map((s) => (
          <li key={s.slug}>
            <Link prefetch={false} href={`/stories/${s.slug}/`} className="text-sky-700 underline underline-offset-2">
              {s.name}
            </Link>{" "}
            <span className="text-sm text-slate-600">({index.rulesByStory.get(s.name)?.length ?? 0} rules)</span>
          </li>
        ))}
      </ul>
    </>
  )
}
