/**
 * Throughput per VM and policy: grouped bars (mean over seeds) with 95% confidence-interval whiskers
 * drawn by a custom series at the same offsets as the bars.
 */
import type { BatchAggregate } from '../lib/results'
import { formatSi } from '../lib/format'
import { BAR_SPACING, barTooltip, baseOption, vmCategories, whiskerSeries, type ChartOption } from './common'
import { escapeHtml } from '../../../shared/html'

export function throughputOption(agg: BatchAggregate): ChartOption {
  const categories = vmCategories(agg.vms)
  const n = agg.policies.length
  const series: NonNullable<ChartOption['series']> = []
  agg.policies.forEach((policy, pi) => {
    const cells = categories.map((vm) => agg.throughput.find((c) => c.policy === policy && c.vm === vm)?.summary)
    series.push({
      type: 'bar',
      name: policy,
      ...BAR_SPACING,
      data: cells.map((s) => (s ? s.mean : null))
    })
    // throughput is never negative: clip the lower whisker at 0
    series.push(whiskerSeries(policy, cells.map((s) => (s ? [Math.max(0, s.mean - s.ci95), s.mean + s.ci95] : null)), n, pi))
  })
  return {
    ...baseOption(),
    tooltip: barTooltip((p, vm) => {
      const s = agg.throughput.find((c) => c.policy === p.seriesName && c.vm === vm)?.summary
      return `${p.marker}${escapeHtml(p.seriesName)}: ${formatSi(s?.mean)} ops/s${s && s.n > 1 ? ` ± ${formatSi(s.ci95)} (n=${s.n})` : ''}`
    }),
    xAxis: { type: 'category', data: categories, name: 'VM', nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'value', name: 'ops/s', min: 0, axisLabel: { formatter: (v: number) => formatSi(v) } },
    series
  }
}
