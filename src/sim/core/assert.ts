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

/**
 * Simulated time stopped advancing: more than Environment.maxEventsPerInstant events were dispatched
 * without the clock moving (e.g. a workload whose operations take 0 ns). A livelock, not a result.
 */
export class SimStallError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SimStallError'
  }
}
