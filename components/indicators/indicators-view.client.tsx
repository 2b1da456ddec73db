"use client"

import { useSearchParams } from "next/navigation"

import { selectedIndicator } from "@/lib/catalog/indicator-filter"

import { IndicatorDetail } from "./indicator-detail.client"
import { IndicatorList } from "./indicator-list.client"
import { useIndicatorData } from "./use-indicator-data"

/** /indicators/: the whole table, or one indicator's rules when the URL names it. */
export function IndicatorsView() {
  const params = useSearchParams()
  const { data, error } = useIndicatorData()
  const get = (k: string) => params.get(k) ?? undefined
  const sel = selectedIndicator({ key: get("key"), field: get("field"), kind: get("kind"), value: get("value") })
  if (error)
    return (
      <p role="alert" className="text-sm text-red-800">
        Could not load the indicator table: {error}
      </p>
    )
  if (!data) return <p className="text-sm text-slate-600">Loading indicators…</p>
  if (sel) return <IndicatorDetail data={data} selected={sel} />
  return (
    <IndicatorList
      data={data}
      field={get("field") ?? ""}
      kind={get("kind") ?? ""}
      q={get("q") ?? ""}
      sort={get("sort")}
    />
  )
}
