import { cn } from "@/lib/cn"

export function Table({ className, ...props }: React.ComponentProps<"table">) {
  return (
    <div className="overflow-x-auto">
      <table data-slot="table" className={cn("w-full border-collapse text-left text-sm", className)} {...props} />
    </div>
  )
}

export function Th({ className, ...props }: React.ComponentProps<"th">) {
  return <th scope="col" className={cn("border-b border-slate-300 bg-slate-50 px-3 py-2 font-semibold text-slate-700", className)} {...props} />
}

export function Td({ className, ...props }: React.ComponentProps<"td">) {
  return <td className={cn("break-anywhere border-b border-slate-200 px-3 py-2 align-top", className)} {...props} />
}
