import type { Risk } from "@/lib/catalog/types"
import { Table, Td, Th } from "@/components/ui/table"

import { MessageTokens } from "./message-tokens"

/** Risk math as the SIEM would apply it: the formula with its inputs, then the entities. */
export function RiskSection({ risk }: { risk: Risk }) {
  const { legacy } = risk
  return (
    <div className="space-y-4" data-testid="risk">
      {legacy && (
        <p className="text-sm">
          Risk score{" "}
          <strong className="text-lg" data-testid="risk-score">
            {legacy.score}
          </strong>{" "}
          = impact <strong>{legacy.impact}</strong> × confidence <strong>{legacy.confidence}</strong> / 100
          {legacy.product !== legacy.score ? ` (${legacy.product}, rounded)` : ""}
          {risk.severity ? ` · severity ${risk.severity}` : ""}
        </p>
      )}
      {!legacy && risk.score !== undefined && (
        <p className="text-sm">
          Highest entity score{" "}
          <strong className="text-lg" data-testid="risk-score">
            {risk.score}
          </strong>
          {risk.severity ? ` · severity ${risk.severity}` : ""}
        </p>
      )}
      {risk.title && (
        <p className="text-sm">
          <span className="font-medium">Finding title: </span>
          <MessageTokens text={risk.title} />
        </p>
      )}
      {risk.message && (
        <p className="text-sm">
          <span className="font-medium">Message: </span>
          <MessageTokens text={risk.message} />
        </p>
      )}
      {risk.entities.length > 0 ? (
        <Table data-testid="risk-entities">
          <thead>
            <tr>
              <Th>Field</Th>
              <Th>Role</Th>
              <Th>Type</Th>
              <Th>Score</Th>
              <Th>Declared in</Th>
            </tr>
          </thead>
          <tbody>
            {risk.entities.map((e, i) => (
              <tr key={`${e.field}-${e.role}-${i}`}>
                <Td className="font-mono">{e.field}</Td>
                <Td>{e.role === "risk" ? "risk object" : "threat object"}</Td>
                <Td>{e.type}</Td>
                <Td>{e.score ?? "—"}</Td>
                <Td className="text-slate-600">{e.origin.replace("_", " ")}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <p className="text-sm text-slate-600">
          No risk or threat objects: this rule adds no risk (hunting and correlation rules usually do not).
        </p>
      )}
    </div>
  )
}
