/**
 * The one error event readers throw: what could not be read and, when known, where.
 *
 * Owns: `EventParseError`. Invariants: readers throw nothing else on any input text (the
 * property tests in lib/events/readers.test.ts hold them to it).
 * Never imports: React, Next, Node built-ins, DOM APIs; no lib/ folder but lib/predicate and lib/source.
 */

export class EventParseError extends Error {
  /** Character offset in the text read. */
  readonly position: number | undefined
  /** 1-based line and column of `position`, once known (parseEvents adds them). */
  readonly line: number | undefined
  readonly column: number | undefined
  constructor(message: string, position?: number, at?: { line: number; column: number }) {
    super(
      position === undefined
        ? message
        : at
          ? `${message} (line ${at.line}, column ${at.column})`
          : `${message} (at character ${position})`,
    )
    this.name = "EventParseError"
    this.position = position
    this.line = at?.line
    this.column = at?.column
  }
}

/** Deeper nesting is refused: no real event nests this far, and recursion must stay bounded. */
export const MAX_DEPTH = 64
