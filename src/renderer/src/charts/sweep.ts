/** Sweep: policy / baseline throughput ratio against the commit ratio (under- to over-committed). */
import { formatRatio } from '../lib/format'
import { baseOption, type ChartOption } from './common'

export interface SweepPoint {
  policy: string
  /** Total vCPUs / pCPUs. */
  commitRatio: number
  ratio: number
  /** Half-width of the ratio's 95% CI over seeds (NaN when unknown). */
  ci95?: number
}

export function sweepOption(points: readonly SweepPoint[], baseline: string): ChartOption {
  const policies = [...new Set(points.map((p) => p.policy))]
  return {
    ...baseOption(),
    legend: { top: 4, right: 8, type: 'scroll' },
    color: ['#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#E69F00'],
    tooltip: { trigger: 'axis', confine: true, valueFormatter: (v) => formatRatio(Number(v)) },
    xAxis: { type: 'value', name: 'commit ratio (vCPUs / pCPUs)', nameLocation: 'middle', nameGap: 28, axisLabel: { formatter: (v: number) => `${v}×` } },
    yAxis: { type: 'value', name: `throughput × ${baseline}`, scale: true, axisLabel: { formatter: (v: number) => `${v}×` } },
    series: policies.map((policy, i) => ({
      type: 'line' as const,
      name: `${policy} / ${baseline}`,
      symbolSize: 8,
      data: points.filter((p) => p.policy === policy).sort((a, b) => a.commitRatio - b.commitRatio).map((p) => [p.commitRatio, Number(p.ratio.toFixed(4))]),
      ...(i === 0 ? {
        markLine: { silent: true, symbol: 'none', lineStyle: { type: 'dashed' as const, color: '#888' }, data: [{ yAxis: 1, label: { formatter: 'baseline', position: 'insideEndTop' as const } }, { xAxis: 1, label: { formatter: '1× (fully committed)' } }] }
      } : {})
    }))
  }
}
