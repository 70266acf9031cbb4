/**
 * Behavioural specs of the PV qspinlock (qspinlock_paravirt.h): halt after SPIN_THRESHOLD, kick at
 * unlock, wait-early behind a halted predecessor, lock stealing while the head is halted.
 */
import { describe, expect, it } from 'vitest'
import { oneSection, runTraced, tinyScenario } from '../testing/build'

// 2^15 iterations x 16 cycles / 2.4 GHz
const THRESHOLD_NS = Math.round(32768 * 16 / 2.4)

describe('PV qspinlock', () => {
  it('a waiter spins SPIN_THRESHOLD iterations, halts (pv_wait), is kicked at unlock and then takes the lock', () => {
    // PLE off so the only relief is pv_wait; 1 ms holds and 50 us of work (longer than the wakeup latency)
    const { tr, r } = runTraced(tinyScenario({ pcpus: 2, policy: 'kvm-nople', vms: [{ vcpus: 2, workload: oneSection('spinlock', 1_000_000, 50_000) }], durationNs: 3_000_000 }), 100_000)
    const wait = tr.find((x) => x.kind === 'lock-wait')!
    const halt = tr.find((x) => x.kind === 'halt' && x.detail === 'pv_wait')!
    expect(halt.vcpu).toBe(wait.vcpu)
    expect(halt.t - wait.t).toBe(THRESHOLD_NS)
    const release = tr.find((x) => x.kind === 'cs-exit' && x.t > halt.t)!
    const kick = tr.find((x) => x.kind === 'kick' && x.t >= release.t)!
    expect(kick.t).toBe(release.t)
    expect(kick.vcpu).toBe(wait.vcpu)
    const wake = tr.find((x) => x.kind === 'wake' && x.vcpu === wait.vcpu && x.t > kick.t)!
    expect(wake.t - kick.t).toBe(6000) // costs.wakeLatencyNs
    const enter = tr.find((x) => x.kind === 'cs-enter' && x.vcpu === wait.vcpu && x.t > wake.t)!
    expect(enter).toBeDefined()
    expect(r.counters['pvlock.halts']).toBeGreaterThan(0)
    expect(r.counters['pvlock.kicks']).toBeGreaterThan(0)
  })

  it('waits early: a queued waiter behind a halted predecessor halts at its next 256-iteration check', () => {
    const wl = { computeNs: { type: 'uniform' as const, minNs: 1000, maxNs: 30000 }, sections: [{ kind: 'spinlock' as const, holdNs: { type: 'fixed' as const, ns: 2_000_000 } }] }
    const { tr, r } = runTraced(tinyScenario({ pcpus: 3, policy: 'kvm-nople', vms: [{ vcpus: 3, workload: wl }], durationNs: 1_000_000 }), 100_000)
    const waits = tr.filter((x) => x.kind === 'lock-wait')
    expect(waits.length).toBeGreaterThanOrEqual(2)
    const [head, second] = waits
    const hHead = tr.find((x) => x.kind === 'halt' && x.vcpu === head.vcpu)!
    const hSecond = tr.find((x) => x.kind === 'halt' && x.vcpu === second.vcpu)!
    expect(hHead.t - head.t).toBe(THRESHOLD_NS)
    // the second waiter halts well before its own threshold, within one check period after the head
    expect(hSecond.t - second.t).toBeLessThan(THRESHOLD_NS)
    expect(hSecond.t - hHead.t).toBeGreaterThanOrEqual(0)
    expect(hSecond.t - hHead.t).toBeLessThanOrEqual(Math.round(256 * 16 / 2.4))
    expect(r.counters['pvlock.waitEarly']).toBeGreaterThanOrEqual(1)
  })

  it('the holder can steal the lock back while the kicked head is still waking (pv_hybrid_queued_unfair_trylock)', () => {
    const { r } = runTraced(tinyScenario({ pcpus: 2, policy: 'kvm-nople', vms: [{ vcpus: 2, workload: oneSection('spinlock', 1_000_000, 1000) }], durationNs: 5_000_000 }), 100_000)
    expect(r.counters['pvlock.steals']).toBeGreaterThan(0)
  })
})
