/**
 * The simulation environment (SimPy's Environment shape with ns-3's event order): owns `now`
 * (integer nanoseconds), the event queue and the dispatcher. Events are (kind, a, b) integer records
 * dispatched through one handler function: no closure per event, no Promises, no timers.
 *
 * `now` never decreases: schedule() refuses times in the past.
 */
import { EventQueue } from './event-queue'
import { SimInvariantError } from './assert'

/** Same value as PRIO_NORMAL in event-queue.ts (a local const: CommonJS import bindings are getters). */
const PRIO_NORMAL = 1

export type Dispatch = (kind: number, a: number, b: number) => void

export class Environment {
  /** Current simulated time, ns. */
  now = 0
  /** Events dispatched so far. */
  events = 0
  /** FNV-1a over (time, kind, a) of every dispatched event. */
  digest = 0x811c9dc5
  readonly queue = new EventQueue(1024)
  private readonly rec = new Float64Array(4)
  private dispatch: Dispatch

  constructor(dispatch: Dispatch = () => {}) {
    this.dispatch = dispatch
  }

  setDispatch(d: Dispatch): void {
    this.dispatch = d
  }

  /** Schedule an event at absolute time `at` (>= now). Returns a cancel handle. */
  at(at: number, kind: number, a = 0, b = 0, priority = PRIO_NORMAL): number {
    if (!(at >= this.now)) throw new SimInvariantError(`schedule in the past: ${at} < now ${this.now} (kind ${kind})`)
    return this.queue.push(at, priority, kind, a, b)
  }

  /** Schedule after a delay (ns, >= 0). */
  schedule(delay: number, kind: number, a = 0, b = 0, priority = PRIO_NORMAL): number {
    return this.at(this.now + delay, kind, a, b, priority)
  }

  cancel(handle: number): boolean {
    return this.queue.cancel(handle)
  }

  /** Time of the next event (Infinity if none). */
  peek(): number {
    return this.queue.peekTime()
  }

  /** Process exactly one event. Returns false if the queue is empty. */
  step(): boolean {
    const rec = this.rec
    if (!this.queue.pop(rec)) return false
    const t = rec[0]
    this.now = t
    const kind = rec[1]
    const a = rec[2]
    this.events++
    let h = this.digest
    h = Math.imul(h ^ (t >>> 0), 16777619) // low 32 bits of t (t < 2^53)
    h = Math.imul(h ^ kind, 16777619)
    this.digest = Math.imul(h ^ a, 16777619)
    this.dispatch(kind, a, rec[3])
    return true
  }

  /**
   * Process events with time <= until (all events if until is omitted), then set now = until.
   * `shouldStop` is polled every `pollEvery` events; returning true stops early.
   */
  run(opts: { until?: number; pollEvery?: number; shouldStop?: () => boolean } = {}): void {
    const until = opts.until ?? Infinity
    const pollEvery = opts.pollEvery ?? 0
    const stop = opts.shouldStop
    const queue = this.queue
    const rec = this.rec
    let countdown = pollEvery
    const dispatch = this.dispatch
    let h = this.digest
    let events = this.events
    while (queue.popUntil(rec, until)) {
      const t = rec[0]
      this.now = t
      const kind = rec[1]
      const a = rec[2]
      events++
      h = Math.imul(h ^ (t >>> 0), 16777619) // low 32 bits of t (t < 2^53)
      h = Math.imul(h ^ kind, 16777619)
      h = Math.imul(h ^ a, 16777619)
      this.events = events
      dispatch(kind, a, rec[3])
      if (pollEvery > 0 && --countdown === 0) {
        countdown = pollEvery
        this.digest = h
        if (stop && stop()) return
      }
    }
    this.digest = h
    if (until !== Infinity && this.now < until) this.now = until
  }
}
