import Link from "next/link"

import { layerFileName } from "@/lib/attack/navigator"
import { attackUrl } from "@/lib/catalog/attack-view"
import type { TechniqueView } from "@/lib/catalog/technique-view"
import type { Block } from "@/lib/attack/descriptions"
import type { CatalogIndex } from "@/lib/catalog/views"
import { AttackDescription } from "./attack-description"
import { RuleList } from "@/components/catalog/rule-list"
import { Badge } from "@/components/ui/badge"
import { Section } from "@/components/ui/section"
import { Table, Td, Th } from "@/components/ui/table"

import { DownloadLayerButton } from "./download-layer.client"

const link = "break-anywhere text-sky-700 underline underline-offset-2"

function TechniqueLink({ id, name }: { id: string; name?: string }) {
  return (
    <Link href={`/techniques/${id.toLowerCase()}/`} prefetch={false} className={link}>
      <span className="font-mono">{id}</span>
      {name ? ` ${name}` : ""}
    </Link>
  )
}

/** A technique page: facts, rules, events, ATT&CK v18 detection strategies, layer download. */
export function TechniquePage({
  view: v,
  index,
  description,
}: {
  view: TechniqueView
  index: CatalogIndex
  description?: Block[]
}) {
  const directCount = v.rules.filter((r) => !r.viaSub).length
  const components = [
    ...new Set(
      v.strategies.flatMap((s) =>
        s.analytics.flatMap((a) => a.logSources.flatMap((ls) => (ls.dataComponent ? [ls.dataComponent] : []))),
      ),
    ),
  ].sort()
  return (
    <article>
      <p className="text-sm text-slate-600">
        ATT&amp;CK {v.parent ? "sub-technique" : "technique"} · <span className="font-mono">{v.id}</span>
      </p>
      <h1 className="break-anywhere text-3xl font-bold tracking-tight">
        {v.parent ? `${v.parent.name}: ` : ""}
        {v.name ?? v.id}
      </h1>
      <div className="mt-3 flex flex-wrap items-center gap-2 text-sm">
        {v.status === "unknown" && <Badge tone="amber">not in ATT&amp;CK data</Badge>}
        {v.status === "revoked" && <Badge tone="amber">revoked</Badge>}
        {v.status === "deprecated" && <Badge tone="amber">deprecated</Badge>}
        {v.replacement && (
          <span>
            Replaced by <TechniqueLink id={v.replacement.id} name={v.replacement.name} />
          </span>
        )}
        {v.status !== "unknown" && (
          <a href={attackUrl(v.id)} rel="noopener noreferrer" className="text-xs text-slate-700 underline">
            attack.mitre.org ↗
          </a>
        )}
      </div>
      <dl className="mt-4 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="font-semibold text-slate-700">Tactics</dt>
        <dd data-testid="technique-tactics">
          {v.tactics.length === 0
            ? "—"
            : v.tactics.map((t, i) => (
                <span key={t.shortname}>
                  {i > 0 ? ", " : ""}
                  <Link href={`/tactics/${t.shortname}/`} prefetch={false} className={link}>
                    {t.name}
                  </Link>
                </span>
              ))}
        </dd>
        {v.platforms.length > 0 && (
          <>
            <dt className="font-semibold text-slate-700">Platforms</dt>
            <dd>{v.platforms.join(", ")}</dd>
          </>
        )}
        {components.length > 0 && (
          <>
            <dt className="font-semibold text-slate-700">Data components</dt>
            <dd data-testid="technique-data-components">{components.join(", ")}</dd>
          </>
        )}
        {v.parent && (
          <>
            <dt className="font-semibold text-slate-700">Parent</dt>
            <dd>
              <TechniqueLink id={v.parent.id} name={v.parent.name} /> · {v.parent.rules} rules
            </dd>
          </>
        )}
        <dt className="font-semibold text-slate-700">Rules</dt>
        <dd data-testid="technique-rule-count">
          <a href="#rules" className={link}>
            {v.rules.length}
          </a>
          {v.rules.length > directCount
            ? ` (${directCount} map it directly, ${v.rules.length - directCount} via sub-techniques)`
            : ""}
        </dd>
      </dl>
      {description && description.length > 0 && (
        <Section id="description" title="Description (ATT&CK)">
          <AttackDescription blocks={description} />
        </Section>
      )}
      <div className="mt-4">
        <DownloadLayerButton
          href={`/techniques/${v.id.toLowerCase()}/layer.json`}
          empty={v.layer.techniques.length === 0}
          fileName={layerFileName(v.id)}
          list={`technique-${v.id}`}
        />
      </div>
      {v.subs.length > 0 && (
        <Section id="sub-techniques" title={`Sub-techniques (${v.subs.length})`}>
          <ul className="list-disc space-y-1 pl-6 text-sm">
            {v.subs.map((s) => (
              <li key={s.id}>
                <TechniqueLink id={s.id} name={s.name} /> · {s.rules} rule{s.rules === 1 ? "" : "s"}
              </li>
            ))}
          </ul>
        </Section>
      )}
      <Section id="rules" title={`Rules (${v.rules.length})`}>
        <RuleList
          index={index}
          rules={v.rules}
          scope={{ technique: v.id }}
          exportName={`technique-${v.id}`}
          empty="No rule in the catalog maps to this technique."
        />
      </Section>
      <Section id="events" title={`Events the rules need (${v.events.length})`}>
        {v.events.length === 0 ? (
          <p className="text-sm text-slate-600">The rules name no data source.</p>
        ) : (
          <Table data-testid="technique-events">
            <thead>
              <tr>
                <Th>Provider</Th>
                <Th>Event</Th>
                <Th>Title</Th>
                <Th>Data source</Th>
                <Th>Rules</Th>
              </tr>
            </thead>
            <tbody>
              {v.events.map((e) => (
                <tr key={`${e.provider}|${e.event}|${e.dataSource}`}>
                  <Td>{e.provider}</Td>
                  <Td>{e.event}</Td>
                  <Td>{e.title}</Td>
                  <Td>
                    {e.slug ? (
                      <Link href={`/data-sources/${e.slug}/`} prefetch={false} className={link}>
                        {e.dataSource}
                      </Link>
                    ) : (
                      <span>
                        {e.dataSource} <Badge tone="amber">unresolved</Badge>
                      </span>
                    )}
                  </Td>
                  <Td>{e.rules}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Section>
      <Section id="detection-strategies" title={`ATT&CK detection strategies (${v.strategies.length})`}>
        {v.strategies.length === 0 ? (
          <p className="text-sm text-slate-600">ATT&amp;CK lists no detection strategy for this technique.</p>
        ) : (
          <div className="space-y-6">
            <p className="text-sm text-slate-700">
              Log sources marked <Badge tone="green">read by rules</Badge> are read by this technique&apos;s rules (same
              Windows channel and event code, or the same product and event).
            </p>
            {v.strategies.map((s) => (
              <div key={s.id}>
                <h3 className="font-semibold">
                  <span className="font-mono">{s.id}</span> {s.name}
                </h3>
                {s.analytics.length === 0 && <p className="text-sm text-slate-600">No analytic listed.</p>}
                {s.analytics.map((a) => (
                  <div key={a.id} className="mt-2">
                    <p className="text-sm text-slate-700">
                      <span className="font-mono">{a.id}</span> · {a.platforms.join(", ")}
                    </p>
                    {a.logSources.length > 0 && (
                      <Table>
                        <thead>
                          <tr>
                            <Th>Log source</Th>
                            <Th>Channel</Th>
                            <Th>Data component</Th>
                            <Th>Catalog</Th>
                          </tr>
                        </thead>
                        <tbody>
                          {a.logSources.map((ls, i) => (
                            <tr key={`${ls.name}-${i}`}>
                              <Td className="font-mono text-xs">{ls.name}</Td>
                              <Td className="text-xs">{ls.channel}</Td>
                              <Td className="text-xs">{ls.dataComponent ?? ""}</Td>
                              <Td className="text-xs">
                                {ls.matchedBy.length > 0 && (
                                  <span data-testid="log-source-match">
                                    <Badge tone="green">read by rules</Badge> {ls.matchedBy.join(", ")}
                                  </span>
                                )}
                              </Td>
                            </tr>
                          ))}
                        </tbody>
                      </Table>
                    )}
                  </div>
                ))}
              </div>
            ))}
          </div>
        )}
      </Section>
    </article>
  )
}
