/**
 * Metrics of 2..N runs overlaid: one group per metric, one bar per run, scaled to the chosen baseline
 * run (= 100%) so metrics of different magnitudes share an axis; the tooltip shows raw values.
 */
import { formatSi } from '../lib/format'
import { baseOption, type ChartOption } from './common'
import { escapeHtml } from '../../../shared/html'

export interface CompareRun {
  id: string
  label: string
  metrics: Record<string, number>
}

export function relativeTo(first: number | undefined, v: number | undefined): number | null {
  if (v === undefined || first === undefined || !Number.isFinite(v) || !Number.isFinite(first)) return null
  if (first === 0) return v === 0 ? 100 : null
  return Number(((100 * v) / first).toFixed(2))
}

export function compareMetricsOption(runs: readonly CompareRun[], metricNames: readonly string[], baselineIndex = 0): ChartOption {
  const first = runs[baselineIndex] ?? runs[0]
  const many = runs.length > 8
  return {
    ...baseOption(),
    grid: { left: 64, right: 24, top: many ? 64 : 40, bottom: 96 },
    legend: { top: 4, type: 'scroll' },
    tooltip: {
      trigger: 'axis',
      confine: true,
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const list = (Array.isArray(params) ? params : [params]) as { axisValue: string; seriesIndex: number; marker: string; seriesName: string }[]
        if (!list.length) return ''
        const m = list[0].axisValue
        return [escapeHtml(m), ...list.map((p) => `${p.marker}${escapeHtml(p.seriesName)}: ${formatSi(runs[p.seriesIndex]?.metrics[m])}`)].join('<br/>')
      }
    },
    xAxis: { type: 'category', data: [...metricNames], axisLabel: { rotate: 30, interval: 0, fontSize: 10 } },
    yAxis: { type: 'value', name: `% of the baseline (${first?.label ?? 'first run'})` },
    series: runs.map((r, i) => ({
      type: 'bar' as const,
      name: r.label,
      ...(many ? { barMaxWidth: 14 } : {}),
      ...(i === baselineIndex ? { markLine: { silent: true, symbol: 'none', data: [{ yAxis: 100 }], lineStyle: { type: 'dashed' as const, color: '#888' }, label: { formatter: 'baseline', position: 'end' as const } } } : {}),
      data: metricNames.map((m) => relativeTo(first?.metrics[m], r.metrics[m]))
    }))
  }
}
