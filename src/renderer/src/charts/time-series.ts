/** Lines over simulated time (ms): throughput per interval of each (policy or run) x VM. */
import { formatSi } from '../lib/format'
import { baseOption, type ChartOption } from './common'

export interface TimeLine {
  /** Legend entry, e.g. `ecs · vm0`. */
  name: string
  /** End of each interval, ns. */
  t: readonly number[]
  values: readonly number[]
}

/** Counts per interval -> a rate per second. */
export function perSecond(values: readonly number[], intervalNs: number): number[] {
  return values.map((v) => (intervalNs > 0 ? (v * 1e9) / intervalNs : NaN))
}

/**
 * Dash pattern per line: lines with identical values (e.g. two policies that behave alike) would hide
 * each other; with different dashes both stay visible and the legend tells them apart.
 */
export const LINE_DASHES: readonly (string | number[])[] = ['solid', [8, 4], [2, 3], [10, 3, 2, 3], [4, 4]]

export function timeSeriesOption(lines: readonly TimeLine[], opts: { yName?: string; warmupNs?: number } = {}): ChartOption {
  return {
    ...baseOption(),
    tooltip: { trigger: 'axis', confine: true, valueFormatter: (v) => formatSi(Number(v)) },
    xAxis: { type: 'value', name: 'simulated time (ms)', nameLocation: 'middle', nameGap: 28, min: 0 },
    yAxis: { type: 'value', name: opts.yName ?? 'ops/s', axisLabel: { formatter: (v: number) => formatSi(v) } },
    series: lines.map((l, i) => ({
      type: 'line' as const,
      name: l.name,
      showSymbol: false,
      sampling: 'lttb' as const,
      lineStyle: { width: 1.6, type: LINE_DASHES[Math.floor(i / 2) % LINE_DASHES.length] as 'solid' },
      emphasis: { focus: 'series' as const },
      data: l.t.map((t, k) => [t / 1e6, l.values[k]]),
      // The label sits inside the plot, at the shaded band's top left: ECharts' default ('top') puts it
      // above the plot, on the y-axis title when the warm-up is a short band next to the axis.
      ...(i === 0 && opts.warmupNs
        ? { markArea: { silent: true, itemStyle: { color: 'rgba(128,128,128,0.12)' }, label: { position: 'insideTopLeft' as const, distance: 4, color: '#777', fontSize: 11 }, data: [[{ xAxis: 0, name: 'warm-up' }, { xAxis: opts.warmupNs / 1e6 }]] } }
        : {})
    }))
  }
}
