import { describe, expect, it } from 'vitest'
import { aggregateRuns, headlineRatio, TOTAL_VM, type RunForAggregate } from '../lib/results'
import { ratioOfMeans } from '../../../shared/stats'
import { throughputOption } from './throughput'
import { barOffset } from './common'
import { niceCeil, ratioOption } from './ratio'
import { OUTSIDE_CS, preemptionsOption } from './preemptions'
import { lockWaitOption, usedBucketRange } from './lock-wait'
import { perSecond, timeSeriesOption } from './time-series'
import { sweepOption } from './sweep'
import { parallelData, parallelOption } from './parallel'
import { compareChartHeight, compareMetricsOption, relativeTo } from './compare-metrics'
import type { RunResultSummary } from '../../../shared/ipc/runs'
import { csvFromOption } from '../../../shared/charts'

type Series = { type: string; name: string; data: unknown[]; stack?: string; markLine?: unknown }
const seriesOf = (o: { series?: unknown }) => o.series as Series[]

function result(ops: [number, number], inCs: number, spin: number, buckets: number[]): RunResultSummary {
  return {
    engineVersion: 'x', policy: 'p', policyParams: {}, seed: 1, simulatedNs: 1e9, warmupNs: 0, measuredNs: 1e9, events: 1, digest: 'd',
    vms: [
      { name: 'vm0', vcpus: 4, workload: 'w', ops: ops[0], opsPerSec: ops[0], opsPerVcpuPerSec: 0, cpuTimeNs: 0, stealNs: 0 },
      { name: 'vm1', vcpus: 4, workload: 'w', ops: ops[1], opsPerSec: ops[1], opsPerVcpuPerSec: 0, cpuTimeNs: 0, stealNs: 0 }
    ],
    preemptions: { total: 10, inCriticalSection: { total: inCs, byKind: { spinlock: spin, rwlock: 0, mutex: inCs - spin, rwsem: 0, rcu: 0, irq: 0 } }, lockHolder: 3, lockWaiter: 1 },
    counters: {},
    lockWaitHistogram: { unit: 'ns', buckets },
    pcpuBusyNs: [], pcpuIdleNs: []
  }
}

const runs: RunForAggregate[] = [
  { id: 'a1', policy: 'kvm', seed: 1, result: result([100, 100], 4, 3, [0, 5, 5]) },
  { id: 'a2', policy: 'kvm', seed: 2, result: result([120, 80], 6, 5, [0, 0, 10]) },
  { id: 'b1', policy: 'ecs', seed: 1, result: result([200, 150], 1, 1, [10, 0, 0]) },
  { id: 'b2', policy: 'ecs', seed: 2, result: result([220, 130], 1, 0, [10, 0, 0]) },
  { id: 'c1', policy: 'ecs', seed: 3, result: null }
]

describe('batch aggregate', () => {
  const agg = aggregateRuns(runs)

  it('summarises throughput per VM and policy over seeds', () => {
    expect(agg.policies).toEqual(['kvm', 'ecs'])
    expect(agg.baseline).toBe('kvm')
    expect(agg.vms).toEqual(['vm0', 'vm1'])
    const total = agg.throughput.find((c) => c.policy === 'ecs' && c.vm === TOTAL_VM)!.summary
    expect(total.mean).toBe(350)
    expect(total.n).toBe(2)
  })

  it('pairs the ratio by seed when both policies ran the same seeds (as ecs-lab compare does)', () => {
    // ecs = 1.5 x kvm on every seed while kvm itself varies a lot between seeds
    const mk = (id: string, policy: string, seed: number, total: number): RunForAggregate => ({ id, policy, seed, result: result([total / 2, total / 2], 0, 0, [1]) })
    const paired = aggregateRuns([mk('k1', 'kvm', 1, 100), mk('k2', 'kvm', 2, 200), mk('k3', 'kvm', 3, 300), mk('e1', 'ecs', 1, 150), mk('e2', 'ecs', 2, 300), mk('e3', 'ecs', 3, 450)])
    const h = headlineRatio(paired)!
    expect(h.method).toBe('paired')
    expect(h.ratio).toBeCloseTo(1.5, 12)
    expect(h.ci95).toBeCloseTo(0, 12)
    // the same values on disjoint seeds cannot be paired: ratio of means with a (wide) delta-method CI
    const unpaired = aggregateRuns([mk('k1', 'kvm', 1, 100), mk('k2', 'kvm', 2, 200), mk('k3', 'kvm', 3, 300), mk('e1', 'ecs', 4, 150), mk('e2', 'ecs', 5, 300), mk('e3', 'ecs', 6, 450)])
    const u = headlineRatio(unpaired)!
    expect(u.method).toBe('means')
    expect(u.ratio).toBeCloseTo(1.5, 12)
    expect(u.ci95).toBeGreaterThan(0.5)
  })

  it('computes the ratio to the baseline with a delta-method CI', () => {
    const head = headlineRatio(agg)!
    expect(head.policy).toBe('ecs')
    expect(head.ratio).toBeCloseTo(350 / 200, 10)
    expect(head.ci95).toBeGreaterThanOrEqual(0)
    expect(ratioOfMeans([1], [2]).high).toBeNaN()
  })

  it('averages preemptions by kind and sums lock-wait buckets', () => {
    const kvm = agg.preemptions.find((p) => p.policy === 'kvm')!
    expect(kvm.inCs).toBe(5)
    expect(kvm.byKind.spinlock).toBe(4)
    expect(agg.lockWait.find((l) => l.policy === 'kvm')!.buckets).toEqual([0, 5, 15])
  })

  it('prefers the given baseline and always lists it first', () => {
    expect(aggregateRuns(runs, 'ecs').baseline).toBe('ecs')
    expect(aggregateRuns(runs, 'ecs').policies).toEqual(['ecs', 'kvm'])
    expect(aggregateRuns([...runs].reverse()).policies).toEqual(['kvm', 'ecs'])
  })
})

