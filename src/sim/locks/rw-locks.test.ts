/**
 * Behavioural specs of the reader-writer locks: qrwlock (kernel/locking/qrwlock.c) and rwsem
 * (kernel/locking/rwsem-xadd.c). Overlaps are read off the cs-enter / cs-exit trace.
 */
import { describe, expect, it } from 'vitest'
import type { TraceRecord } from '../../shared/result'
import { runTraced, tinyScenario } from '../testing/build'

/** Max number of tasks inside the `cs` critical sections at the same time. */
function maxInside(tr: TraceRecord[], cs: string): number {
  const inside = new Set<number>()
  let max = 0
  for (const x of tr) {
    if (x.cs !== cs) continue
    if (x.kind === 'cs-enter') {
      inside.add(x.task!)
      max = Math.max(max, inside.size)
    } else if (x.kind === 'cs-exit') inside.delete(x.task!)
  }
  return max
}

/** Readers and writers on one lock instance (writeWeight of 10 choices are writes). */
function rwWorkload(kindPrefix: 'rwlock' | 'rwsem', readHold: number, writeHold: number, writeWeight: number) {
  return {
    computeNs: { type: 'exp' as const, meanNs: 5_000 },
    sections: [
      { kind: `${kindPrefix}-read` as const, weight: 10 - writeWeight, holdNs: { type: 'exp' as const, meanNs: readHold } },
      { kind: `${kindPrefix}-write` as const, weight: writeWeight, holdNs: { type: 'exp' as const, meanNs: writeHold } }
    ]
  }
}

describe('qrwlock', () => {
  it('lets readers in together but never a writer with anybody else', () => {
    // readers only: they overlap
    const r = runTraced(tinyScenario({ pcpus: 4, vms: [{ vcpus: 4, workload: rwWorkload('rwlock', 20_000, 1, 0) }], durationNs: 2_000_000 }), 200_000)
    expect(maxInside(r.tr, 'rwlock')).toBeGreaterThan(1)
    // writers only: strictly one at a time
    const w = runTraced(tinyScenario({ pcpus: 4, vms: [{ vcpus: 4, workload: rwWorkload('rwlock', 1, 20_000, 10) }], durationNs: 2_000_000 }), 200_000)
    expect(maxInside(w.tr, 'rwlock')).toBe(1)
    expect(w.r.counters['lock.contended']).toBeGreaterThan(0)
    expect(w.r.counters['rwlock.waitNs']).toBeGreaterThan(0)
  })
})

describe('rwsem', () => {
  it('readers share the semaphore; writers are exclusive and optimistically spin on a running writer', () => {
    const r = runTraced(tinyScenario({ pcpus: 4, vms: [{ vcpus: 4, workload: rwWorkload('rwsem', 20_000, 1, 0) }], durationNs: 2_000_000 }), 200_000)
    expect(maxInside(r.tr, 'rwsem')).toBeGreaterThan(1)
    expect(r.r.counters['rwsem.sleeps']).toBe(0)
    const w = runTraced(tinyScenario({ pcpus: 4, vms: [{ vcpus: 4, workload: rwWorkload('rwsem', 1, 20_000, 10) }], durationNs: 5_000_000 }), 200_000)
    expect(maxInside(w.tr, 'rwsem')).toBe(1)
    expect(w.r.counters['rwsem.optSpins']).toBeGreaterThan(0)
  })

  it('readers do not spin: a reader that finds a writer inside sleeps and its vCPU idles', () => {
    const r = runTraced(tinyScenario({ pcpus: 4, vms: [{ vcpus: 4, workload: rwWorkload('rwsem', 5_000, 50_000, 5) }], durationNs: 10_000_000 }), 500_000)
    expect(r.r.counters['rwsem.sleeps']).toBeGreaterThan(0)
    expect(r.tr.some((x) => x.kind === 'halt' && x.detail === 'idle')).toBe(true)
  })
})
