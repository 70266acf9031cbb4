/** Pieces every chart option builder shares (pure; no ECharts runtime import). */
import type { EChartsOption } from 'echarts'
import { OKABE_ITO } from '../lib/palette'

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