describe('chart option builders', () => {
  const agg = aggregateRuns(runs)

  it('throughput: one bar + one CI whisker series per policy, categories = VMs + all', () => {
    const o = throughputOption(agg)
    const s = seriesOf(o)
    expect(s.map((x) => x.type)).toEqual(['bar', 'custom', 'bar', 'custom'])
    expect((o.xAxis as { data: string[] }).data).toEqual(['vm0', 'vm1', 'all VMs'])
    expect(s[0].data).toEqual([110, 90, 200])
    // whiskers never go below zero
    expect((s[1].data as number[][]).every((d) => d[1] >= 0)).toBe(true)
    const a = barOffset(100, 2, 0)
    const b = barOffset(100, 2, 1)
    expect(a.offset).toBeLessThan(0)
    expect(b.offset).toBeCloseTo(-a.offset, 10)
  })

  it('ratio: a bar per VM for each non-baseline policy, a line at 1, and a 95 % CI whisker on every bar', () => {
    const o = ratioOption(agg)
    const s = seriesOf(o)
    expect(s.map((x) => [x.type, x.name])).toEqual([['bar', 'ecs / kvm'], ['custom', 'ecs / kvm']])
    expect((s[0].data[2] as { value: number }).value).toBeCloseTo(1.75, 4)
    expect(s[0].markLine).toBeTruthy()
    // per VM the same interval as for all VMs (aggregateRuns' ratios): [category, low, high]
    const whiskers = s[1].data as number[][]
    expect(whiskers).toHaveLength(3)
    for (const [i, vm] of ['vm0', 'vm1', TOTAL_VM].entries()) {
      const cell = agg.ratios.find((r) => r.policy === 'ecs' && r.vm === vm)!
      expect(cell.method).toBe('paired')
      // a zero-width interval draws no whisker
      expect(whiskers[i]).toEqual(cell.high > cell.low ? [i, Number(cell.low.toFixed(4)), Number(cell.high.toFixed(4))] : [i, NaN, NaN])
      expect(cell.low).toBeLessThanOrEqual(cell.ratio)
      expect(cell.high).toBeGreaterThanOrEqual(cell.ratio)
      // the fixture's per-VM ratios vary between the seeds (their CI has a width); the all-VMs one does not
      if (vm !== TOTAL_VM) expect(cell.high - cell.low).toBeGreaterThan(0.1)
    }
    // and the CSV export carries them as ci_low / ci_high of the ratio series
    const csv = csvFromOption(o).trim().split(/\r?\n/)
    expect(csv[0]).toBe('series,x,y,ci_low,ci_high')
    expect(csv).toHaveLength(4)
    expect(csv[1]).toMatch(/^ecs \/ kvm,vm0,[\d.]+,[\d.]+,[\d.]+$/)
    // a bar with a whisker carries no value label (it would sit on the whisker); one without does
    expect((s[0].data as { label: { show: boolean } }[]).map((d) => d.label.show)).toEqual([false, false, true])
    // the axis fits bars and claim (a round maximum), never a negative whisker
    expect(whiskers.every((w) => !(w[1]! < 0))).toBe(true)
    expect((o.yAxis as { max: number }).max).toBe(niceCeil((o.yAxis as { max: number }).max))
    expect(niceCeil(2.75)).toBe(3)
    expect(niceCeil(285.667)).toBe(300)
    expect(niceCeil(0.9)).toBe(1)
  })

  it('preemptions: stacked by kind present, plus outside a critical section', () => {
    const s = seriesOf(preemptionsOption(agg.preemptions))
    expect(s.map((x) => x.name)).toEqual(['in spinlock', 'in mutex', OUTSIDE_CS])
    expect(new Set(s.map((x) => x.stack))).toEqual(new Set(['p']))
    expect(s[2].data).toEqual([5, 9])
  })

  it('lock wait: shares in % over the used bucket range', () => {
    expect(usedBucketRange(agg.lockWait)).toEqual([0, 2])
    expect(usedBucketRange([])).toEqual([0, -1])
    const o = lockWaitOption(agg.lockWait) as { yAxis: { type: string }; series?: unknown }
    const s = seriesOf(o)
    // log axis (the tail stays visible); empty buckets have no bar
    expect(o.yAxis.type).toBe('log')
    expect(s[0].data).toEqual([null, 25, 75])
    expect(s[1].data).toEqual([100, null, null])
  })

  it('time series: identical lines of different policies get different dashes (neither hides the other)', () => {
    const line = { t: [1e6, 2e6], values: [1, 2] }
    const o = timeSeriesOption([{ name: 'kvm · vm0', ...line }, { name: 'kvm · vm1', ...line }, { name: 'ecs · vm0', ...line }, { name: 'ecs · vm1', ...line }])
    const dashes = (o.series as { lineStyle: { type: unknown } }[]).map((x) => JSON.stringify(x.lineStyle.type))
    expect(dashes[0]).not.toBe(dashes[2])
    expect(dashes[1]).not.toBe(dashes[3])
  })

  it('time series: ms on x, rates per second on y, warm-up shaded', () => {
    expect(perSecond([5, 10], 1e6)).toEqual([5000, 10000])
    const o = timeSeriesOption([{ name: 'kvm · vm0', t: [1e6, 2e6], values: [1, 2] }], { warmupNs: 1e6 })
    const s = seriesOf(o) as (Series & { markArea?: unknown })[]
    expect(s[0].data).toEqual([[1, 1], [2, 2]])
    expect(s[0].markArea).toBeTruthy()
  })

  it('sweep: one line per policy sorted by commit ratio', () => {
    const s = seriesOf(sweepOption([{ policy: 'ecs', commitRatio: 2, ratio: 2.5, ci95: 0.5 }, { policy: 'ecs', commitRatio: 1, ratio: 1.5, ci95: NaN }], 'kvm'))
    expect(s[0].data).toEqual([[1, 1.5], [2, 2.5]])
    // whiskers only where the CI is known
    expect(s[1].type).toBe('custom')
    expect(s[1].data).toEqual([[2, 2, 3]])
  })

  it('parallel: category axes for text, value axes for numbers, one series per group', () => {
    const d = parallelData([
      { id: 'r1', group: 'kvm', fields: { policy: 'kvm', 'host.hz': 250, ops: 10 } },
      { id: 'r2', group: 'ecs', fields: { policy: 'ecs', 'host.hz': 1000, ops: null } }
    ])
    expect(d.axes).toEqual([{ name: 'policy', categories: ['ecs', 'kvm'] }, { name: 'host.hz' }, { name: 'ops' }])
    expect(d.rows[1].values).toEqual(['ecs', 1000, null])
    const o = parallelOption(d) as { parallelAxis: { type: string }[]; series: Series[] }
    expect(o.parallelAxis.map((a) => a.type)).toEqual(['category', 'value', 'value'])
    expect(o.series.map((s) => s.name)).toEqual(['kvm', 'ecs'])
  })

  it('compare metrics: one row per run, values relative to the chosen baseline', () => {
    expect(relativeTo(200, 100)).toBe(50)
    expect(relativeTo(0, 0)).toBe(100)
    expect(relativeTo(0, 3)).toBeNull()
    const runs = [{ id: 'a', label: 'A', metrics: { m: 10, n: 4 } }, { id: 'b', label: 'B', metrics: { m: 25, n: 2 } }]
    const o = compareMetricsOption(runs, ['m', 'n'], 'b') as { yAxis: { data: string[] }; series: Series[] }
    // rows top to bottom in run order (a category y axis starts at the bottom)
    expect(o.yAxis.data).toEqual(['B', 'A'])
    expect(o.series.map((x) => x.name)).toEqual(['m', 'n'])
    expect(o.series.map((x) => x.data)).toEqual([[100, 40], [100, 200]])
    // an unknown baseline falls back to the first run
    expect(seriesOf(compareMetricsOption(runs, ['m'], 'zz')).map((x) => x.data)).toEqual([[250, 100]])
    expect(compareChartHeight(20, 1)).toBeGreaterThanOrEqual(20 * 22)
  })

  it('compare metrics tooltip escapes run labels and metric names (its output is markup)', () => {
    const runs = [{ id: 'a', label: '<img src=x onerror=alert(1)>', metrics: { '<b>m</b>': 10 } }, { id: 'b', label: 'B', metrics: { '<b>m</b>': 20 } }]
    const o = compareMetricsOption(runs, ['<b>m</b>'], 'b') as { tooltip: { formatter: (p: unknown) => string } }
    // order is reversed: dataIndex 1 is run 'a'
    const html = o.tooltip.formatter([{ dataIndex: 1, marker: '', seriesName: '<b>m</b>' }])
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(html).toContain('&lt;b&gt;m&lt;/b&gt;')
    expect(html).not.toMatch(/<img|<b>/)
  })
})
