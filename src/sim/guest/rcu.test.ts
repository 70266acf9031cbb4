/**
 * Behavioural spec of RCU grace periods (guest/rcu.ts): a grace period cannot end while a vCPU that
 * owes a quiescent state is descheduled by the host, so preempting vCPUs stretches grace periods.
 */
import { describe, expect, it } from 'vitest'
import { runTraced, tinyScenario } from '../testing/build'

const wl = {
  computeNs: { type: 'exp' as const, meanNs: 20_000 },
  sections: [
    { kind: 'rcu-read' as const, weight: 100, holdNs: { type: 'exp' as const, meanNs: 5_000 } },
    { kind: 'synchronize-rcu' as const, weight: 1 }
  ]
}

describe('RCU grace periods', () => {
  it('wait for a preempted vCPU: grace periods get longer when a vCPU shares its pCPU with a hog', () => {
    const alone = runTraced(tinyScenario({ pcpus: 2, vms: [{ vcpus: 2, workload: wl, pinning: [0, 1] }], durationNs: 100_000_000 }), 1_000_000)
    const shared = runTraced(tinyScenario({ pcpus: 2, vms: [{ vcpus: 2, workload: wl, pinning: [0, 1] }, { vcpus: 1, workload: 'cpu-bound', pinning: [1] }], durationNs: 100_000_000 }), 1_000_000)
    const mean = (r: typeof alone.r) => r.counters['rcu.gpNs'] / r.counters['rcu.gracePeriods']
    expect(alone.r.counters['rcu.gracePeriods']).toBeGreaterThan(10)
    expect(shared.r.counters['rcu.gracePeriods']).toBeGreaterThan(5)
    expect(mean(shared.r)).toBeGreaterThan(1.5 * mean(alone.r))
    // some grace period spans a whole descheduled stretch of the shared vCPU (> one 4 ms guest tick)
    const gps = shared.tr.filter((x) => x.kind === 'gp').map((x) => Number(x.detail))
    expect(Math.max(...gps)).toBeGreaterThan(4_000_000)
    // while it is descheduled, that vCPU is not running: it cannot report (a GP ending needs it to run)
    for (const g of shared.tr.filter((x) => x.kind === 'gp')) {
      const last = shared.tr.filter((x) => x.vm === 0 && x.vcpu === 1 && (x.kind === 'run' || x.kind === 'preempt') && x.t <= g.t).pop()
      if (last && Number(g.detail) > 4_000_000) expect(last.kind).toBe('run')
    }
  })
})
