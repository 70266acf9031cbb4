/**
 * Throughput per VM and policy: grouped bars (mean over seeds) with 95% confidence-interval whiskers
 * drawn by a custom series at the same offsets as the bars.
 */
import type { CustomSeriesOption, CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams, CustomSeriesRenderItemReturn } from 'echarts'
import type { BatchAggregate } from '../lib/results'
import { formatSi } from '../lib/format'
import { baseOption, type ChartOption } from './common'
import { escapeHtml } from '../../../shared/html'

/** Bars take 70% of a category; bars in a group are separated by 10% of a bar's width. */
const CATEGORY_GAP = 0.3
const BAR_GAP = 0.1

/** Centre offset (in px) of bar `i` of `n` in a category `band` px wide. */
export function barOffset(band: number, n: number, i: number): { offset: number; width: number } {
  const usable = band * (1 - CATEGORY_GAP)
  const width = usable / (n + (n - 1) * BAR_GAP)
  return { offset: -usable / 2 + i * width * (1 + BAR_GAP) + width / 2, width }
}

/**
 * 95 % CI whiskers for bar `i` of `n` in every category: a custom series named like its bar series
 * (so legends, the colour signature and the CSV export treat it as that series' interval: the CSV gets
 * ci_low / ci_high columns), drawn at the bar's offset. `bounds[c]` is [low, high] or null.
 */
export function whiskerSeries(name: string, bounds: readonly ([number, number] | null)[], n: number, i: number): CustomSeriesOption {
  return {
    type: 'custom',
    name,
    silent: true,
    tooltip: { show: false },
    z: 10,
    // a whisker past the axis range (see the ratio chart) is cut at the plot's edge
    clip: true,
    // [category index, low, high]
    data: bounds.map((b, ci) => [ci, b ? b[0] : NaN, b ? b[1] : NaN]),
    encode: { x: 0, y: [1, 2] },
    renderItem: (_params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI): CustomSeriesRenderItemReturn => {
      const lo = Number(api.value(1))
      const hi = Number(api.value(2))
      if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi <= lo) return null
      const x = Number(api.value(0))
      const band = (api.size!([1, 0]) as number[])[0]
      const { offset, width } = barOffset(band, n, i)
      const top = api.coord([x, hi])
      const bottom = api.coord([x, lo])
      const cx = top[0] + offset
      const half = Math.max(3, width * 0.2)
      const style = { stroke: '#888', lineWidth: 1.5 }
      return {
        type: 'group',
        children: [
          { type: 'line', shape: { x1: cx, y1: top[1], x2: cx, y2: bottom[1] }, style },
          { type: 'line', shape: { x1: cx - half, y1: top[1], x2: cx + half, y2: top[1] }, style },
          { type: 'line', shape: { x1: cx - half, y1: bottom[1], x2: cx + half, y2: bottom[1] }, style }
        ]
      }
    }
  }
}

/** Bar spacing every grouped-bar chart with whiskers uses (whiskerSeries assumes it). */
export const BAR_SPACING = { barGap: `${BAR_GAP * 100}%`, barCategoryGap: `${CATEGORY_GAP * 100}%` } as const

export function throughputOption(agg: BatchAggregate): ChartOption {
  const categories = [...agg.vms, ...(agg.vms.length > 1 ? ['all VMs'] : [])]
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
    tooltip: {
      trigger: 'axis',
      confine: true,
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const list = (Array.isArray(params) ? params : [params]) as { axisValue: string; seriesName: string; seriesType: string; dataIndex: number; marker: string }[]
        const bars = list.filter((p) => p.seriesType === 'bar')
        if (!bars.length) return ''
        const vm = bars[0].axisValue
        const lines = bars.map((p) => {
          const s = agg.throughput.find((c) => c.policy === p.seriesName && c.vm === vm)?.summary
          return `${p.marker}${escapeHtml(p.seriesName)}: ${formatSi(s?.mean)} ops/s${s && s.n > 1 ? ` ± ${formatSi(s.ci95)} (n=${s.n})` : ''}`
        })
        return [escapeHtml(vm), ...lines].join('<br/>')
      }
    },
    xAxis: { type: 'category', data: categories, name: 'VM', nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'value', name: 'ops/s', min: 0, axisLabel: { formatter: (v: number) => formatSi(v) } },
    series
  }
}
