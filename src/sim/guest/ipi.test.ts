/**
 * Behavioural spec of synchronous IPIs (smp_call_function_many with wait=1): the sender waits until
 * every target ran the handler and acked; a descheduled target delays everyone (ICP).
 */
import { describe, expect, it } from 'vitest'
import { runTraced, tinyScenario } from '../testing/build'
import { resolveScenario } from '../scenario/resolve'

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

  describe('TLB shootdowns and lazy-TLB idle vCPUs (guest.lazyTlb)', () => {
    // four vCPUs on four pCPUs; each op either shoots down the other three or sleeps 300 us, so at any
    // time some vCPUs are idle (no task: lazy TLB) and halted; no halt polling, no spinlocks, so a halted
    // vCPU is always an idle one
    const mixed = { computeNs: { type: 'exp' as const, meanNs: 20_000 }, sections: [{ kind: 'tlb-shootdown' as const, holdNs: { type: 'fixed' as const, ns: 2_000 }, targets: 0 }, { kind: 'sleep' as const, holdNs: { type: 'exp' as const, meanNs: 300_000 } }] }
    const run = (lazyTlb: 'all' | 'leave-mm' | 'skip-lazy') => runTraced(tinyScenario({ pcpus: 4, vms: [{ vcpus: 4, workload: mixed }], durationNs: 50_000_000, host: { haltPoll: { maxNs: 0 } }, guest: { lazyTlb } }), 1_000_000).r

    it("'all' signals idle vCPUs and wakes them; 'skip-lazy' (Linux 6.x tlb_is_not_lazy) skips them", () => {
      const all = run('all')
      const skip = run('skip-lazy')
      expect(all.counters['ipi.toHalted']).toBeGreaterThan(50)
      expect(all.counters['ipi.lazySkipped']).toBe(0)
      // the condition is evaluated when the call starts; a target that goes idle during the sender's
      // IPI exits (a few us) still gets its IPI, as in on_each_cpu_cond_mask
      expect(skip.counters['ipi.toHalted']).toBeLessThan(all.counters['ipi.toHalted'] / 10)
      expect(skip.counters['ipi.lazySkipped']).toBeGreaterThan(50)
    })

    it("'leave-mm' (default, Linux 4.13 leave_mm): an idle vCPU takes one shootdown per idle period, then leaves the mm", () => {
      const lm = run('leave-mm')
      const all = run('all')
      expect(resolveScenario(tinyScenario({ pcpus: 1, vms: [{ vcpus: 1, workload: mixed }], durationNs: 1_000_000 })).guest.lazyTlb).toBe('leave-mm')
      expect(lm.counters['ipi.lazySkipped']).toBeGreaterThan(0)
      expect(lm.counters['ipi.toHalted']).toBeGreaterThan(0)
      expect(lm.counters['ipi.toHalted']).toBeLessThan(all.counters['ipi.toHalted'])
      // at most one IPI to an idle vCPU per idle period
      expect(lm.counters['ipi.toHalted']).toBeLessThanOrEqual(lm.counters['guest.idleEntries'])
    })
  })
})
