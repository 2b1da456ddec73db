import type { Metadata } from "next"
import Link from "next/link"

import { getCatalog } from "@/lib/catalog/get.node"
import { linkedMacroNames, macroSlug } from "@/lib/catalog/views"

export const metadata: Metadata = { title: "Macros" }

export default function MacrosPage() {
  const index = getCatalog()
  const names = linkedMacroNames(index)
  return (
    <>
      <h1 className="text-3xl font-bold tracking-tight">Macros</h1>
      <ul className="mt-6 grid gap-1 font-mono text-sm sm:grid-cols-2">
        {names.map((n) => (
          <li key={n}>
            <Link
              prefetch={false}
              href={`/macros/${macroSlug(n)}/`}
              className="text-sky-700 underline underline-offset-2"
            >
              {n}
            </Link>{" "}
            <span className="font-sans text-slate-600">
              ({index.rulesByMacro.get(n)?.length ?? 0} rules{index.macrosByName.has(n) ? "" : ", not defined"})
            </span>
          </li>
        ))}
      </ul>
    </>
  )
}
