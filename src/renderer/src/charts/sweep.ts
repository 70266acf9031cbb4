/** Sweep: policy / baseline throughput ratio against the commit ratio (under- to over-committed). */
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams, CustomSeriesRenderItemReturn } from 'echarts'
import { formatRatio } from '../lib/format'
import { baseOption, type ChartOption } from './common'

/** Policy colours (bluish green first: the baseline is the dashed line). */
const SWEEP_COLORS = ['#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#E69F00'] as const

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
    color: [...SWEEP_COLORS],
    tooltip: { trigger: 'axis', confine: true, valueFormatter: (v) => formatRatio(Number(v)) },
    xAxis: { type: 'value', name: 'commit ratio (vCPUs / pCPUs)', nameLocation: 'middle', nameGap: 28, axisLabel: { formatter: (v: number) => `${v}×` } },
    yAxis: { type: 'value', name: `throughput × ${baseline}`, scale: true, axisLabel: { formatter: (v: number) => `${v}×` } },
    series: [...policies.map((policy, i) => ({
      type: 'line' as const,
      name: `${policy} / ${baseline}`,
      symbolSize: 8,
      data: points.filter((p) => p.policy === policy).sort((a, b) => a.commitRatio - b.commitRatio).map((p) => [p.commitRatio, Number(p.ratio.toFixed(4))]),
      ...(i === 0 ? {
        markLine: { silent: true, symbol: 'none', lineStyle: { type: 'dashed' as const, color: '#888' }, data: [{ yAxis: 1, label: { formatter: 'baseline', position: 'insideEndTop' as const } }, { xAxis: 1, label: { formatter: '1× (fully committed)', position: 'insideEndTop' as const } }] }
      } : {})
    })), ...policies.map((policy, i) => ({
      // 95% CI whiskers over seeds, where known
      type: 'custom' as const,
      name: `${policy} / ${baseline}`,
      silent: true,
      tooltip: { show: false },
      itemStyle: { color: SWEEP_COLORS[i % SWEEP_COLORS.length] },
      data: points.filter((p) => p.policy === policy && p.ci95 !== undefined && Number.isFinite(p.ci95) && p.ci95 > 0)
        .map((p) => [p.commitRatio, p.ratio - p.ci95!, p.ratio + p.ci95!]),
      encode: { x: 0, y: [1, 2] },
      renderItem: (_params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI): CustomSeriesRenderItemReturn => {
        const lo = api.coord([Number(api.value(0)), Number(api.value(1))])
        const hi = api.coord([Number(api.value(0)), Number(api.value(2))])
        const style = { stroke: SWEEP_COLORS[i % SWEEP_COLORS.length], lineWidth: 1.5 }
        return {
          type: 'group',
          children: [
            { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style },
            { type: 'line', shape: { x1: lo[0] - 4, y1: lo[1], x2: lo[0] + 4, y2: lo[1] }, style },
            { type: 'line', shape: { x1: hi[0] - 4, y1: hi[1], x2: hi[0] + 4, y2: hi[1] }, style }
          ]
        }
      }
    }))]
  }
}
