import { idPath } from "@/lib/catalog/permalink"
import type { Detection } from "@/lib/catalog/types"
import { isSafeUrl, withBasePath } from "@/lib/site"
import { SafeLink } from "@/components/ui/safe-link"
import { Table, Td, Th } from "@/components/ui/table"

export function RuleDrilldowns({ drilldowns }: { drilldowns: Detection["drilldowns"] }) {
  if (drilldowns.length === 0) return <p className="text-sm text-slate-600">None.</p>
  return (
    <ul className="space-y-3">
      {drilldowns.map((d, i) => (
        <li key={`${d.name}-${i}`} className="rounded border border-slate-200 p-3">
          <p className="break-anywhere text-sm font-medium">{d.name}</p>
          <pre className="break-anywhere mt-1 whitespace-pre-wrap font-mono text-xs text-slate-700">{d.search}</pre>
          <p className="mt-1 text-xs text-slate-600">
            earliest {d.earliest ?? "—"} · latest {d.latest ?? "—"}
          </p>
        </li>
      ))}
    </ul>
  )
}

export function RuleTests({ tests }: { tests: Detection["tests"] }) {
  if (tests.length === 0) return <p className="text-sm text-slate-600">None.</p>
  return (
    <Table>
      <thead>
        <tr>
          <Th>Test</Th>
          <Th>Attack data</Th>
          <Th>Source</Th>
          <Th>Sourcetype</Th>
        </tr>
      </thead>
      <tbody>
        {tests.flatMap((t, i) =>
          (t.attackData.length > 0 ? t.attackData : [{ data: "", source: undefined, sourcetype: undefined }]).map(
            (a, j) => (
              <tr key={`${i}-${j}`}>
                <Td>
                  {t.name}
                  {t.type ? ` (${t.type})` : ""}
                </Td>
                <Td>{a.data ? <SafeLink href={a.data} /> : "—"}</Td>
                <Td className="font-mono text-xs">{a.source ?? "—"}</Td>
                <Td className="font-mono text-xs">{a.sourcetype ?? "—"}</Td>
              </tr>
            ),
          ),
        )}
      </tbody>
    </Table>
  )
}

export function RuleMetadata({ rule }: { rule: Detection }) {
  const rows: Array<[string, string | undefined]> = [
    ["ID", rule.id],
    ["Version", rule.version === undefined ? undefined : String(rule.version)],
    ["Created", rule.created],
    ["Modified", rule.modified],
    ["Author", rule.author],
    ["Asset type", rule.assetType],
    ["Category", rule.category],
    ["File", rule.source?.rel ?? rule.path],
  ]
  return (
    <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-6 gap-y-1 text-sm" data-testid="metadata">
      {rows
        .filter((r): r is [string, string] => Boolean(r[1]))
        .map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="font-medium text-slate-700">{k}</dt>
            <dd className="break-anywhere font-mono text-slate-900">
              {k === "ID" ? (
                <>
                  {v} {/* A plain link: the permalink page reads its address on load. */}
                  <a
                    href={withBasePath(idPath(v))}
                    className="font-sans text-sky-700 underline"
                    title="a link to this rule that survives renames"
                  >
                    permalink
                  </a>
                </>
              ) : k === "File" ? (
                <RuleFile rule={rule} />
              ) : (
                v
              )}
            </dd>
          </div>
        ))}
    </dl>
  )
}

/** The rule's file, relative to its content root; a link to it upstream when the build names one. */
function RuleFile({ rule }: { rule: Detection }) {
  const source = rule.source
  if (!source) return <>{rule.path}</>
  return (
    <>
      {source.url && isSafeUrl(source.url) ? (
        <a href={source.url} className="text-sky-700 underline" data-testid="upstream-link">
          {source.rel}
        </a>
      ) : (
        source.rel
      )}
      {source.root && <span className="font-sans text-slate-600"> in {source.root}</span>}
    </>
  )
}
