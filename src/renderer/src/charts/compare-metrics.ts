/**
 * Metrics of 2..N runs against a chosen baseline run: one row per run (a horizontal layout, so 20 runs
 * and long variant labels fit: labels wrap instead of being clipped), one bar per metric, each the
 * run's value as a percentage of the baseline's value of that metric (baseline = 100 %, marked).
 * The tooltip shows the raw value and the difference from the baseline.
 */
import { formatSi } from '../lib/format'
import { deltaTo, formatPercent } from '../lib/compare'
import { baseOption, type ChartOption } from './common'
import { escapeHtml } from '../../../shared/html'

export interface CompareRun {
  id: string
  label: string
  metrics: Record<string, number>
}

/** 100 * v / base (rounded to 0.01), null when either is missing or the base is 0 (100 when both are). */
export function relativeTo(base: number | undefined, v: number | undefined): number | null {
  if (v === undefined || base === undefined || !Number.isFinite(v) || !Number.isFinite(base)) return null
  if (base === 0) return v === 0 ? 100 : null
  return Number(((100 * v) / base).toFixed(2))
}

/** Pixel height that gives every run a readable row (at least `min`). */
export function compareChartHeight(runs: number, metrics: number, min = 260): number {
  return Math.max(min, 90 + runs * Math.max(34, 10 * Math.max(1, metrics) + 12))
}

export function compareMetricsOption(runs: readonly CompareRun[], metricNames: readonly string[], baselineId?: string | null): ChartOption {
  const base = runs.find((r) => r.id === baselineId) ?? runs[0]
  // top-to-bottom in run order: a category y axis draws its first category at the bottom, so reverse
  const order = [...runs].reverse()
  return {
    ...baseOption(),
    legend: { top: 4, type: 'scroll', data: [...metricNames] },
    grid: { left: 12, right: 56, top: 36, bottom: 36, containLabel: true },
    tooltip: {
      trigger: 'axis',
      confine: true,
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const list = (Array.isArray(params) ? params : [params]) as { dataIndex: number; marker: string; seriesName: string }[]
        if (!list.length) return ''
        const run = order[list[0]!.dataIndex]
        if (!run) return ''
        // run labels and metric names are the user's strings: escaped, the formatter's output is markup
        return [escapeHtml(run.label) + (run.id === base?.id ? ' (baseline)' : ''), ...list.map((p) => {
          const d = deltaTo(base?.metrics[p.seriesName], run.metrics[p.seriesName])
          return `${p.marker}${escapeHtml(p.seriesName)}: ${formatSi(d.value)}${run.id === base?.id ? '' : ` (${formatPercent(d.percent)})`}`
        })].join('<br/>')
      }
    },
    yAxis: { type: 'category', data: order.map((r) => r.label), axisLabel: { width: 300, overflow: 'break', fontSize: 11, lineHeight: 13, interval: 0 }, axisTick: { show: false } },
    xAxis: { type: 'value', name: `% of baseline (${base?.label ?? '—'})`, nameLocation: 'middle', nameGap: 24 },
    series: metricNames.map((m, i) => ({
      type: 'bar' as const,
      name: m,
      data: order.map((r) => relativeTo(base?.metrics[m], r.metrics[m])),
      ...(i === 0 ? { markLine: { silent: true, symbol: 'none', label: { show: false }, lineStyle: { type: 'dashed' as const }, data: [{ xAxis: 100 }] } } : {})
    }))
  }
}
