/** Host preemptions of running vCPUs per policy, stacked by the critical-section kind they hit. */
import { CS_KINDS } from '../../../shared/result'
import type { PreemptionRow } from '../lib/results'
import { formatInt } from '../lib/format'
import { baseOption, type ChartOption } from './common'

export const OUTSIDE_CS = 'outside a critical section'

export function preemptionsOption(rows: readonly PreemptionRow[]): ChartOption {
  const kinds = CS_KINDS.filter((k) => rows.some((r) => r.byKind[k] > 0))
  return {
    ...baseOption(),
    tooltip: { trigger: 'axis', confine: true, axisPointer: { type: 'shadow' }, valueFormatter: (v) => formatInt(Number(v)) },
    xAxis: { type: 'category', data: rows.map((r) => r.policy), name: 'policy', nameLocation: 'middle', nameGap: 28 },
    legend: { top: 4, right: 8, type: 'scroll' },
    yAxis: { type: 'value', name: 'preemptions', nameGap: 12 },
    series: [
      ...kinds.map((k) => ({ type: 'bar' as const, name: `in ${k}`, stack: 'p', data: rows.map((r) => Math.round(r.byKind[k])) })),
      { type: 'bar' as const, name: OUTSIDE_CS, stack: 'p', itemStyle: { color: '#BBBBBB' }, data: rows.map((r) => Math.max(0, Math.round(r.total - r.inCs))) }
    ]
  }
}
