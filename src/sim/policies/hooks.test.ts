/**
 * The policy hooks are sufficient for the eCS mechanism of ecs-model.md §5.3 (the eCS policies
 * themselves are a later issue): a test policy annotates every primitive, vetoes tick preemption while
 * preempt_count/fake_preempt_count > 0, picks an in-CS preempted vCPU first on PLE exits, and keeps
 * blocked mutex/rwsem waiters spinning when alone on a non-overloaded pCPU.
 */
import { describe, expect, it } from 'vitest'
import { resolveScenario } from '../scenario/resolve'
import { Simulation } from '../engine'
import { CS_BITS_ALL, type HostPolicy, type VcpuPolicyView } from './types'
import { oneSection, tinyScenario } from '../testing/build'

function ecsLikePolicy(veto = true): HostPolicy & { vetoed: number; pleFirst: number } {
  const p = {
    id: 'test-ecs-like',
    pleEnabled: true,
    annotate: CS_BITS_ALL,
    vetoed: 0,
    pleFirst: 0,
    tickVeto(v: VcpuPolicyView): boolean {
      // EFFECTIVE mode of the released patch: veto on every in-CS tick
      const flag = v.preemptCount > 0 || v.fakePreemptCount > 0
      if (flag) p.vetoed++
      return veto && flag
    },
    pleCandidate(me: VcpuPolicyView, vcpus: readonly VcpuPolicyView[]): number {
      for (const v of vcpus) {
        if (v !== me && v.hostPreempted && !v.halted && (v.preemptCount > 0 || v.fakePreemptCount > 0)) {
          p.pleFirst++
          return v.index
        }
      }
      return -1
    },
    blockedWaiterSpins(v: VcpuPolicyView, guestNrRunning: number): boolean {
      return guestNrRunning === 1 && v.stOverloaded === 0
    },
    onSchedIn(v: VcpuPolicyView): void {
      v.vetoStreak = 0
    }
  }
  return p
}

describe('policy hooks (enough for eCS, ecs-model.md §5.3)', () => {
  it('steal-time preempt_count follows annotated sections and a tick veto removes in-CS tick preemptions', () => {
    // long spinlock holds on an over-committed pCPU: baseline preempts holders at the tick
    const input = tinyScenario({ pcpus: 1, hz: 1000, vms: [{ vcpus: 2, workload: oneSection('spinlock', 2_000_000, 200_000), pinning: [0, 0] }, { vcpus: 1, workload: 'cpu-bound', pinning: [0] }], durationNs: 200_000_000 })
    const base = new Simulation(resolveScenario(input), 't')
    base.runUntil(200_000_000)
    const rb = base.result()
    const pol = ecsLikePolicy()
    const ecs = new Simulation(resolveScenario(input), 't', undefined, pol)
    ecs.runUntil(200_000_000)
    ecs.checkInvariants()
    const re = ecs.result()
    expect(rb.counters['host.vcsTicks']).toBe(0) // the vanilla guest annotates nothing
    expect(re.counters['host.vcsTicks']).toBeGreaterThan(0)
    expect(re.counters['host.vetoes']).toBeGreaterThan(0)
    expect(re.counters['host.vetoFlags']).toBeGreaterThan(0)
    expect(pol.vetoed).toBeGreaterThanOrEqual(re.counters['host.vetoFlags'])
    const inCsTick = (r: typeof rb) => r.preemptions.inCriticalSection.byKind.spinlock
    expect(inCsTick(rb)).toBeGreaterThan(0)
    expect(inCsTick(re)).toBeLessThan(inCsTick(rb))
  })

  it('fake_preempt_count follows the task and blocked waiters can be kept spinning', () => {
    const wl = { computeNs: { type: 'exp' as const, meanNs: 20_000 }, sections: [{ kind: 'mutex' as const, holdNs: { type: 'exp' as const, meanNs: 1_000_000 } }] }
    const input = tinyScenario({ pcpus: 2, vms: [{ vcpus: 2, workload: wl, pinning: [0, 1] }, { vcpus: 1, workload: 'cpu-bound', pinning: [0] }], durationNs: 100_000_000 })
    // guest side only (no veto), so owners still get preempted inside their sections
    const pol = ecsLikePolicy(false)
    const sim = new Simulation(resolveScenario(input), 't', undefined, pol)
    sim.runUntil(100_000_000)
    sim.checkInvariants()
    const r = sim.result()
    expect(r.counters['host.fakeVcsTicks']).toBeGreaterThan(0)
    expect(r.counters['mutex.spinInsteadOfSleep']).toBeGreaterThan(0)
    // the steal-time counters are consistent with the current task at the end
    for (const v of sim.vcpus) {
      expect(v.fakePreemptCount).toBe(v.cur ? v.cur.fakeCount : 0)
      expect(v.preemptCount).toBeGreaterThanOrEqual(0)
    }
  })
})
