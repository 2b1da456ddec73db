/**
 * Table primitives. Their base look is in app/globals.css (`[data-slot=table]`, components
 * layer, so a className given here still wins): catalog tables run to hundreds of cells, and a
 * utility list on every cell was repeated in each page's HTML and RSC payloads.
 */
export function Table({ className, ...props }: React.ComponentProps<"table">) {
  return (
    <div className="overflow-x-auto">
      <table data-slot="table" className={className} {...props} />
    </div>
  )
}

export function Th(props: React.ComponentProps<"th">) {
  return <th scope="col" {...props} />
}

export function Td(props: React.ComponentProps<"td">) {
  return <td {...props} />
}
