import Link from "next/link"

import type { FlaggedId } from "@/lib/attack/coverage"
import type { Detection } from "@/lib/catalog/types"
import { rulePath } from "@/lib/catalog/views"
import { Badge } from "@/components/ui/badge"
import { Table, Td, Th } from "@/components/ui/table"
import { RuleLink } from "@/components/ui/rule-link"

const STATUS_LABEL: Record<FlaggedId["status"], string> = {
  unknown: "not in ATT&CK data",
  revoked: "revoked",
  deprecated: "deprecated",
}

/** Rules shown per id before the rest fold behind "n more": one id is used by up to a hundred rules. */
const SHOWN = 3

/**
 * Unknown, revoked and deprecated technique ids the rules use, with replacements and rules. Three
 * columns with the status under the id, and each id's rules past the first few folded: four columns of
 * every rule's name made this table 28,000 px tall on a phone, one word a line.
 */
export function FlaggedIdsTable({ flagged, rules }: { flagged: FlaggedId[]; rules: Detection[] }) {
  if (flagged.length === 0)
    return <p className="text-sm text-slate-600">Every technique id the rules use is a live ATT&amp;CK technique.</p>
  const ruleItem = (i: number) => {
    const r = rules[i]
    return r ? (
      <li key={i} className="break-anywhere">
        <RuleLink href={rulePath(r)} className="text-sky-700 underline underline-offset-2">
          {r.name}
        </RuleLink>
      </li>
    ) : null
  }
  return (
    <Table data-testid="flagged-ids">
      <thead>
        <tr>
          <Th>Id</Th>
          <Th>Replacement</Th>
          <Th>Rules</Th>
        </tr>
      </thead>
      <tbody>
        {flagged.map((f) => (
          <tr key={f.id}>
            <Td className="[overflow-wrap:normal]">
              <Link
                href={`/techniques/${f.id.toLowerCase()}/`}
                prefetch={false}
                className="font-mono whitespace-nowrap text-sky-700 underline underline-offset-2"
              >
                {f.id}
              </Link>
              {f.name ? ` ${f.name}` : ""}
              <span className="mt-1 block">
                <Badge tone="amber">{STATUS_LABEL[f.status]}</Badge>
              </span>
            </Td>
            <Td className="[overflow-wrap:normal]">
              {f.replacement ? (
                <Link
                  href={`/techniques/${f.replacement.id.toLowerCase()}/`}
                  prefetch={false}
                  className="text-sky-700 underline underline-offset-2"
                >
                  <span className="font-mono whitespace-nowrap">{f.replacement.id}</span> {f.replacement.name}
                </Link>
              ) : (
                "—"
              )}
            </Td>
            <Td className="min-w-40">
              <ul className="space-y-0.5">{f.rules.slice(0, SHOWN).map(ruleItem)}</ul>
              {f.rules.length > SHOWN && (
                <details className="mt-1">
                  <summary className="cursor-pointer text-slate-700">{f.rules.length - SHOWN} more</summary>
                  <ul className="mt-0.5 space-y-0.5">{f.rules.slice(SHOWN).map(ruleItem)}</ul>
                </details>
              )}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  )
}
