import type { Metadata } from "next"

import { SearchPage } from "@/components/search/search-page.client"

export const metadata: Metadata = {
  title: "Search",
  description: "Search every rule by name, indicator, technique, tactic, data source and more, with facets.",
}

export default function SearchRoute() {
  return (
    <>
      <h1 className="text-3xl font-bold tracking-tight">Search</h1>
      <p className="mt-2 text-slate-700">
        Free text matches names, indicators, techniques, descriptions and more. Filters:{" "}
        <code className="font-mono text-sm">technique:T1047</code>,{" "}
        <code className="font-mono text-sm">indicator:winrs.exe</code>,{" "}
        <code className="font-mono text-sm">field:process_name</code>,{" "}
        <code className="font-mono text-sm">type:ttp</code>,{" "}
        <code className="font-mono text-sm">tactic:lateral-movement</code>,{" "}
        <code className="font-mono text-sm">source:sysmon</code>; also{" "}
        <code className="font-mono text-sm">status:</code>, <code className="font-mono text-sm">format:</code>,{" "}
        <code className="font-mono text-sm">domain:</code>, <code className="font-mono text-sm">macro:</code>,{" "}
        <code className="font-mono text-sm">story:</code>, <code className="font-mono text-sm">author:</code>,{" "}
        <code className="font-mono text-sm">id:</code>. Press Enter on an exact indicator value to open its page. The
        index loads in your browser on first use.
      </p>
      <div className="mt-6">
        <SearchPage />
      </div>
    </>
  )
}
