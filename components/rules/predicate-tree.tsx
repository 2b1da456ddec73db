import { formatLeaf, isLeaf, type Predicate } from "@/lib/predicate"

const GROUP_LABEL = { and: "AND: all of", or: "OR: any of", xor: "XOR: exactly one of" } as const

/**
 * A predicate as nested lists: every AND / OR / NOT is a labelled group, every leaf one
 * `field op value` line. Leaves are rule text, rendered as React text only. Styled by the `.pt`
 * rules in app/globals.css: the markup is repeated so often that per-element classes would
 * dominate the export size.
 */
export function PredicateTree({ predicate }: { predicate: Predicate }) {
  return (
    <div data-slot="predicate-tree" className="pt">
      <PredicateNode node={predicate} />
    </div>
  )
}

function PredicateNode({ node }: { node: Predicate }) {
  if (isLeaf(node)) {
    if (node.op === "unknown") {
      return (
        <>
          <code className="unk">{formatLeaf(node)}</code>{" "}
          <small title={node.reason}>{`not evaluable: ${node.construct}`}</small>
        </>
      )
    }
    const notes = [node.macro && `from \`${node.macro}\``, node.derived && `computed (${node.derived})`]
      .filter(Boolean)
      .join(" · ")
    return (
      <>
        <code>{formatLeaf(node)}</code>
        {notes && (
          <>
            {" "}
            <small>{notes}</small>
          </>
        )}
      </>
    )
  }
  switch (node.op) {
    case "true":
      return (
        <code>
          * <small>(every event)</small>
        </code>
      )
    case "false":
      return (
        <code>
          false <small>(no event)</small>
        </code>
      )
    case "not":
      return <Group label="NOT" items={[node.arg]} />
    default:
      return <Group label={GROUP_LABEL[node.op]} items={node.args} />
  }
}

function Group({ label, items }: { label: string; items: Predicate[] }) {
  return (
    <div role="group" aria-label={label}>
      <span className="pt-op">{label}</span>
      <ul>
        {items.map((item, i) => (
          <li key={i}>
            <PredicateNode node={item} />
          </li>
        ))}
      </ul>
    </div>
  )
}
