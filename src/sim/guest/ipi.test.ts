/**
 * Behavioural spec of synchronous IPIs (smp_call_function_many with wait=1): the sender waits until
 * every target ran the handler and acked; a descheduled target delays everyone (ICP).
 */
import { describe, expect, it } from 'vitest'
import { runTraced, tinyScenario } from '../testing/build'

const wl = { computeNs: { type: 'exp' as const, meanNs: 50_000 }, sections: [{ kind: 'ipi' as const, holdNs: { type: 'fixed' as const, ns: 3_000 }, targets: 0 }] }

describe('synchronous IPIs', () => {
  it('the sender resumes only after every target handled the IPI', () => {
    const { tr, r } = runTraced(tinyScenario({ pcpus: 3, vms: [{ vcpus: 3, workload: wl }], durationNs: 2_000_000 }), 100_000)
    expect(r.counters['ipi.calls']).toBeGreaterThan(10)
    // two targets per call (a call still in its send phase at the end has sent nothing yet)
    expect(r.counters['ipi.sent']).toBeLessThanOrEqual(2 * r.counters['ipi.calls'])
    expect(r.counters['ipi.sent']).toBeGreaterThanOrEqual(2 * r.counters['ipi.calls'] - 6)
    // each wait lasts at least one handler (3 us) and, with every target running, only a few us
    const perCall = r.counters['ipi.waitNs'] / r.counters['ipi.calls']
    expect(perCall).toBeGreaterThanOrEqual(3_000)
    expect(perCall).toBeLessThan(20_000)
    const handled = tr.filter((x) => x.kind === 'irq' && x.detail === 'ipi').length
    expect(handled).toBeLessThanOrEqual(r.counters['ipi.sent'])
    expect(handled).toBeGreaterThanOrEqual(r.counters['ipi.sent'] - 2)
  })

  it('a target descheduled by the host delays the acks (ipi.toPreempted) and the wait grows', () => {
    const alone = runTraced(tinyScenario({ pcpus: 3, vms: [{ vcpus: 3, workload: wl, pinning: [0, 1, 2] }], durationNs: 50_000_000 }), 1_000_000).r
    const shared = runTraced(tinyScenario({ pcpus: 3, vms: [{ vcpus: 3, workload: wl, pinning: [0, 1, 2] }, { vcpus: 1, workload: 'cpu-bound', pinning: [2] }], durationNs: 50_000_000 }), 1_000_000).r
    expect(alone.counters['ipi.toPreempted']).toBe(0)
    expect(shared.counters['ipi.toPreempted']).toBeGreaterThan(0)
    const per = (r: typeof alone) => r.counters['ipi.waitNs'] / r.counters['ipi.calls']
    expect(per(shared)).toBeGreaterThan(3 * per(alone))
  })
})
