/**
 * Behavioural specs of mutex optimistic spinning (kernel/locking/mutex.c): spin while the owner's
 * vCPU runs, stop and sleep once vcpu_is_preempted says the owner's vCPU is descheduled.
 */
import { describe, expect, it } from 'vitest'
import { oneSection, runTraced, tinyScenario } from '../testing/build'

describe('mutex', () => {
  it('waiters spin optimistically and never sleep while every owner vCPU keeps running (under-commit)', () => {
    const { r } = runTraced(tinyScenario({ pcpus: 4, vms: [{ vcpus: 4, workload: oneSection('mutex', 20_000, 20_000) }], durationNs: 20_000_000 }), 1_000_000)
    expect(r.counters['mutex.optSpins']).toBeGreaterThan(100)
    expect(r.counters['mutex.spinAcquired']).toBeGreaterThan(100)
    expect(r.counters['mutex.sleeps']).toBe(0)
    expect(r.counters['mutex.ownerPreempted']).toBe(0)
  })

  it('a waiter stops spinning and sleeps when the owner vCPU is preempted (vcpu_is_preempted)', () => {
    // the vCPU on pCPU 0 shares it with a CPU hog; exponential 1 ms holds (fixed times would phase-lock
    // the hand-offs with the 4 ms tick): owners get preempted inside the section while the other spins
    const wl = { computeNs: { type: 'exp' as const, meanNs: 50_000 }, sections: [{ kind: 'mutex' as const, holdNs: { type: 'exp' as const, meanNs: 1_000_000 } }] }
    const { r, tr } = runTraced(tinyScenario({
      pcpus: 2,
      vms: [{ vcpus: 2, workload: wl, pinning: [0, 1] }, { vcpus: 1, workload: 'cpu-bound', pinning: [0] }],
      durationNs: 200_000_000
    }), 1_000_000)
    expect(r.preemptions.inCriticalSection.byKind.mutex).toBeGreaterThan(0)
    expect(r.counters['mutex.ownerPreempted']).toBeGreaterThan(0)
    expect(r.counters['mutex.sleeps']).toBeGreaterThan(0)
    // a sleeping waiter lets its vCPU go idle: it halts in the host
    expect(tr.some((x) => x.kind === 'halt' && x.vm === 0 && x.detail === 'idle')).toBe(true)
  })
})
