/**
 * kvm_vcpu_on_spin (virt/kvm/kvm_main.c, Linux 4.13): a vCPU that directed-yields is switched out
 * inside yield_to() -> schedule() while still marked in_spin_loop, so while it is descheduled other
 * spinners' kvm_vcpu_eligible_for_directed_yield() passes over it every other time (dy_eligible
 * toggles), instead of boosting a spinner.
 */
import { describe, expect, it } from 'vitest'
import { resolveScenario } from '../scenario/resolve'
import { Simulation } from '../engine'
import * as ent from '../guest/entities'

describe('PLE directed yield: the yielder stays in_spin_loop while descheduled in yield_to', () => {
  it('descheduled yielders are seen in the spin loop and skipped by the eligibility filter', () => {
    const s = resolveScenario({
      seed: 1,
      host: { pcpus: 8, sockets: 1 },
      // rcu-ipi at 2x (issue 11: the lead was measured there): TLB-shootdown senders spin in csd_lock_wait
      vms: [0, 1].map((i) => ({ name: `vm${i}`, vcpus: 8, workload: 'rcu-ipi' })),
      durationNs: 100_000_000,
      policy: { id: 'kvm', params: {} }
    })
    const sim = new Simulation(s, 'test')
    let seenDescheduledInSpinLoop = 0
    for (let t = 50_000; t < s.durationNs; t += 50_000) {
      sim.runUntil(t)
      for (const v of (sim as unknown as { vcpus: ent.Vcpu[] }).vcpus) if (v.hstate === ent.H_RUNNABLE && v.inSpinLoop) seenDescheduledInSpinLoop++
    }
    const r = sim.result()
    expect(r.counters['ple.directedYields']).toBeGreaterThan(0)
    expect(seenDescheduledInSpinLoop).toBeGreaterThan(0)
    expect(r.counters['ple.notEligible']).toBeGreaterThan(0)
  })
})
