/**
 * The baseline shows the problems the paper names (ecs-model.md §1): in an over-committed host,
 * lock-holder and lock-waiter preemption appear and per-vCPU throughput of a lock-heavy workload
 * falls well below its fair share of the under-committed case. Small 8-pCPU versions of the presets.
 */
import { describe, expect, it } from 'vitest'
import { resolveScenario } from './resolve'
import { runScenario } from '../index'

function run(nVms: number, policy: string, pv: boolean, seed = 1) {
  const s = resolveScenario({
    seed,
    host: { pcpus: 8, sockets: 1 },
    guest: { pvSpinlocks: pv },
    vms: Array.from({ length: nVms }, (_, i) => ({ name: `vm${i}`, vcpus: 8, workload: { computeNs: { type: 'exp' as const, meanNs: 8_000 }, sections: [{ kind: 'spinlock' as const, lock: 'hot', instances: 2, holdNs: { type: 'lognormal' as const, medianNs: 700, sigma: 0.7 } }] } })),
    durationNs: 200_000_000,
    warmupNs: 20_000_000,
    policy: { id: policy, params: {} }
  })
  const r = runScenario(s)
  const perVcpu = r.vms.reduce((a, v) => a + v.ops, 0) / r.vms.reduce((a, v) => a + v.vcpus, 0) / (r.measuredNs / 1e9)
  return { r, perVcpu }
}

describe('baseline KVM shows LHP/LWP and a throughput collapse when over-committed', () => {
  it('spinning guest (no PV spinlocks: virt_spin_lock test-and-set), PLE off: over-commit loses throughput below the 2x fair share', () => {
    const under = run(1, 'kvm-nople', false)
    const over = run(2, 'kvm-nople', false)
    expect(under.r.preemptions.total).toBe(0)
    expect(over.r.preemptions.lockWaiter + over.r.preemptions.lockHolder).toBeGreaterThan(0)
    // lock-holder preemption costs throughput; without a waiter queue there is no convoy collapse
    // (the FIFO model this replaced kept under a quarter; engine 0.7.0)
    expect(over.perVcpu).toBeLessThan(under.perVcpu / 2)
  })

  it('PV guest with PLE (kvm): holders and waiters are preempted, lock waits grow, per-vCPU throughput drops below half', () => {
    const under = run(1, 'kvm', true)
    const over = run(2, 'kvm', true)
    expect(over.r.preemptions.inCriticalSection.byKind.spinlock).toBeGreaterThan(0)
    expect(over.r.preemptions.lockHolder).toBeGreaterThan(0)
    expect(over.r.counters['pvlock.halts']).toBeGreaterThan(0)
    // mean lock wait, pooled over three seeds: in a 200 ms run the over-committed PV guest either falls
    // into the pv_wait/halt regime or not (per seed the wait ratio is ~3x or ~25-40x), so one seed
    // alone tests the luck of the draw
    const seeds = [1, 2, 3]
    const wait = (nVms: number) => {
      let ns = 0
      let n = 0
      for (const seed of seeds) {
        const x = seed === 1 ? (nVms === 1 ? under : over) : run(nVms, 'kvm', true, seed)
        ns += x.r.counters['lock.waitNs']
        n += x.r.counters['lock.acquisitions']
      }
      return ns / n
    }
    expect(wait(2)).toBeGreaterThan(3 * wait(1))
    expect(over.perVcpu).toBeLessThan(under.perVcpu / 2)
  })
})
