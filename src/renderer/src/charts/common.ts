/** Pieces every chart option builder shares (pure; no ECharts runtime import). */
import type { CustomSeriesOption, CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams, CustomSeriesRenderItemReturn, EChartsOption, TooltipComponentOption } from 'echarts'
import { OKABE_ITO } from '../lib/palette'
import { TOTAL_VM } from '../lib/results'
import { escapeHtml } from '../../../shared/html'

export type ChartOption = EChartsOption

/** Base option: transparent background (the page's theme shows through), palette, quiet grid. */
export function baseOption(): ChartOption {
  return {
    backgroundColor: 'transparent',
    // Okabe-Ito's black would vanish on the dark theme's page: a mid grey reads on both
    color: OKABE_ITO.map((c) => (c === '#000000' ? '#8c8c8c' : c)),
    animation: false,
    textStyle: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
    grid: { left: 64, right: 24, top: 40, bottom: 48, containLabel: false },
    legend: { top: 4, type: 'scroll' },
    tooltip: { trigger: 'axis', confine: true }
  }
}

// ---- grouped bars with 95 % CI whiskers (throughput and ratio charts) ----------------------------

/** Bars take 70% of a category; bars in a group are separated by 10% of a bar's width. */
const CATEGORY_GAP = 0.3
const BAR_GAP = 0.1

/** Bar spacing every grouped-bar chart with whiskers uses (whiskerSeries assumes it). */
export const BAR_SPACING = { barGap: `${BAR_GAP * 100}%`, barCategoryGap: `${CATEGORY_GAP * 100}%` } as const

/** The categories of a per-VM bar chart: the VMs, then all VMs together when there are two or more. */
export function vmCategories(vms: readonly string[]): string[] {
  return [...vms, ...(vms.length > 1 ? [TOTAL_VM] : [])]
}

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

/** What an axis tooltip's formatter gets per series (the fields the bar charts read). */
export interface BarTooltipParam {
  axisValue: string
  seriesIndex: number
  seriesName: string
  seriesType: string
  dataIndex: number
  marker: string
  value: unknown
}

/**
 * The axis tooltip of a grouped-bar chart: the category, then `line(p, category)` for each bar
 * series (the whiskers' custom series are skipped). `line` returns HTML: it escapes user strings.
 */
export function barTooltip(line: (p: BarTooltipParam, category: string) => string): TooltipComponentOption {
  return {
    trigger: 'axis',
    confine: true,
    axisPointer: { type: 'shadow' },
    formatter: (params: unknown) => {
      const list = (Array.isArray(params) ? params : [params]) as BarTooltipParam[]
      const bars = list.filter((p) => p.seriesType === 'bar')
      if (!bars.length) return ''
      const category = bars[0].axisValue
      return [escapeHtml(category), ...bars.map((p) => line(p, category))].join('<br/>')
    }
  }
}
