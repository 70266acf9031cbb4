/** Model invariant violations stop the run loudly (a double trigger or illegal transition is a bug). */
export class SimInvariantError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SimInvariantError'
  }
}

export function simAssert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new SimInvariantError(message)
}
