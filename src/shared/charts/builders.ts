/**
 * Option builders for the product's figures. Each takes plain data and a FigureStyle and returns
 * {option, csv}: the ECharts option and the CSV of exactly the values it draws (same rows, same order,
 * same units). Use `buildFigure(kind, data, style)` (./index.ts) unless you need one builder directly.
 */
import { axis, baseOption, colorAt, formatNs, formatNumber, grid, legend, logAxisBase, textStyle, toCsv, tooltip, type CsvCell, type EChartsOption, type Figure } from './common'
import type { FigureStyle } from './style'
import { escapeHtml } from '../html'

// ---------------------------------------------------------------------------------------------------
// Data shapes

export interface ThroughputData {
  title?: string
  /** Category order on the x axis (VM names). */
  vms: string[]
  /** Bar order inside a category (policy ids or labels). */
  policies: string[]
  /** One cell per (vm, policy); missing cells are gaps. low/high: the 95 % CI of the mean over seeds. */
  cells: { vm: string; policy: string; mean: number; low?: number; high?: number; n?: number }[]
  /** Axis name, default 'throughput (ops/s)'. */
  unit?: string
}

export interface RatioData {
  title?: string
  /** eCS / baseline (or any policy / reference) per workload; ratio > 1 means the policy is faster. */
  rows: { workload: string; ratio: number; low?: number; high?: number }[]
  policy?: string
  baseline?: string
}

export interface PreemptionsData {
  title?: string
  /** One stacked bar per group (e.g. a policy, or "vm / policy"). */
  groups: string[]
  /** Stack layers (critical-section kinds, plus e.g. 'outside CS'). */
  kinds: string[]
  /** counts[g][k]. */
  counts: number[][]
  /** Axis name, default 'preemptions'. */
  unit?: string
}

export interface LockWaitData {
  title?: string
  /** log2 buckets: bucket i counts waits in [2^i, 2^(i+1)) ns (bucket 0 also holds 0). */
  series: { name: string; buckets: number[] }[]
  /** Plot each series' fraction of its waits (default) instead of raw counts. */
  normalize?: boolean
}

export interface TimeSeriesData {
  title?: string
  /** End of each interval, ns of simulated time. */
  t: number[]
  series: { name: string; values: number[] }[]
  yName: string
  /** Shade [0, warmupNs) as warm-up. */
  warmupNs?: number
}

export interface CommitSweepData {
  title?: string
  /** One line per workload or policy pair; x = commit ratio (total vCPUs / pCPUs). */
  series: { name: string; points: { commit: number; ratio: number; low?: number; high?: number }[] }[]
  yName?: string
}

// ---------------------------------------------------------------------------------------------------
// Bars with confidence-interval whiskers, drawn by a custom series (ECharts bars have no error bars).

interface RenderApi {
  value(dim: number): number
  coord(v: [number, number]): [number, number]
  size(v: [number, number]): [number, number]
  visual(name: string): string
}

interface RenderParams {
  coordSys: { x: number; y: number; width: number; height: number }
}

/** Fraction of a category band the group of bars fills. */
const GROUP_FILL = 0.72

function whiskerBarSeries(style: FigureStyle, name: string, seriesIndex: number, seriesCount: number, data: (number | null)[][], color: string): Record<string, unknown> {
  return {
    type: 'custom',
    name,
    data,
    encode: { x: 0, y: [1, 2, 3], tooltip: [1, 2, 3] },
    dimensions: ['index', 'mean', 'ci low', 'ci high'],
    itemStyle: { color },
    clip: true,
    renderItem: (_params: RenderParams, api: RenderApi) => {
      const ci = api.value(0)
      const mean = api.value(1)
      const lo = api.value(2)
      const hi = api.value(3)
      const band = api.size([1, 0])[0]
      const group = band * GROUP_FILL
      const barW = group / seriesCount
      const [cx, yMean] = api.coord([ci, mean])
      const yZero = api.coord([ci, 0])[1]
      const x0 = cx - group / 2 + seriesIndex * barW
      const xm = x0 + barW / 2
      const children: Record<string, unknown>[] = [
        {
          type: 'rect',
          shape: { x: x0 + barW * 0.06, y: Math.min(yMean, yZero), width: barW * 0.88, height: Math.abs(yZero - yMean) },
          style: { fill: api.visual('color') }
        }
      ]
      if (Number.isFinite(lo) && Number.isFinite(hi) && hi > lo) {
        const yLo = api.coord([ci, lo])[1]
        const yHi = api.coord([ci, hi])[1]
        const cap = Math.min(barW * 0.25, style.fontSize * 0.6)
        const stroke = { stroke: style.textColor, lineWidth: style.axisWidth * 1.2 }
        children.push(
          { type: 'line', shape: { x1: xm, y1: yLo, x2: xm, y2: yHi }, style: stroke },
          { type: 'line', shape: { x1: xm - cap, y1: yLo, x2: xm + cap, y2: yLo }, style: stroke },
          { type: 'line', shape: { x1: xm - cap, y1: yHi, x2: xm + cap, y2: yHi }, style: stroke }
        )
      }
      return { type: 'group', children }
    }
  }
}

