/**
 * Policy / baseline throughput ratio per VM (1.0 = no change), one bar group per VM, each bar with its
 * 95 % CI as a whisker: per VM the same interval as for all VMs (lib/results aggregateRuns: paired by
 * seed when two or more seeds are common, else the ratio of the means).
 */
import type { BatchAggregate } from '../lib/results'
import { formatRatio } from '../lib/format'
import { baseOption, type ChartOption } from './common'
import { BAR_SPACING, whiskerSeries } from './throughput'
import { escapeHtml } from '../../../shared/html'

/**
 * The paper's headline throughput claims (abstract; docs/REPORT.md "Headline claims beside the model"):
 * eCS up to 2.5x over-committed, up to 1.6x under-committed.
 */
export const PAPER_CLAIMS = { over: { ratio: 2.5, label: 'paper: up to 2.5× (over-committed)' }, under: { ratio: 1.6, label: 'paper: up to 1.6× (under-committed)' } } as const

/** `claim`: the paper's claim for this regime, drawn as a dashed reference line. */
export function ratioOption(agg: BatchAggregate, claim?: { ratio: number; label: string }): ChartOption {
  const categories = [...agg.vms, ...(agg.vms.length > 1 ? ['all VMs'] : [])]
  const policies = agg.policies.filter((p) => p !== agg.baseline)
  const cellOf = (policy: string, vm: string) => agg.ratios.find((c) => c.policy === policy && c.vm === vm)
  /** ` [0.981×, 1.043×] 95 % CI, paired by seed` or '' when the CI is unknown. */
  const ciText = (policy: string, vm: string) => {
    const r = cellOf(policy, vm)
    return r && Number.isFinite(r.low) && Number.isFinite(r.high) ? ` [${formatRatio(r.low)}, ${formatRatio(r.high)}] 95 % CI${r.method === 'paired' ? ', paired by seed' : ''}` : ''
  }
  const series: NonNullable<ChartOption['series']> = []
  policies.forEach((policy, i) => {
    const name = `${policy} / ${agg.baseline}`
    series.push({
      type: 'bar' as const,
      name,
      ...BAR_SPACING,
      data: categories.map((vm) => {
        const r = cellOf(policy, vm)
        return r && Number.isFinite(r.ratio) ? Number(r.ratio.toFixed(4)) : null
      }),
      // inside the bar's top: above it the value would sit on the whisker
      label: { show: true, position: 'insideTop' as const, formatter: (p: { value: unknown }) => formatRatio(Number(p.value)) },
      ...(i === 0
        ? {
            markLine: {
              silent: true,
              symbol: 'none',
              data: [
                { yAxis: 1, label: { formatter: 'baseline', position: 'end' as const }, lineStyle: { type: 'dashed' as const, color: '#888' } },
                ...(claim ? [{ yAxis: claim.ratio, label: { formatter: claim.label, position: 'insideEndTop' as const }, lineStyle: { type: 'dotted' as const, color: '#555', width: 1.5 } }] : [])
              ]
            }
          }
        : {})
    })
    series.push(whiskerSeries(name, categories.map((vm) => {
      const r = cellOf(policy, vm)
      return r && Number.isFinite(r.low) && Number.isFinite(r.high) ? [Number(r.low.toFixed(4)), Number(r.high.toFixed(4))] : null
    }), policies.length, i))
  })
  return {
    ...baseOption(),
    color: ['#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#E69F00'],
    // room above the plot for the legend (variant labels are long) and, right of it, the baseline line's label
    grid: { left: 64, right: 72, top: 56, bottom: 48, containLabel: false },
    tooltip: {
      trigger: 'axis',
      confine: true,
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const list = (Array.isArray(params) ? params : [params]) as { axisValue: string; seriesIndex: number; seriesType: string; marker: string; value: unknown }[]
        const bars = list.filter((p) => p.seriesType === 'bar')
        if (!bars.length) return ''
        const vm = bars[0].axisValue
        return [escapeHtml(vm), ...bars.map((p) => {
          const policy = policies[Math.floor(p.seriesIndex / 2)] ?? ''
          return `${p.marker}${escapeHtml(`${policy} / ${agg.baseline}`)}: ${formatRatio(Number(p.value))}${escapeHtml(ciText(policy, vm))}`
        })].join('<br/>')
      }
    },
    xAxis: { type: 'category', data: categories, name: 'VM', nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'value', name: `× ${agg.baseline ?? 'baseline'}`, min: 0, ...(claim ? { max: (v: { max: number }) => Math.max(v.max, claim.ratio) * 1.1 } : {}), axisLabel: { formatter: (v: number) => `${v}×` } },
    series
  }
}
