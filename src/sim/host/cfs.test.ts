import { describe, expect, it } from 'vitest'
import { CfsRq, SchedEntity } from './cfs'

const T = { latencyNs: 24_000_000, minGranularityNs: 3_000_000, wakeupGranularityNs: 4_000_000 }

describe('CFS runqueue (kernel/sched/fair.c)', () => {
  it('two equal entities each get half of sched_latency as slice (12 ms of 24 ms)', () => {
    const rq = new CfsRq(0)
    const a = new SchedEntity(0, 1024)
    const b = new SchedEntity(1, 1024)
    rq.enqueue(a)
    rq.enqueue(b)
    expect(rq.slice(a, T)).toBe(12_000_000)
  })

  it('the period stretches to nr_running x min_granularity above sched_nr_latency (8)', () => {
    const rq = new CfsRq(0)
    for (let i = 0; i < 10; i++) rq.enqueue(new SchedEntity(i, 1024))
    expect(rq.period(10, T)).toBe(30_000_000)
    expect(rq.slice(rq.queue[0], T)).toBe(3_000_000)
  })

  it('slices are proportional to weight', () => {
    const rq = new CfsRq(0)
    const a = new SchedEntity(0, 2048)
    const b = new SchedEntity(1, 1024)
    rq.enqueue(a)
    rq.enqueue(b)
    expect(rq.slice(a, T)).toBe(16_000_000)
  })

  it('update_curr advances vruntime by delta x 1024 / weight and min_vruntime follows', () => {
    const rq = new CfsRq(0)
    const a = new SchedEntity(0, 2048)
    rq.enqueue(a)
    rq.pickNext(0, T)
    rq.updateCurr(1_000_000)
    expect(a.vruntime).toBe(500_000)
    expect(a.sumExec).toBe(1_000_000)
    expect(rq.minVruntime).toBe(500_000)
  })

  it('wakeup preemption needs a vruntime lead above wakeup_granularity', () => {
    const rq = new CfsRq(0)
    const curr = new SchedEntity(0, 1024)
    const w = new SchedEntity(1, 1024)
    curr.vruntime = 10_000_000
    w.vruntime = 7_000_000
    expect(rq.wakeupPreemptEntity(curr, w, T)).toBe(0)
    w.vruntime = 5_000_000
    expect(rq.wakeupPreemptEntity(curr, w, T)).toBe(1)
    w.vruntime = 11_000_000
    expect(rq.wakeupPreemptEntity(curr, w, T)).toBe(-1)
  })

  it('place_entity gives a sleeper at most half a latency of credit', () => {
    const rq = new CfsRq(0)
    rq.minVruntime = 100_000_000
    const s = new SchedEntity(0, 1024)
    s.vruntime = 1
    rq.placeWakeup(s, T)
    expect(s.vruntime).toBe(88_000_000)
  })

  it('pick_next_entity honours the skip buddy and the next buddy (yield_to)', () => {
    const rq = new CfsRq(0)
    const a = new SchedEntity(0, 1024)
    const b = new SchedEntity(1, 1024)
    const c = new SchedEntity(2, 1024)
    a.vruntime = 0
    b.vruntime = 1_000_000
    c.vruntime = 2_000_000
    rq.enqueue(a)
    rq.enqueue(b)
    rq.enqueue(c)
    rq.skip = a
    expect(rq.pickNext(0, T)).toBe(b)
    rq.next = c
    expect(rq.pickNext(0, T)).toBe(c) // c within wakeup_gran of the leftmost
    expect(rq.next).toBeNull()
    rq.next = b
    b.vruntime = 50_000_000
    rq.dequeue(b)
    rq.enqueue(b)
    rq.next = b
    expect(rq.pickNext(0, T)).not.toBe(b) // too far ahead: fairness wins
  })
})
