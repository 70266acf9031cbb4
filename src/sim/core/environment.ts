/**
 * The simulation environment (SimPy's Environment shape with ns-3's event order): owns `now`
 * (integer nanoseconds), the event queue and the dispatcher. Events are (kind, a, b) integer records
 * dispatched through one handler function: no closure per event, no Promises, no timers.
 *
 * `now` never decreases: schedule() refuses times in the past.
 *
 * Per-entity timers (initTimers/timer/cancelTimer) are events of one fixed kind with a = entity, at
 * most one pending per entity, kept in a TimerWheel (calendar queue) beside the queue. They take their order keys from
 * the queue's sequence, so the dispatch order is the one the queue alone would give.
 */
import { EventQueue, TimerWheel } from './event-queue'
import { SimInvariantError, SimStallError } from './assert'

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
  /**
   * run() stops with SimStallError after this many events at one simulated instant: time that does not
   * advance (a zero-time workload) would otherwise loop forever. Real runs dispatch at most a few
   * thousand events at one instant (every vCPU's tick), so the guard never fires on them.
   */
  maxEventsPerInstant = 5_000_000
  readonly queue = new EventQueue(1024)
  private timers = new TimerWheel(0)
  private timerKind = 0
  private readonly rec = new Float64Array(4)
  private dispatch: Dispatch

  constructor(dispatch: Dispatch = () => {}) {
    this.dispatch = dispatch
    // `now` holds doubles (times come from Float64Arrays): double field representation from the start,
    // so the first run does not generalise a Smi field mid-run (map deprecation, deoptimisation)
    this.now = 0.5
    this.now = 0
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

  /**
   * Size the per-entity timers for entities 0 .. n-1; their events are dispatched as `kind` (b = 0).
   * `gapNs`: about the simulated time one entity's timer usually runs (sets the calendar's bucket
   * width to gapNs / 2n, so a bucket holds about one timer and an insert rarely walks a list -- the
   * walk's data-dependent branches cost more than skipping empty buckets through the bitmap -- and its
   * year to ~16 gaps). Cost only.
   */
  initTimers(n: number, kind: number, gapNs = 16_000): void {
    const width = Math.max(1, gapNs / (2 * Math.max(1, n)))
    this.timers = new TimerWheel(n, width, Math.ceil((16 * gapNs) / width))
    this.timerKind = kind
  }

  /**
   * Arm entity e's timer at absolute time `at` (>= now), PRIO_NORMAL: the same position in the order as
   * at(at, kind, e). The entity must not have a pending timer. Returns e (a handle >= 0).
   */
  timer(e: number, at: number): number {
    if (!(at >= this.now)) throw new SimInvariantError(`schedule in the past: ${at} < now ${this.now} (timer ${e})`)
    this.timers.arm(e, at, this.queue.nextKey(PRIO_NORMAL))
    return e
  }

  /** Disarm entity e's timer; false if none was pending. */
  cancelTimer(e: number): boolean {
    return this.timers.cancel(e)
  }

  /** Time of the next event (Infinity if none). */
  peek(): number {
    const qt = this.queue.peekTime()
    const e = this.timers.top()
    if (e < 0) return qt
    const tt = this.timers.topTime()
    return tt < qt ? tt : qt
  }

  /** True if the next event is a timer (then the timer heap's top is it), false if it is in the queue. */
  private timerFirst(): boolean {
    const timers = this.timers
    const qt = this.queue.peekTime()
    if (timers.top() < 0) return false
    const tt = timers.topTime()
    return tt < qt || (tt === qt && timers.topKey() < this.queue.topKey())
  }

  /** Process exactly one event. Returns false if there is none. */
  step(): boolean {
    const rec = this.rec
    if (this.timerFirst()) {
      rec[0] = this.timers.topTime()
      rec[1] = this.timerKind
      rec[2] = this.timers.pop()
      rec[3] = 0
    } else if (!this.queue.pop(rec)) return false
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
    const timers = this.timers
    const timerKind = this.timerKind
    const rec = this.rec
    let countdown = pollEvery
    const dispatch = this.dispatch
    let h = this.digest
    let events = this.events
    // the queue's top (time, key), re-read only when the queue changed (most events are timers)
    let qChanges = -1
    let qt = Infinity
    let qk = 0
    // stall guard: the instant `instant` began at event count `instantEvents`
    let instant = -1
    let instantEvents = events
    const maxPerInstant = this.maxEventsPerInstant
    for (;;) {
      if (queue.changes !== qChanges) {
        qt = queue.peekTime()
        qk = qt < Infinity ? queue.topKey() : 0
        qChanges = queue.changes
      }
      // the smaller of the timer heap's top and the queue's top, by (time, priority, seq)
      let t: number
      let kind: number
      let a: number
      let b = 0
      const e = timers.top()
      if (e >= 0 && (t = timers.timeOf(e)) <= qt && (t < qt || timers.keyOf(e) < qk)) {
        if (t > until) break
        kind = timerKind
        a = e
        timers.pop()
      } else {
        if (!queue.popUntil(rec, until)) break
        qChanges = -1
        t = rec[0]
        kind = rec[1]
        a = rec[2]
        b = rec[3]
      }
      this.now = t
      events++
      if (t !== instant) {
        instant = t
        instantEvents = events
      } else if (events - instantEvents > maxPerInstant) {
        this.digest = h
        throw new SimStallError(
          `simulated time stopped advancing at ${t} ns: ${maxPerInstant} events without time passing ` +
            '(a workload whose operations take 0 ns? give computeNs or a section holdNs a non-zero time)'
        )
      }
      h = Math.imul(h ^ (t >>> 0), 16777619) // low 32 bits of t (t < 2^53)
      h = Math.imul(h ^ kind, 16777619)
      h = Math.imul(h ^ a, 16777619)
      this.events = events
      dispatch(kind, a, b)
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
