/**
 * Author text as paragraphs. Rule files hard-wrap their descriptions (Elastic's TOML at about 120
 * columns, 94 % of its rules; many Sigma rules after a sentence): shown line for line, a phone
 * breaks each line again and a laptop shows ragged half lines. A single line break between two
 * lines of prose becomes a space; blank lines (paragraphs) and lines opening a list item or
 * indented stay as written.
 */
export function unwrapLines(text: string): string {
  return text.trim().replace(/([^\n])[ \t]*\n(?![\n \t]|[-*•] |\d+[.)] )/g, "$1 ")
}
