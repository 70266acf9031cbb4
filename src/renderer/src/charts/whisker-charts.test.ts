/**
 * Golden for the two grouped-bar charts with 95 % CI whiskers (throughput, ratio): the whole ECharts
 * option of each, built from a fixed batch, with every function in it evaluated on fixed inputs (the
 * whiskers' renderItem at each data point, tooltip, label and axis formatters), compared with the file
 * written by the builders before their shared whisker code moved to common.ts. A change to either chart
 * fails here; if it is meant, re-run with `-u` and review the golden's diff.
 */
import { describe, expect, it } from 'vitest'
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams } from 'echarts'
import { aggregateRuns, type RunForAggregate } from '../lib/results'
import type { RunResultSummary } from '../../../shared/ipc/runs'
import { throughputOption } from './throughput'
import { PAPER_CLAIMS, ratioOption } from './ratio'
import type { ChartOption } from './common'

function result(opsPerSec: number[]): RunResultSummary {
  return {
    engineVersion: 'x', policy: 'p', policyParams: {}, seed: 1, simulatedNs: 1e9, warmupNs: 0, measuredNs: 1e9, events: 1, digest: 'd',
    vms: opsPerSec.map((ops, i) => ({ name: `vm${i}`, vcpus: 4, workload: 'w', ops, opsPerSec: ops, opsPerVcpuPerSec: 0, cpuTimeNs: 0, stealNs: 0 })),
    preemptions: { total: 0, inCriticalSection: { total: 0, byKind: { spinlock: 0, rwlock: 0, mutex: 0, rwsem: 0, rcu: 0, irq: 0 } }, lockHolder: 0, lockWaiter: 0 },
    counters: {}, lockWaitHistogram: { unit: 'ns', buckets: [1] }, pcpuBusyNs: [], pcpuIdleNs: []
  }
}

// three policies over two VMs: kvm and ecs on three seeds (CIs, one very wide), pmtlock on one (no CI)
const runs: RunForAggregate[] = [
  { id: 'k1', policy: 'kvm', seed: 1, result: result([1000, 900]) },
  { id: 'k2', policy: 'kvm', seed: 2, result: result([1200, 800]) },
  { id: 'k3', policy: 'kvm', seed: 3, result: result([1100, 1000]) },
  { id: 'e1', policy: 'ecs', seed: 1, result: result([2100, 1500]) },
  { id: 'e2', policy: 'ecs', seed: 2, result: result([2300, 400]) },
  { id: 'e3', policy: 'ecs', seed: 3, result: result([2000, 2600]) },
  { id: 'p1', policy: 'pmtlock', seed: 1, result: result([1500, 1300]) }
]

/** A stand-in for ECharts' render API: a 400 x 300 px plot, one category = 100 px, y 1 unit = 100 px. */
function fakeApi(row: readonly number[]): CustomSeriesRenderItemAPI {
  return {
    value: (i: number) => row[i],
    size: () => [100, 100],
    coord: ([x, y]: number[]) => [x * 100 + 50, 300 - y * 100]
  } as unknown as CustomSeriesRenderItemAPI
}

type Fn = (...args: unknown[]) => unknown
type SeriesLike = { type: string; name: string; data: unknown[]; renderItem?: Fn; label?: { formatter?: Fn } }

/** The option as plain data: functions replaced by a marker, then evaluated below on fixed inputs. */
function materialize(o: ChartOption): unknown {
  const plain = JSON.parse(JSON.stringify(o, (_k, v: unknown) => (typeof v === 'function' ? '[function]' : v)))
  const series = o.series as SeriesLike[]
  const categories = (o.xAxis as { data: string[] }).data
  const tooltip = o.tooltip as { formatter: Fn }
  const params = (ci: number) => series.map((s, seriesIndex) => ({
    axisValue: categories[ci], seriesIndex, seriesName: s.name, seriesType: s.type, dataIndex: ci, marker: '<m>',
    value: s.type === 'bar' ? (s.data[ci] as { value?: unknown } | null)?.value ?? s.data[ci] : s.data[ci]
  }))
  return {
    option: plain,
    renderItem: series.map((s) => s.renderItem
      ? (s.data as number[][]).map((row) => s.renderItem!({} as CustomSeriesRenderItemParams, fakeApi(row)))
      : null),
    barLabels: series.map((s) => (s.label?.formatter ? [0.5, 1, 1.75, 2.125].map((value) => s.label!.formatter!({ value })) : null)),
    tooltip: [...categories.keys()].map((ci) => tooltip.formatter(params(ci))),
    tooltipNoBars: tooltip.formatter([]),
    yAxisLabels: [0, 0.5, 1, 2.5, 1500, 2e6].map((v) => (o.yAxis as { axisLabel: { formatter: Fn } }).axisLabel.formatter(v))
  }
}

describe('throughput and ratio charts (golden)', () => {
  const agg = aggregateRuns(runs)

  it('build the same options as before the whisker code moved to common.ts', async () => {
    const golden = {
      throughput: materialize(throughputOption(agg)),
      ratio: materialize(ratioOption(agg)),
      ratioWithClaim: materialize(ratioOption(agg, PAPER_CLAIMS.over))
    }
    await expect(JSON.stringify(golden, null, 1) + '\n').toMatchFileSnapshot('./__snapshots__/whisker-charts.golden.json')
  })
})
