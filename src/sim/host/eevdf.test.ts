/**
 * Behavioural specs of the EEVDF host scheduler (host/eevdf.ts, Linux 6.6 kernel/sched/fair.c): the
 * class's own rules on hand-built runqueues, then the engine on tiny scenarios with traces.
 */
import { describe, expect, it } from 'vitest'
import { EevdfScheduler, type EevdfRq } from './eevdf'
import { SchedEntity, type TickGate } from './sched-class'
import { runScenario, resolveScenario } from '../index'
import { runTraced, tinyScenario } from '../testing/build'

const SLICE = 3_000_000
const grant: TickGate = { tickVerdict: (_rq, _c, w) => w }
const veto: TickGate = { tickVerdict: () => false }

/** A runqueue with `curr` running since t = 0 and the others queued (all placed with zero lag). */
function rqWith(n: number, weights: number[] = []): { hs: EevdfScheduler; rq: EevdfRq; se: SchedEntity[] } {
  const hs = new EevdfScheduler(1, SLICE, 1_000_000)
  const rq = hs.rqs[0]
  const se = Array.from({ length: n }, (_, i) => new SchedEntity(i, weights[i] ?? 1024))
  for (const e of se) hs.enqueue(rq, e)
  hs.pickNext(rq, 0)
  return { hs, rq, se }
}

describe('EEVDF class rules', () => {
  it('avg_vruntime is the load-weighted mean vruntime; eligible iff lag = V - v >= 0', () => {
    const { hs, rq, se } = rqWith(3, [1024, 2048, 1024])
    const c = rq.curr!
    hs.update(rq, 2_000_000) // curr runs 2 ms
    const V = hs.avgVruntime(rq)
    const mean = se.reduce((a, e) => a + e.vruntime * e.weight, 0) / se.reduce((a, e) => a + e.weight, 0)
    expect(V).toBeCloseTo(mean, 6)
    for (const e of se) expect(hs.eligible(rq, e)).toBe(V - e.vruntime >= 0)
    expect(hs.eligible(rq, c)).toBe(false) // it ran ahead of the others
  })

  it('slice expiry: update_deadline gives a new request once vruntime passes the deadline and asks for a resched', () => {
    const { hs, rq } = rqWith(2)
    const c = rq.curr!
    const d0 = c.deadline
    hs.update(rq, d0 - 1)
    expect(hs.tick(rq, c, grant)).toBe(false)
    hs.update(rq, d0 + 10)
    expect(c.deadline).toBeCloseTo(c.vruntime + SLICE, 6)
    expect(hs.tick(rq, c, grant)).toBe(true)
  })

  it('a vetoed expiry keeps the request expired (deadline not advanced) and re-asks at the next tick', () => {
    const { hs, rq } = rqWith(2)
    const c = rq.curr!
    const d0 = c.deadline
    hs.update(rq, d0 + 10)
    expect(hs.tick(rq, c, veto)).toBe(false)
    expect(c.deadline).toBe(d0)
    hs.update(rq, d0 + 1_000_010)
    expect(hs.wouldPreemptAtTick(rq, c)).toBe(true)
    expect(hs.tick(rq, c, grant)).toBe(true)
  })

  it('lag is preserved across sleep: dequeue records V - v, the next enqueue places the entity at the same lag', () => {
    const { hs, rq, se } = rqWith(3)
    hs.update(rq, 2_000_000)
    const sleeper = se.find((e) => e !== rq.curr)!
    const lag = hs.avgVruntime(rq) - sleeper.vruntime
    expect(lag).toBeGreaterThan(0)
    hs.dequeue(rq, sleeper)
    expect(sleeper.vlag).toBeCloseTo(lag, 6)
    hs.update(rq, 30_000_000) // the others run on while it sleeps
    hs.enqueue(rq, sleeper)
    expect(hs.avgVruntime(rq) - sleeper.vruntime).toBeCloseTo(lag, 3)
    expect(sleeper.deadline).toBeCloseTo(sleeper.vruntime + SLICE, 6)
  })

  it('wakeup preemption: a woken eligible entity preempts a non-eligible curr, not an eligible one within its request (RUN_TO_PARITY)', () => {
    const a = rqWith(1)
    const w = new SchedEntity(9, 1024)
    w.vlag = 0
    a.hs.update(a.rq, 100_000) // curr barely ran: V ~ its vruntime, still eligible when w joins
    a.hs.enqueue(a.rq, w)
    expect(a.hs.checkPreemptWakeup(a.rq, w)).toBe(false)
    const b = rqWith(1)
    b.hs.update(b.rq, 2_500_000) // curr ran 2.5 ms alone
    const w2 = new SchedEntity(9, 1024)
    w2.vlag = 1_000_000 // it slept with 1 ms of credit: placed behind V, so curr is now ahead of V
    b.hs.enqueue(b.rq, w2)
    expect(b.hs.avgVruntime(b.rq) - w2.vruntime).toBeCloseTo(1_000_000, 3)
    expect(b.hs.eligible(b.rq, b.rq.curr!)).toBe(false)
    expect(b.hs.checkPreemptWakeup(b.rq, w2)).toBe(true)
  })

  it('yield_to: the yielder pushes its deadline out by one request and sets the next buddy on the target', () => {
    const { hs, rq, se } = rqWith(2)
    const me = rq.curr!
    const target = se.find((e) => e !== me)!
    const d = me.deadline
    hs.yieldTo(rq, me, rq, target, 500_000)
    expect(me.deadline).toBeCloseTo(d + SLICE, 6)
    expect(rq.next).toBe(target)
    expect(hs.pickNext(rq, 500_000)).toBe(target)
  })
})

