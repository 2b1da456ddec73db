/**
 * CIDR subnet membership for IPv4 and IPv6 (eval `cidrmatch`).
 *
 * Owns: parsing addresses and subnets, and the membership test.
 *
 * Invariants: unparseable subnets make `cidrTest` return null (the caller flags the leaf
 * unsupported); unparseable addresses simply do not match. IPv4 and IPv6 never match each other.
 *
 * Must never import: React, Next, Node built-ins.
 */

/** Address as an array of bytes (4 for IPv4, 16 for IPv6). */
export function parseIp(text: string): number[] | null {
  const s = text.trim()
  if (s.includes(":")) return parseIpv6(s)
  return parseIpv4(s)
}

function parseIpv4(s: string): number[] | null {
  const parts = s.split(".")
  if (parts.length !== 4) return null
  const out: number[] = []
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null
    const n = Number(p)
    if (n > 255) return null
    out.push(n)
  }
  return out
}

function parseIpv6(s: string): number[] | null {
  const halves = s.split("::")
  if (halves.length > 2) return null
  const groups = (h: string | undefined): number[] | null => {
    if (!h) return []
    const out: number[] = []
    const items = h.split(":")
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as string
      // An embedded IPv4 tail such as ::ffff:10.0.0.1 supplies the last two groups.
      if (i === items.length - 1 && item.includes(".")) {
        const v4 = parseIpv4(item)
        if (!v4) return null
        out.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number))
      } else if (/^[0-9a-fA-F]{1,4}$/.test(item)) out.push(parseInt(item, 16))
      else return null
    }
    return out
  }
  const left = groups(halves[0])
  const right = groups(halves[1])
  if (!left || !right) return null
  const fill = 8 - left.length - right.length
  if (halves.length === 1 ? fill !== 0 : fill < 1) return null
  const all = [...left, ...new Array<number>(fill).fill(0), ...right]
  return all.flatMap((g) => [g >> 8, g & 0xff])
}

/** Build a membership test for `cidr` ("10.0.0.0/8", "fe80::/10", or a bare address). */
export function cidrTest(cidr: string): ((ip: string) => boolean) | null {
  const [addr, bitsText] = cidr.trim().split("/")
  const net = parseIp(addr ?? "")
  if (!net) return null
  const bits = bitsText === undefined ? net.length * 8 : Number(bitsText)
  if (!Number.isInteger(bits) || bits < 0 || bits > net.length * 8) return null
  return (ip) => {
    const a = parseIp(ip)
    if (!a || a.length !== net.length) return false
    for (let i = 0; i < bits; i++) {
      const byte = i >> 3
      const mask = 0x80 >> (i & 7)
      if (((a[byte] as number) & mask) !== ((net[byte] as number) & mask)) return false
    }
    return true
  }
}
