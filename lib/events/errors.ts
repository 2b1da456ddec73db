/**
 * The one error event readers throw: what could not be read and, when known, where.
 *
 * Owns: `EventParseError`. Invariants: readers throw nothing else on any input text (the
 * property tests in lib/events/readers.test.ts hold them to it).
 * Never imports: React, Next, Node built-ins, DOM APIs; no lib/ folder but lib/predicate and lib/source.
 */

export class EventParseError extends Error {
  readonly position: number | undefined
  constructor(message: string, position?: number) {
    super(position === undefined ? message : `${message} (at character ${position})`)
    this.name = "EventParseError"
    this.position = position
  }
}

