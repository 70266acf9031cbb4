/**
 * Metrics of 2..N runs overlaid: one group per metric, one bar per run, scaled to the first run
 * (= 100%) so metrics of different magnitudes share an axis; the tooltip shows raw values.
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

export function compareMetricsOption(runs: readonly CompareRun[], metricNames: readonly string[]): ChartOption {
  const first = runs[0]
  return {
    ...baseOption(),
    grid: { left: 64, right: 24, top: 40, bottom: 96 },
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
    yAxis: { type: 'value', name: `% of ${first?.label ?? 'first run'}` },
    series: runs.map((r) => ({
      type: 'bar' as const,
      name: r.label,
      data: metricNames.map((m) => relativeTo(first?.metrics[m], r.metrics[m]))
    }))
  }
}