/** A horizontal dashed reference line at y (ratio = 1), as a data-less series carrying the markLine. */
function referenceLine(style: FigureStyle, y: number, label?: string): Record<string, unknown> {
  return {
    type: 'line',
    name: '__ref',
    data: [],
    silent: true,
    legendHoverLink: false,
    markLine: {
      silent: true,
      symbol: 'none',
      animation: false,
      lineStyle: { color: style.refColor, width: style.axisWidth, type: 'dashed' },
      label: label ? { show: true, position: 'insideEndTop', formatter: label, ...textStyle(style) } : { show: false },
      data: [{ yAxis: y }]
    }
  }
}

function fmtCi(mean: number, lo: number | null, hi: number | null): string {
  const m = formatNumber(mean)
  return lo !== null && hi !== null && Number.isFinite(lo) && Number.isFinite(hi) ? `${m} [${formatNumber(lo)}, ${formatNumber(hi)}]` : m
}

// ---------------------------------------------------------------------------------------------------
// Builders

export function throughputFigure(data: ThroughputData, style: FigureStyle): Figure {
  const key = (vm: string, p: string) => `${vm}\u0000${p}`
  const byKey = new Map(data.cells.map((c) => [key(c.vm, c.policy), c]))
  const rows: CsvCell[][] = []
  const series = data.policies.map((policy, pi) => {
    const points: (number | null)[][] = []
    data.vms.forEach((vm, vi) => {
      const c = byKey.get(key(vm, policy))
      if (!c || !Number.isFinite(c.mean)) return
      const lo = c.low ?? null
      const hi = c.high ?? null
      points.push([vi, c.mean, lo, hi])
      rows.push([vm, policy, c.mean, lo, hi, c.n ?? null])
    })
    return whiskerBarSeries(style, policy, pi, data.policies.length, points, colorAt(style, pi))
  })
  const option: EChartsOption = {
    ...baseOption(style, data.title),
    legend: legend(style, data.policies),
    grid: grid(style, { legend: true, title: !!data.title }),
    tooltip: tooltip({
      formatter: (p: { seriesName: string; name?: string; value: (number | null)[] }) =>
        `${escapeHtml(data.vms[p.value[0] as number])} · ${escapeHtml(p.seriesName)}: ${fmtCi(p.value[1] as number, p.value[2], p.value[3])}`
    }),
    xAxis: axis(style, { type: 'category', data: data.vms, name: 'VM', axisTick: { show: false }, axisLabel: { ...textStyle(style), interval: 0 } }),
    yAxis: axis(style, { type: 'value', min: 0, name: data.unit ?? 'throughput (ops/s)', axisLabel: { ...textStyle(style), formatter: formatNumber } }),
    series
  }
  return { option, csv: toCsv(['vm', 'policy', 'mean', 'ci_low', 'ci_high', 'n'], rows) }
}

export function ratioFigure(data: RatioData, style: FigureStyle): Figure {
  const points = data.rows.map((r, i) => [i, r.ratio, r.low ?? null, r.high ?? null])
  const label = `${data.policy ?? 'eCS'} / ${data.baseline ?? 'baseline'}`
  const option: EChartsOption = {
    ...baseOption(style, data.title),
    grid: grid(style, { title: !!data.title }),
    tooltip: tooltip({ formatter: (p: { value: (number | null)[] }) => `${escapeHtml(data.rows[p.value[0] as number].workload)}: ${fmtCi(p.value[1] as number, p.value[2], p.value[3])}×` }),
    xAxis: axis(style, { type: 'category', data: data.rows.map((r) => r.workload), name: 'workload', axisTick: { show: false }, axisLabel: { ...textStyle(style), interval: 0 } }),
    yAxis: axis(style, { type: 'value', min: 0, name: `speed-up (${label})`, axisLabel: { ...textStyle(style), formatter: (v: number) => `${formatNumber(v)}×` } }),
    series: [whiskerBarSeries(style, label, 0, 1, points, colorAt(style, 1)), referenceLine(style, 1)]
  }
  return {
    option,
    csv: toCsv(['workload', 'ratio', 'ci_low', 'ci_high'], data.rows.map((r) => [r.workload, r.ratio, r.low ?? null, r.high ?? null]))
  }
}