describe('EEVDF host in the engine', () => {
  const ev = (o: Parameters<typeof tinyScenario>[0], baseSliceNs?: number) => {
    const s = tinyScenario(o) as { host: Record<string, unknown> }
    s.host.scheduler = 'eevdf'
    if (baseSliceNs) s.host.eevdf = { baseSliceNs }
    return s as never
  }

  it('two CPU-bound vCPUs on one pCPU alternate at the first tick after each 3 ms request', () => {
    const { tr, r } = runTraced(ev({ pcpus: 1, hz: 1000, vms: [{ vcpus: 1, workload: 'cpu-bound' }, { vcpus: 1, workload: 'cpu-bound' }], durationNs: 40_000_000 }, 3_000_000), 1_000_000)
    expect(r.scheduler).toBe('eevdf')
    const pre = tr.filter((x) => x.kind === 'preempt')
    expect(pre.length).toBeGreaterThanOrEqual(8)
    expect(pre.every((x) => x.detail === 'tick')).toBe(true)
    const runs = tr.filter((x) => x.kind === 'run')
    const gaps = runs.slice(3).map((x, i) => x.t - runs[i + 2].t)
    expect(new Set(gaps)).toEqual(new Set([3_000_000]))
    for (let i = 1; i < runs.length; i++) expect(runs[i].vm).not.toBe(runs[i - 1].vm)
  })

  it('fair shares: equal weights share pCPUs 50/50 within 2 %, weights 2:1 give 2:1 within 2 %', () => {
    const equal = runScenario(resolveScenario(ev({ pcpus: 2, vms: [{ vcpus: 2, workload: 'cpu-bound' }, { vcpus: 2, workload: 'cpu-bound' }], durationNs: 400_000_000 })))
    const [a, b] = equal.vms.map((v) => v.cpuTimeNs)
    expect(Math.abs(a / (a + b) - 0.5)).toBeLessThanOrEqual(0.01)
    const w = ev({ pcpus: 2, vms: [{ vcpus: 2, workload: 'cpu-bound' }, { vcpus: 2, workload: 'cpu-bound' }], durationNs: 400_000_000 }) as unknown as { vms: { weight?: number }[] }
    w.vms[0].weight = 2048
    const r = runScenario(resolveScenario(w))
    const ratio = r.vms[0].cpuTimeNs / r.vms[1].cpuTimeNs
    expect(Math.abs(ratio / 2 - 1)).toBeLessThanOrEqual(0.02)
  })

  it('the eCS veto (this project\'s port) removes tick-path in-CS preemptions on EEVDF too', () => {
    const long = { computeNs: { type: 'fixed' as const, ns: 500_000 }, sections: [{ kind: 'spinlock' as const, lock: 'L', instances: 4, holdNs: { type: 'exp' as const, meanNs: 2_000_000 } }] }
    const base = { pcpus: 2, vms: [{ vcpus: 2, workload: long }, { vcpus: 2, workload: long }], durationNs: 300_000_000 }
    const kvm = runScenario(resolveScenario(ev({ ...base, policy: 'kvm' })))
    const ecs = runScenario(resolveScenario(ev({ ...base, policy: 'ecs' })))
    expect(kvm.counters['preempt.inCsTick']).toBeGreaterThan(20)
    expect(ecs.counters['host.vetoes']).toBeGreaterThan(20)
    expect(ecs.counters['preempt.inCsTick']).toBe(0)
  })
})
