/**
 * Site paths of a rule page and of an indicator's view, apart from the modules that build those
 * views, so that client code needing only an address (the search palette, loaded on every page)
 * does not pull in the indicator extraction and the format registry behind them.
 *
 * Never imports: anything (React, Next, Node built-ins, other lib modules).
 */

/** URL of a rule page, without the base path. */
export function rulePath(d: { format: string; slug: string }): string {
  return `/rules/${d.format}/${d.slug}/`
}

/** Site path of an indicator's detail view (without the base path). */
export function indicatorPath(i: { field: string; kind: string; value: string }): string {
  const q = new URLSearchParams({ field: i.field, kind: i.kind, value: i.value })
  return `/indicators/?${q.toString()}`
}