export function preemptionsFigure(data: PreemptionsData, style: FigureStyle): Figure {
  // Kinds that are zero everywhere would only add legend entries: drop them.
  const kinds = data.kinds.map((k, i) => ({ k, i })).filter(({ i }) => data.counts.some((row) => (row[i] ?? 0) !== 0))
  const rows: CsvCell[][] = []
  data.groups.forEach((g, gi) => kinds.forEach(({ k, i }) => rows.push([g, k, data.counts[gi]?.[i] ?? 0])))
  const option: EChartsOption = {
    ...baseOption(style, data.title),
    legend: legend(style, kinds.map(({ k }) => k)),
    grid: grid(style, { legend: true, title: !!data.title }),
    tooltip: tooltip(),
    xAxis: axis(style, { type: 'category', data: data.groups, axisTick: { show: false }, axisLabel: { ...textStyle(style), interval: 0 } }),
    yAxis: axis(style, { type: 'value', min: 0, name: data.unit ?? 'preemptions', axisLabel: { ...textStyle(style), formatter: formatNumber } }),
    series: kinds.map(({ k, i }, si) => ({
      type: 'bar',
      name: k,
      stack: 'kinds',
      barWidth: '55%',
      itemStyle: { color: colorAt(style, si), borderWidth: 0 },
      emphasis: { disabled: true },
      data: data.groups.map((_, gi) => data.counts[gi]?.[i] ?? 0)
    }))
  }
  return { option, csv: toCsv(['group', 'kind', 'count'], rows) }
}

/** The bucket range that is non-zero in some series (so plots start at the first wait, not at 1 ns). */
function usedBucketRange(series: { buckets: number[] }[]): [number, number] {
  let lo = Infinity
  let hi = -1
  for (const s of series) {
    s.buckets.forEach((v, i) => {
      if (v > 0) {
        lo = Math.min(lo, i)
        hi = Math.max(hi, i)
      }
    })
  }
  return hi < 0 ? [0, -1] : [lo, hi]
}

export function lockWaitFigure(data: LockWaitData, style: FigureStyle): Figure {
  const normalize = data.normalize ?? true
  const [lo, hi] = usedBucketRange(data.series)
  const idx = hi < lo ? [] : Array.from({ length: hi - lo + 1 }, (_, k) => lo + k)
  const labels = idx.map((i) => formatNs(2 ** i))
  const rows: CsvCell[][] = []
  const series = data.series.map((s, si) => {
    const total = s.buckets.reduce((a, b) => a + b, 0)
    const values = idx.map((i) => {
      const count = s.buckets[i] ?? 0
      const frac = total > 0 ? count / total : 0
      rows.push([s.name, i, 2 ** i, 2 ** (i + 1), count, frac])
      // a log axis has no 0: an empty bucket has no bar
      return count > 0 ? (normalize ? frac : count) : null
    })
    return { type: 'bar', name: s.name, barGap: '10%', barCategoryGap: '25%', itemStyle: { color: colorAt(style, si) }, emphasis: { disabled: true }, data: values }
  })
  const logBase = logAxisBase(series.flatMap((s) => s.data))
  const option: EChartsOption = {
    ...baseOption(style, data.title),
    legend: legend(style, data.series.map((s) => s.name)),
    grid: grid(style, { legend: true, title: !!data.title }),
    tooltip: tooltip({ trigger: 'axis', axisPointer: { type: 'shadow' } }),
    xAxis: axis(style, { type: 'category', data: labels, name: 'lock wait time (log2 buckets, lower bound)', axisTick: { show: false } }),
    // log scale: the tail (rare long waits) is what differs between policies and is invisible on a linear axis;
    // bars grow from the axis bottom (startValue), not from 1 (ECharts' log-axis default start)
    yAxis: axis(style, {
      type: 'log',
      logBase: 10,
      min: logBase,
      startValue: logBase,
      name: normalize ? 'fraction of waits (log scale)' : 'waits (log scale)',
      axisLabel: { ...textStyle(style), formatter: normalize ? (v: number) => `${Number((v * 100).toPrecision(2))}%` : formatNumber }
    }),
    series
  }
  return { option, csv: toCsv(['series', 'bucket', 'from_ns', 'to_ns', 'count', 'fraction'], rows) }
}

