import { describe, expect, it } from 'vitest'
import { ratioData, type RunForFigure } from './from-results'

function run(policy: string, total: number, seed?: number): RunForFigure {
  return {
    policy,
    seed,
    result: {
      measuredNs: 1e9,
      vms: [{ name: 'vm0', vcpus: 1, workload: 'w', ops: total, opsPerSec: total, opsPerVcpuPerSec: total, cpuTimeNs: 0, stealNs: 0 }],
      preemptions: { total: 0, inCriticalSection: { total: 0, byKind: { spinlock: 0, rwlock: 0, mutex: 0, rwsem: 0, rcu: 0, irq: 0 } }, lockHolder: 0, lockWaiter: 0 },
      lockWaitHistogram: { unit: 'ns', buckets: [] }
    }
  }
}

describe('ratioData', () => {
  it('pairs runs by seed when every run has one: the seed-to-seed spread of the baseline cancels', () => {
    const runs = [run('kvm', 100, 1), run('kvm', 200, 2), run('kvm', 400, 3), run('ecs', 120, 1), run('ecs', 240, 2), run('ecs', 480, 3)]
    const r = ratioData({ w: runs }, 'ecs', 'kvm').rows[0]
    expect(r.ratio).toBeCloseTo(1.2, 12)
    expect(r.low).toBeCloseTo(1.2, 12)
    expect(r.high).toBeCloseTo(1.2, 12)
  })

  it('falls back to the ratio of means with a delta-method CI without seeds', () => {
    const runs = [run('kvm', 100), run('kvm', 200), run('kvm', 400), run('ecs', 120), run('ecs', 240), run('ecs', 480)]
    const r = ratioData({ w: runs }, 'ecs', 'kvm').rows[0]
    expect(r.ratio).toBeCloseTo(1.2, 12)
    expect(r.high! - r.low!).toBeGreaterThan(1)
  })
})
