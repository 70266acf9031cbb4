/** Policy / baseline throughput ratio per VM (1.0 = no change), one bar group per VM. */
import type { BatchAggregate } from '../lib/results'
import { formatRatio } from '../lib/format'
import { baseOption, type ChartOption } from './common'

/**
 * The paper's headline throughput claims (abstract; docs/REPORT.md "Headline claims beside the model"):
 * eCS up to 2.5x over-committed, up to 1.6x under-committed.
 */
export const PAPER_CLAIMS = { over: { ratio: 2.5, label: 'paper: up to 2.5× (over-committed)' }, under: { ratio: 1.6, label: 'paper: up to 1.6× (under-committed)' } } as const

/** `claim`: the paper's claim for this regime, drawn as a dashed reference line. */
export function ratioOption(agg: BatchAggregate, claim?: { ratio: number; label: string }): ChartOption {
  const categories = [...agg.vms, ...(agg.vms.length > 1 ? ['all VMs'] : [])]
  const policies = agg.policies.filter((p) => p !== agg.baseline)
  return {
    ...baseOption(),
    color: ['#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#E69F00'],
    // room above the plot for the legend (variant labels are long) and, right of it, the baseline line's label
    grid: { left: 64, right: 72, top: 56, bottom: 48, containLabel: false },
    tooltip: { trigger: 'axis', confine: true, axisPointer: { type: 'shadow' }, valueFormatter: (v) => formatRatio(Number(v)) },
    xAxis: { type: 'category', data: categories, name: 'VM', nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'value', name: `× ${agg.baseline ?? 'baseline'}`, min: 0, ...(claim ? { max: (v: { max: number }) => Math.max(v.max, claim.ratio) * 1.1 } : {}), axisLabel: { formatter: (v: number) => `${v}×` } },
    series: policies.map((policy, i) => ({
      type: 'bar' as const,
      name: `${policy} / ${agg.baseline}`,
      data: categories.map((vm) => {
        const r = agg.ratios.find((c) => c.policy === policy && c.vm === vm)
        return r && Number.isFinite(r.ratio) ? Number(r.ratio.toFixed(4)) : null
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
    }))
  }
}
