/**
 * Policy / baseline throughput ratio per VM (1.0 = no change), one bar group per VM, each bar with its
 * 95 % CI as a whisker: per VM the same interval as for all VMs (lib/results aggregateRuns: paired by
 * seed when two or more seeds are common, else the ratio of the means).
 */
import type { BatchAggregate } from '../lib/results'
import { formatRatio } from '../lib/format'
import { BAR_SPACING, barTooltip, baseOption, vmCategories, whiskerSeries, type ChartOption } from './common'
import { escapeHtml } from '../../../shared/html'

/**
 * The paper's headline throughput claims (abstract; docs/REPORT.md "Headline claims beside the model"):
 * eCS up to 2.5x over-committed, up to 1.6x under-committed.
 */
export const PAPER_CLAIMS = { over: { ratio: 2.5, label: 'paper: up to 2.5× (over-committed)' }, under: { ratio: 1.6, label: 'paper: up to 1.6× (under-committed)' } } as const

/** A ratio cell with a usable 95 % CI. */
const hasCi = (r: { low: number; high: number }) => Number.isFinite(r.low) && Number.isFinite(r.high) && r.high > r.low

/** The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k at or above x (a round axis maximum). */
export function niceCeil(x: number): number {
  if (!(x > 0)) return 1
  const k = Math.pow(10, Math.floor(Math.log10(x)))
  const step = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * k >= x * (1 - 1e-9))!
  return Number((step * k).toPrecision(6))
}

/** `claim`: the paper's claim for this regime, drawn as a dashed reference line. */
export function ratioOption(agg: BatchAggregate, claim?: { ratio: number; label: string }): ChartOption {
  const categories = vmCategories(agg.vms)
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
      // a bar with a CI is read against its whisker (the value is in the tooltip, the table and the CSV);
      // one without (a single seed) carries its value on top
      data: categories.map((vm) => {
        const r = cellOf(policy, vm)
        if (!r || !Number.isFinite(r.ratio)) return null
        return { value: Number(r.ratio.toFixed(4)), label: { show: !hasCi(r) } }
      }),
      label: { show: true, position: 'top' as const, formatter: (p: { value: unknown }) => formatRatio(Number(p.value)) },
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
    // a ratio is never negative: the lower whisker stops at 0
    series.push(whiskerSeries(name, categories.map((vm) => {
      const r = cellOf(policy, vm)
      return r && hasCi(r) ? [Math.max(0, Number(r.low.toFixed(4))), Number(r.high.toFixed(4))] : null
    }), policies.length, i))
  })
  // The axis fits the bars and the paper's claim, not the whiskers: one very wide interval (a VM starved
  // in one seed) would flatten every bar; its whisker runs off the top of the plot instead.
  const tops = [1, ...(claim ? [claim.ratio] : []), ...agg.ratios.filter((r) => policies.includes(r.policy) && categories.includes(r.vm)).map((r) => r.ratio).filter(Number.isFinite)]
  const widest = Math.max(...agg.ratios.filter((r) => hasCi(r)).map((r) => r.high), 0)
  const yMax = niceCeil(Math.min(Math.max(...tops, widest), Math.max(...tops) * 1.6) * 1.1)
  return {
    ...baseOption(),
    color: ['#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#E69F00'],
    // room above the plot for the legend (variant labels are long) and, right of it, the baseline line's label
    grid: { left: 64, right: 72, top: 56, bottom: 48, containLabel: false },
    tooltip: barTooltip((p, vm) => {
      const policy = policies[Math.floor(p.seriesIndex / 2)] ?? ''
      return `${p.marker}${escapeHtml(`${policy} / ${agg.baseline}`)}: ${formatRatio(Number(p.value))}${escapeHtml(ciText(policy, vm))}`
    }),
    xAxis: { type: 'category', data: categories, name: 'VM', nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'value', name: `× ${agg.baseline ?? 'baseline'}`, min: 0, max: yMax, axisLabel: { formatter: (v: number) => `${v}×` } },
    series
  }
}
