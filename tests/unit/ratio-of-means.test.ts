/** One unpaired ratio estimate (delta method) behind the renderer's results/sweep views and the figure builders. */
import { describe, expect, it } from 'vitest'
import { ratioOfMeans, statOf, tQuantile975 } from '../../src/shared/stats'
import { ratioData } from '../../src/shared/charts/from-results'
import { aggregateRuns, TOTAL_VM } from '../../src/renderer/src/lib/results'

describe('ratioOfMeans', () => {
  it('is mean(p)/mean(b) with the delta-method 95 % CI, t on min(n) - 1 degrees of freedom', () => {
    const p = [150, 300, 450]
    const b = [100, 200, 300, 400]
    const r = ratioOfMeans(p, b)
    const sp = statOf(p)
    const sb = statOf(b)
    const seP = sp.sd / Math.sqrt(3)
    const seB = sb.sd / Math.sqrt(4)
    const half = tQuantile975(2) * Math.sqrt(seP ** 2 / sb.mean ** 2 + (sp.mean ** 2 * seB ** 2) / sb.mean ** 4)
    expect(r.ratio).toBeCloseTo(300 / 250, 12)
    expect(r.high - r.ratio).toBeCloseTo(half, 12)
    expect(r.ratio - r.low).toBeCloseTo(half, 12)
    expect(r.n).toBe(3)
  })

  it('has a CI around a zero numerator (its spread still counts)', () => {
    const r = ratioOfMeans([0, 0, 0], [10, 20, 30])
    expect(r.ratio).toBe(0)
    expect(r.high).toBe(0)
    const s = ratioOfMeans([-1, 0, 1], [10, 20, 30])
    expect(s.high).toBeGreaterThan(0)
  })

  it('gives no interval for fewer than two values or a non-positive baseline', () => {
    expect(ratioOfMeans([1], [2, 3]).high).toBeNaN()
    expect(ratioOfMeans([1, 2], [0, 0]).ratio).toBeNaN()
  })

  it('the renderer results view and the figure builders give the same unpaired ratio and CI', () => {
    const kvm = [100, 200, 300]
    const ecs = [150, 300, 450, 500]
    // disjoint seeds: nothing to pair
    const mk = (policy: string, seed: number, ops: number) => ({ policy, seed, result: { vms: [{ name: 'vm0', workload: 'w', opsPerSec: ops, opsPerVcpuPerSec: ops }], preemptions: { total: 0, inCriticalSection: { total: 0, byKind: {} }, lockHolder: 0, lockWaiter: 0 }, lockWaitHistogram: { buckets: [] }, counters: {}, pcpuBusyNs: [1e9], pcpuIdleNs: [0], measuredNs: 1e9 } })
    const runs = [...kvm.map((v, i) => mk('kvm', i + 1, v)), ...ecs.map((v, i) => mk('ecs', 10 + i, v))]
    const fig = ratioData({ w: runs as never }, 'ecs', 'kvm').rows[0]
    const agg = aggregateRuns(runs.map((r, i) => ({ id: String(i), policy: r.policy, seed: r.seed, result: r.result as never })))
    const ui = agg.ratios.find((x) => x.policy === 'ecs' && x.vm === TOTAL_VM)!
    expect(ui.method).toBe('means')
    const want = ratioOfMeans(ecs, kvm)
    expect(fig.ratio).toBeCloseTo(want.ratio, 12)
    expect(fig.high!).toBeCloseTo(want.high, 12)
    expect(ui.ratio).toBeCloseTo(want.ratio, 12)
    expect(ui.ci95).toBeCloseTo(want.high - want.ratio, 12)
  })
})
