/** Policy / baseline throughput ratio per VM (1.0 = no change), one bar group per VM. */
import type { BatchAggregate } from '../lib/results'
import { formatRatio } from '../lib/format'
import { baseOption, type ChartOption } from './common'

export function ratioOption(agg: BatchAggregate): ChartOption {
  const categories = [...agg.vms, ...(agg.vms.length > 1 ? ['all VMs'] : [])]
  const policies = agg.policies.filter((p) => p !== agg.baseline)
  return {
    ...baseOption(),
    color: ['#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#E69F00'],
    // room above the plot for the legend (variant labels are long) and, right of it, the baseline line's label
    grid: { left: 64, right: 72, top: 56, bottom: 48, containLabel: false },
    tooltip: { trigger: 'axis', confine: true, axisPointer: { type: 'shadow' }, valueFormatter: (v) => formatRatio(Number(v)) },
    xAxis: { type: 'category', data: categories, name: 'VM', nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'value', name: `× ${agg.baseline ?? 'baseline'}`, min: 0, axisLabel: { formatter: (v: number) => `${v}×` } },
    series: policies.map((policy, i) => ({
      type: 'bar' as const,
      name: `${policy} / ${agg.baseline}`,
      data: categories.map((vm) => {
        const r = agg.ratios.find((c) => c.policy === policy && c.vm === vm)
        return r && Number.isFinite(r.ratio) ? Number(r.ratio.toFixed(4)) : null
      }),
      label: { show: true, position: 'top' as const, formatter: (p: { value: unknown }) => formatRatio(Number(p.value)) },
      ...(i === 0 ? { markLine: { silent: true, symbol: 'none', data: [{ yAxis: 1 }], lineStyle: { type: 'dashed' as const, color: '#888' }, label: { formatter: 'baseline', position: 'end' as const } } } : {})
    }))
  }
}
