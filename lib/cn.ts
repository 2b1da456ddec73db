/**
 * Class-name joining for components.
 *
 * Never imports: React, Next, Node built-ins.
 */
export function cn(...parts: Array<string | false | null | undefined>): string {
  return parts.filter(Boolean).join(" ")
}