/** Pick the time unit so ticks read naturally. */
function timeUnit(maxNs: number): { div: number; unit: string } {
  if (maxNs >= 10e9) return { div: 1e9, unit: 's' }
  if (maxNs >= 10e6) return { div: 1e6, unit: 'ms' }
  return { div: 1e3, unit: 'µs' }
}

export function timeSeriesFigure(data: TimeSeriesData, style: FigureStyle): Figure {
  const maxT = data.t.length ? Math.max(...data.t) : 0
  const { div, unit } = timeUnit(maxT)
  const rows: CsvCell[][] = data.t.map((t, i) => [t, ...data.series.map((s) => s.values[i] ?? null)])
  const series: Record<string, unknown>[] = data.series.map((s, si) => ({
    type: 'line',
    name: s.name,
    showSymbol: false,
    symbolSize: style.markerSize,
    lineStyle: { width: style.lineWidth, color: colorAt(style, si) },
    itemStyle: { color: colorAt(style, si) },
    emphasis: { disabled: true },
    data: data.t.map((t, i) => [t / div, s.values[i] ?? null])
  }))
  if (data.warmupNs && data.warmupNs > 0 && series.length > 0) {
    series[0].markArea = {
      silent: true,
      itemStyle: { color: style.shadeColor },
      label: { show: true, position: 'insideBottom', formatter: 'warm-up', ...textStyle(style) },
      data: [[{ xAxis: 0 }, { xAxis: data.warmupNs / div }]]
    }
  }
  const option: EChartsOption = {
    ...baseOption(style, data.title),
    legend: legend(style, data.series.map((s) => s.name)),
    grid: grid(style, { legend: true, title: !!data.title }),
    tooltip: tooltip({ trigger: 'axis' }),
    xAxis: axis(style, { type: 'value', min: 0, max: maxT / div || undefined, name: `simulated time (${unit})`, axisLabel: { ...textStyle(style), formatter: formatNumber } }),
    yAxis: axis(style, { type: 'value', min: 0, name: data.yName, axisLabel: { ...textStyle(style), formatter: formatNumber } }),
    series
  }
  return { option, csv: toCsv(['t_ns', ...data.series.map((s) => s.name)], rows) }
}

export function commitSweepFigure(data: CommitSweepData, style: FigureStyle): Figure {
  const rows: CsvCell[][] = []
  const series: Record<string, unknown>[] = []
  const n = data.series.length
  data.series.forEach((s, si) => {
    const pts = [...s.points].sort((a, b) => a.commit - b.commit)
    for (const p of pts) rows.push([s.name, p.commit, p.ratio, p.low ?? null, p.high ?? null])
    const color = colorAt(style, si)
    series.push({
      type: 'line',
      name: s.name,
      symbol: ['circle', 'rect', 'triangle', 'diamond'][si % 4],
      symbolSize: style.markerSize * 1.5,
      lineStyle: { width: style.lineWidth, color },
      itemStyle: { color },
      emphasis: { disabled: true },
      data: pts.map((p) => [p.commit, p.ratio])
    })
    const bars = pts.filter((p) => p.low !== undefined && p.high !== undefined).map((p) => [p.commit, p.low!, p.high!])
    if (bars.length) {
      series.push({
        type: 'custom',
        name: s.name,
        data: bars,
        encode: { x: 0, y: [1, 2] },
        silent: true,
        z: 1,
        renderItem: (_p: RenderParams, api: RenderApi) => {
          const [x, yLo] = api.coord([api.value(0), api.value(1)])
          const yHi = api.coord([api.value(0), api.value(2)])[1]
          const cap = style.markerSize * 0.9
          // Offset overlapping series' whiskers slightly so they stay readable.
          const dx = (si - (n - 1) / 2) * style.markerSize * 0.4
          const st = { stroke: color, lineWidth: style.axisWidth * 1.2 }
          return {
            type: 'group',
            children: [
              { type: 'line', shape: { x1: x + dx, y1: yLo, x2: x + dx, y2: yHi }, style: st },
              { type: 'line', shape: { x1: x + dx - cap, y1: yLo, x2: x + dx + cap, y2: yLo }, style: st },
              { type: 'line', shape: { x1: x + dx - cap, y1: yHi, x2: x + dx + cap, y2: yHi }, style: st }
            ]
          }
        }
      })
    }
  })
  series.push(referenceLine(style, 1))
  const option: EChartsOption = {
    ...baseOption(style, data.title),
    legend: legend(style, data.series.map((s) => s.name)),
    grid: grid(style, { legend: true, title: !!data.title }),
    tooltip: tooltip({ trigger: 'item', formatter: (p: { seriesName: string; value: number[] }) => `${escapeHtml(p.seriesName)}: ${formatNumber(p.value[1])}× at ${formatNumber(p.value[0])}× commit` }),
    xAxis: axis(style, { type: 'value', min: 'dataMin', max: 'dataMax', name: 'commit ratio (vCPUs / pCPUs)', axisLabel: { ...textStyle(style), formatter: (v: number) => `${formatNumber(v)}×` } }),
    yAxis: axis(style, { type: 'value', min: 0, name: data.yName ?? 'speed-up (eCS / baseline)', axisLabel: { ...textStyle(style), formatter: (v: number) => `${formatNumber(v)}×` } }),
    series
  }
  return { option, csv: toCsv(['series', 'commit_ratio', 'ratio', 'ci_low', 'ci_high'], rows) }
}

