import { describe, expect, it } from 'vitest'
import { buildFigure } from '../../../shared/charts'
import { commitSweepFigureSpec, lockWaitFigureSpec, preemptionsFigureSpec, ratioFigureSpec, throughputFigureSpec, timeSeriesFigureSpec, type FigureSpec } from './figure'
import type { RunResultSummary } from '../../../shared/ipc/runs'

function result(ops: number): RunResultSummary {
  return {
    engineVersion: 'x', policy: 'p', policyParams: {}, seed: 1, simulatedNs: 1e9, warmupNs: 0, measuredNs: 1e9, events: 1, digest: 'd',
    vms: [{ name: 'vm0', vcpus: 4, workload: 'spinlock-heavy', ops, opsPerSec: ops, opsPerVcpuPerSec: ops / 4, cpuTimeNs: 0, stealNs: 0 }],
    preemptions: { total: 10, inCriticalSection: { total: 4, byKind: { spinlock: 4, rwlock: 0, mutex: 0, rwsem: 0, rcu: 0, irq: 0 } }, lockHolder: 3, lockWaiter: 1 },
    counters: {}, lockWaitHistogram: { unit: 'ns', buckets: [1, 2, 3] }, pcpuBusyNs: [], pcpuIdleNs: []
  }
}
const runs = [{ policy: 'kvm', result: result(100) }, { policy: 'kvm', result: result(110) }, { policy: 'ecs', result: result(200) }, { policy: 'ecs', result: result(220) }]

describe('figure specs for export', () => {
  const specs: FigureSpec[] = [
    throughputFigureSpec(runs),
    ratioFigureSpec(runs, 'ecs', 'kvm'),
    preemptionsFigureSpec(runs),
    lockWaitFigureSpec(runs),
    timeSeriesFigureSpec([{ name: 'kvm · vm0', t: [1e6, 2e6], values: [5, 6] }], 'ops/s', 1e6),
    commitSweepFigureSpec([{ policy: 'ecs', commitRatio: 1, ratio: 1.2 }, { policy: 'ecs', commitRatio: 2, ratio: 2.1 }], 'kvm')
  ]

  it('each chart\'s spec builds with the shared paper builders (same figure as ecs-lab figure)', () => {
    for (const s of specs) {
      const fig = buildFigure(s.kind, s.data as never, 'paper-1col')
      expect(fig.option, s.kind).toBeTruthy()
      expect(fig.csv.split('\n').length, s.kind).toBeGreaterThan(1)
    }
  })

  it('the ratio spec groups by workload and carries the policy pair', () => {
    const s = specs[1]
    expect(s.kind).toBe('ratio')
    if (s.kind === 'ratio') {
      expect(s.data.rows.map((r) => r.workload)).toEqual(['spinlock-heavy'])
      expect(s.data.rows[0].ratio).toBeCloseTo(2, 10)
    }
  })
})
