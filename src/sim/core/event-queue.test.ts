import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { EventQueue, PRIO_NORMAL, PRIO_URGENT, TimerWheel } from './event-queue'
import { Environment } from './environment'

describe('EventQueue', () => {
  it('pops in (time, priority, seq) order for any insertion sequence', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 2 })), { maxLength: 300 }), (items) => {
      const q = new EventQueue(4)
      items.forEach(([t, p], i) => q.push(t, p, 1, i, 0))
      const out: [number, number, number][] = []
      const rec = new Float64Array(4)
      while (q.pop(rec)) out.push([rec[0], items[rec[2]][1], rec[2]])
      const expected = items.map(([t, p], i) => [t, p, i] as [number, number, number])
        .sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2])
      expect(out).toEqual(expected)
    }))
  })

  it('cancel marks an event so it is skipped; stale handles cancel nothing', () => {
    const q = new EventQueue(2)
    const a = q.push(10, PRIO_NORMAL, 1, 1, 0)
    const b = q.push(5, PRIO_NORMAL, 1, 2, 0)
    expect(q.cancel(b)).toBe(true)
    expect(q.cancel(b)).toBe(false)
    const rec = new Float64Array(4)
    expect(q.pop(rec)).toBe(true)
    expect(rec[2]).toBe(1)
    // slot of `a` is reused by c; the old handle must not cancel c
    const c = q.push(20, PRIO_NORMAL, 1, 3, 0)
    expect(q.cancel(a)).toBe(false)
    expect(q.pop(rec)).toBe(true)
    expect(rec[2]).toBe(3)
    expect(c).not.toBe(a)
  })

  it('compacts when most of the heap is cancelled garbage and keeps order', () => {
    const q = new EventQueue(8)
    const hs: number[] = []
    for (let i = 0; i < 20000; i++) hs.push(q.push(1000 + (i * 7919) % 5000, PRIO_NORMAL, 1, i, 0))
    for (let i = 0; i < 20000; i++) if (i % 10 !== 0) q.cancel(hs[i])
    expect(q.length).toBeLessThan(20000)
    const rec = new Float64Array(4)
    let last = -1
    let n = 0
    while (q.pop(rec)) {
      expect(rec[0]).toBeGreaterThanOrEqual(last)
      expect(rec[2] % 10).toBe(0)
      last = rec[0]
      n++
    }
    expect(n).toBe(2000)
  })
})

describe('Environment', () => {
  it('runs events in order, URGENT before NORMAL at equal times, and never goes back in time', () => {
    const log: [number, number][] = []
    const env = new Environment()
    env.setDispatch((kind, a) => {
      log.push([env.now, a])
      if (a === 1) env.schedule(0, kind, 9)
    })
    env.at(5, 1, 2)
    env.at(5, 1, 3, 0, PRIO_URGENT)
    env.at(1, 1, 1)
    env.run({ until: 100 })
    expect(log).toEqual([[1, 1], [1, 9], [5, 3], [5, 2]])
    expect(env.now).toBe(100)
    expect(() => env.at(50, 1, 0)).toThrow(/past/)
  })

  it('step() processes one event at a time; run() stops when shouldStop returns true', () => {
    const env = new Environment()
    let n = 0
    env.setDispatch(() => { n++; env.schedule(10, 1) })
    env.at(0, 1)
    expect(env.step()).toBe(true)
    expect(n).toBe(1)
    env.run({ until: 1_000_000, pollEvery: 5, shouldStop: () => n >= 20 })
    expect(n).toBe(21) // polled after events 6, 11, 16, 21
    expect(env.now).toBe(200)
  })
})

describe('Environment timers (TimerWheel beside the queue)', () => {
  // A reference environment schedules every timer through at()/cancel(); the one under test uses
  // timer()/cancelTimer(). Handlers driven by the same script must see the same (time, kind, a) stream.
  const run = (script: number[], useTimers: boolean): string[] => {
    const env = new Environment()
    const TK = 2
    const N = 6
    env.initTimers(N, TK)
    const handles = new Array<number>(N).fill(-1)
    const log: string[] = []
    let step = 0
    const op = () => script[step++ % script.length]
    const arm = (e: number, at: number) => {
      handles[e] = useTimers ? env.timer(e, at) : env.at(at, TK, e)
    }
    const disarm = (e: number) => {
      if (handles[e] < 0) return
      if (useTimers) env.cancelTimer(e)
      else env.cancel(handles[e])
      handles[e] = -1
    }
    env.setDispatch((kind, a) => {
      log.push(`${env.now}:${kind}:${a}`)
      if (kind === TK) handles[a] = -1
      if (log.length > 400) return
      const x = op()
      // re-arm self, arm/cancel another entity, or schedule a plain event (ties are frequent)
      if (kind === TK && x % 3 !== 0) arm(a, env.now + (x % 4))
      const o = x % N
      if (x % 5 === 0) disarm(o)
      else if (handles[o] < 0 && x % 2 === 0) arm(o, env.now + (x % 3))
      if (x % 7 === 0) env.at(env.now + (x % 2), 1, 100 + o, 0, x % 3)
    })
    for (let e = 0; e < N; e += 2) arm(e, e % 3)
    env.at(0, 1, 99)
    env.run({ until: 10_000 })
    return log
  }

  it('dispatches exactly the events, in exactly the order, of the same timers kept in the queue', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 60 }), (script) => {
      expect(run(script, true)).toEqual(run(script, false))
    }))
  })

  it('refuses to arm an entity that is already pending', () => {
    const env = new Environment()
    env.initTimers(2, 2)
    env.timer(0, 5)
    expect(() => env.timer(0, 6)).toThrow(/armed twice/)
    expect(env.cancelTimer(0)).toBe(true)
    expect(env.cancelTimer(0)).toBe(false)
  })
})

describe('TimerWheel', () => {
  // tiny wheel (width 4 ns, 32 buckets = a 128 ns year) against a naive reference, with delays from 0
  // to several years, equal times, cancels, and arming before the current bucket
  it('pops in (time, key) order through bucket wrap-around, sparse searches and cancels', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 7 })), { maxLength: 400 }), (ops) => {
      const N = 8
      const w = new TimerWheel(N, 4, 32)
      const ref = new Map<number, [number, number]>()
      let key = 0
      let now = 0
      const refTop = (): number => {
        let best = -1
        for (const [e, [t, k]] of ref) if (best < 0 || t < ref.get(best)![0] || (t === ref.get(best)![0] && k < ref.get(best)![1])) best = e
        return best
      }
      for (const [op, d, e] of ops) {
        if (op < 5) {
          if (ref.has(e)) continue
          // mostly ahead of now; sometimes exactly now or a fraction of a ns ahead
          const t = now + (op === 0 ? 0 : op === 1 ? d / 7 : d)
          w.arm(e, t, key)
          ref.set(e, [t, key++])
        } else if (op < 7) {
          expect(w.cancel(e)).toBe(ref.delete(e))
        } else {
          const r = refTop()
          const got = w.top()
          expect(got).toBe(r)
          if (r < 0) continue
          expect(w.topTime()).toBe(ref.get(r)![0])
          expect(w.topKey()).toBe(ref.get(r)![1])
          if (op === 9) continue // peek only: the wheel may now sit past `now`; later arms land before it
          now = ref.get(r)![0]
          expect(w.pop()).toBe(r)
          ref.delete(r)
        }
      }
      // drain
      for (;;) {
        const r = refTop()
        expect(w.top()).toBe(r)
        if (r < 0) break
        expect(w.pop()).toBe(r)
        ref.delete(r)
      }
    }), { numRuns: 300 })
  })
})
