/**
 * Lock wait time distribution: share of lock acquisitions per log2 bucket, one bar series per policy,
 * on a log y axis so the tail (0.01 % of waits in the 0.5 ms bucket) is as visible as the bulk. An empty
 * bucket has no bar (null; a log axis has no 0).
 */
import type { LockWaitRow } from '../lib/results'
import { log2BucketLabel } from '../lib/format'
import { baseOption, type ChartOption } from './common'
import { logAxisBase } from '../../../shared/charts/common'

/** Bucket range [first, last] that holds any count across rows (empty -> [0, -1]). */
export function usedBucketRange(rows: readonly LockWaitRow[]): [number, number] {
  let first = Infinity
  let last = -1
  for (const r of rows) {
    r.buckets.forEach((c, i) => {
      if (c > 0) {
        first = Math.min(first, i)
        last = Math.max(last, i)
      }
    })
  }
  return last < 0 ? [0, -1] : [first, last]
}

export function lockWaitOption(rows: readonly LockWaitRow[]): ChartOption {
  const [first, last] = usedBucketRange(rows)
  const idx = last < first ? [] : Array.from({ length: last - first + 1 }, (_, k) => first + k)
  const data = rows.map((r) => {
    const total = r.buckets.reduce((a, b) => a + b, 0)
    return idx.map((i) => (total > 0 && (r.buckets[i] ?? 0) > 0 ? Number((100 * r.buckets[i]! / total).toPrecision(4)) : null))
  })
  const base = logAxisBase(data.flat())
  return {
    ...baseOption(),
    // the y-axis name sits below the legend, whose variant labels may reach over it
    grid: { left: 64, right: 24, top: 56, bottom: 48, containLabel: false },
    tooltip: { trigger: 'axis', confine: true, axisPointer: { type: 'shadow' }, valueFormatter: (v) => (v === null || v === undefined ? '0' : `${Number(Number(v).toPrecision(3))}%`) },
    xAxis: { type: 'category', data: idx.map(log2BucketLabel), name: 'lock wait (log2 buckets)', nameLocation: 'middle', nameGap: 28 },
    // bars grow from the axis bottom, not from 1 (ECharts' log-axis default start), so none hangs downwards
    yAxis: { type: 'log', logBase: 10, min: base, startValue: base, name: '% of acquisitions (log scale)', axisLabel: { formatter: (v: number) => `${Number(v.toPrecision(2))}%` } },
    series: rows.map((r, k) => ({ type: 'bar' as const, name: r.policy, data: data[k]! }))
  }
}