// ---------------------------------------------------------------------------------------------------
// Validation against real guests (ecs-lab validate, the Validation page)

export interface ValidationScatterData {
  title?: string
  /** One point per configuration: x = measured, y = simulated normalised throughput, grouped (coloured) by benchmark. */
  points: { benchmark: string; label: string; set: string; measured: number; simulated: number }[]
  /** Draw dotted lines at y = x +- band (the 0.20 per-point bound). */
  band?: number
}

/** Simulated vs measured normalised throughput, one colour per benchmark, the y = x line dashed. */
export function validationScatterFigure(data: ValidationScatterData, style: FigureStyle): Figure {
  const benches = [...new Set(data.points.map((p) => p.benchmark))]
  const hi = Math.max(1.1, ...data.points.flatMap((p) => [p.measured, p.simulated]).filter((x) => Number.isFinite(x))) * 1.05
  const line = (name: string, pts: number[][], type: 'dashed' | 'dotted') => ({
    type: 'line', name, data: pts, silent: true, symbol: 'none', legendHoverLink: false, z: 0,
    lineStyle: { color: style.refColor, width: style.axisWidth, type }, emphasis: { disabled: true }
  })
  const series: Record<string, unknown>[] = [line('y = x', [[0, 0], [hi, hi]], 'dashed')]
  if (data.band) {
    series.push(line(`± ${data.band}`, [[0, data.band], [hi - data.band, hi]], 'dotted'))
    series.push(line(`- ${data.band}`, [[data.band, 0], [hi, hi - data.band]], 'dotted'))
  }
  benches.forEach((b, i) => {
    const color = colorAt(style, i)
    series.push({
      type: 'scatter', name: b,
      symbol: ['circle', 'rect', 'triangle', 'diamond', 'pin', 'arrow'][i % 6],
      symbolSize: style.markerSize * 2,
      itemStyle: { color },
      data: data.points.filter((p) => p.benchmark === b).map((p) => ({ value: [p.measured, p.simulated], name: p.label, itemStyle: p.set === 'calibration' ? { color: 'transparent', borderColor: color, borderWidth: style.lineWidth } : undefined }))
    })
  })
  const option: EChartsOption = {
    ...baseOption(style, data.title),
    legend: legend(style, benches),
    grid: grid(style, { legend: true, title: !!data.title }),
    tooltip: tooltip({ formatter: (p: { seriesName: string; name: string; value: number[] }) => `${p.seriesName} ${p.name}: measured ${formatNumber(p.value[0])}, simulated ${formatNumber(p.value[1])}` }),
    xAxis: axis(style, { type: 'value', min: 0, max: Number(hi.toFixed(2)), name: 'measured normalised throughput' }),
    yAxis: axis(style, { type: 'value', min: 0, max: Number(hi.toFixed(2)), name: 'simulated normalised throughput' }),
    series
  }
  const rows: CsvCell[][] = data.points.map((p) => [p.benchmark, p.label, p.set, p.measured, p.simulated])
  return { option, csv: toCsv(['benchmark', 'layout', 'set', 'measured', 'simulated'], rows) }
}
