import Link from "next/link"

import type { AttackRow } from "@/lib/catalog/attack-view"
import { Badge } from "@/components/ui/badge"
import { Table, Td, Th } from "@/components/ui/table"

export function AttackTable({ rows }: { rows: AttackRow[] }) {
  if (rows.length === 0) return <p className="text-sm text-slate-600">This rule maps to no ATT&amp;CK technique.</p>
  return (
    <Table data-testid="attack-table">
      <thead>
        <tr>
          <Th>Tactic</Th>
          <Th>Technique</Th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.tactic}-${r.id}`}>
            {/* Tactic names break between words only ("Lateral Movemen-t" on a phone otherwise). */}
            <Td className="[overflow-wrap:normal]">{r.tactic}</Td>
            <Td>
              <Link
                href={`/techniques/${r.id.toLowerCase()}/`}
                prefetch={false}
                className="text-sky-700 underline underline-offset-2"
              >
                <span className="font-mono">{r.id}</span> {r.parentName ? `${r.parentName}: ` : ""}
                {r.name ?? ""}
              </Link>
              {r.status !== "unknown" && (
                <a href={r.url} rel="noopener noreferrer" className="ml-2 text-xs text-slate-700 underline">
                  attack.mitre.org ↗
                </a>
              )}
              {r.status === "unknown" && (
                <Badge tone="amber" className="ml-2">
                  not in ATT&amp;CK data
                </Badge>
              )}
              {r.status === "revoked" && (
                <Badge tone="amber" className="ml-2">
                  revoked{r.replacedBy ? ` → ${r.replacedBy}` : ""}
                </Badge>
              )}
              {r.status === "deprecated" && (
                <Badge tone="amber" className="ml-2">
                  deprecated
                </Badge>
              )}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  )
}
