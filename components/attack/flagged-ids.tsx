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

/** Unknown, revoked and deprecated technique ids the rules use, with replacements and rules. */
export function FlaggedIdsTable({ flagged, rules }: { flagged: FlaggedId[]; rules: Detection[] }) {
  if (flagged.length === 0)
    return <p className="text-sm text-slate-600">Every technique id the rules use is a live ATT&amp;CK technique.</p>
  return (
    <Table data-testid="flagged-ids">
      <thead>
        <tr>
          <Th>Id</Th>
          <Th>Status</Th>
          <Th>Replacement</Th>
          <Th>Rules</Th>
        </tr>
      </thead>
      <tbody>
        {flagged.map((f) => (
          <tr key={f.id}>
            <Td>
              <Link
                href={`/techniques/${f.id.toLowerCase()}/`}
                prefetch={false}
                className="font-mono text-sky-700 underline underline-offset-2"
              >
                {f.id}
              </Link>
              {f.name ? ` ${f.name}` : ""}
            </Td>
            <Td>
              <Badge tone="amber">{STATUS_LABEL[f.status]}</Badge>
            </Td>
            <Td>
              {f.replacement ? (
                <Link
                  href={`/techniques/${f.replacement.id.toLowerCase()}/`}
                  prefetch={false}
                  className="text-sky-700 underline underline-offset-2"
                >
                  <span className="font-mono">{f.replacement.id}</span> {f.replacement.name}
                </Link>
              ) : (
                "—"
              )}
            </Td>
            <Td>
              <ul className="space-y-0.5">
                {f.rules.map((i) => {
                  const r = rules[i]
                  return r ? (
                    <li key={i}>
                      <RuleLink href={rulePath(r)} className="text-sky-700 underline underline-offset-2">
                        {r.name}
                      </RuleLink>
                    </li>
                  ) : null
                })}
              </ul>
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  )
}
