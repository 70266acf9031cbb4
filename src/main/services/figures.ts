/**
 * Figures rendered headlessly with ECharts' server-side SVG renderer (`ssr: true`), and to PNG with
 * resvg. The option builders are pure functions of plain data (a Comparison or run series), so the app's
 * chart components can use the same ones and `ecs-lab figure` regenerates what the app shows.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Comparison, ComparisonSeries } from '../../shared/ipc/compare'

export type ChartOption = Record<string, unknown>

const PALETTE = ['#3b6ea8', '#d4742c', '#4f9a55', '#b8433d', '#7d5ba6', '#8a6a3a', '#c45b9b', '#6b6b6b']

function base(title: string, subtitle?: string): ChartOption {
  return {
    animation: false,
    color: PALETTE,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: 'Arial, Liberation Sans, Helvetica, sans-serif' },
    title: { text: title, subtext: subtitle, left: 'center', textStyle: { fontSize: 15 } },
    legend: { bottom: 4 },
    grid: { left: 80, right: 30, top: subtitle ? 70 : 55, bottom: 70, containLabel: true },
    tooltip: { trigger: 'axis' }
  }
}

export const METRIC_TITLES: Record<string, string> = {
  'total.opsPerSec': 'Throughput (ops/s, all VMs)',
  'preemptions.total': 'vCPU preemptions',
  'preemptions.inCriticalSection.total': 'Preemptions inside critical sections',
  'preemptions.lockHolder': 'Lock-holder preemptions',
  'lockWait.p99Ns': 'Lock wait p99 (ns)'
}

/** The one numeric sweep dimension of a comparison, if there is exactly one. */
export function numericSweep(c: Comparison): string | null {
  const keys = new Set<string>()
  for (const g of c.groups) for (const k of Object.keys(g.params)) if (k !== 'scenario') keys.add(k)
  if (keys.size !== 1) return null
  const [k] = [...keys]
  return c.groups.every((g) => typeof g.params[k!] === 'number') ? k! : null
}

/** Mean of a metric per comparison point (x) and policy (bars), whiskers as min-max in the tooltip. */
export function barChartOption(c: Comparison, metric: string, title = METRIC_TITLES[metric] ?? metric): ChartOption {
  return {
    ...base(title, `mean over seeds; ${c.groups[0]?.metrics[metric]?.n ?? 0} run(s) per bar`),
    xAxis: { type: 'category', data: c.points, axisLabel: { interval: 0, rotate: c.points.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', name: metric, nameLocation: 'middle', nameGap: 60, scale: false },
    series: c.policies.map((policy) => ({
      name: policy,
      type: 'bar',
      data: c.points.map((p) => {
        const g = c.groups.find((x) => x.point === p && x.policy === policy)
        const s = g?.metrics[metric]
        return s ? Number(s.mean.toPrecision(6)) : null
      })
    }))
  }
}

/** A metric against the single numeric sweep parameter: one line per policy (and scenario). */
export function sweepChartOption(c: Comparison, metric: string, sweep: string, title = METRIC_TITLES[metric] ?? metric): ChartOption {
  const lines = new Map<string, [number, number][]>()
  for (const g of c.groups) {
    const s = g.metrics[metric]
    if (!s) continue
    const scen = String(g.params['scenario'] ?? '')
    const name = new Set(c.groups.map((x) => String(x.params['scenario'] ?? ''))).size > 1 ? `${g.policy} (${scen})` : g.policy
    const pts = lines.get(name) ?? []
    pts.push([g.params[sweep] as number, Number(s.mean.toPrecision(6))])
    lines.set(name, pts)
  }
  return {
    ...base(title, `vs ${sweep}; mean over seeds`),
    xAxis: { type: 'value', name: sweep, nameLocation: 'middle', nameGap: 30, scale: true },
    yAxis: { type: 'value', name: metric, nameLocation: 'middle', nameGap: 60 },
    series: [...lines.entries()].map(([name, pts]) => ({ name, type: 'line', symbolSize: 7, data: pts.sort((a, b) => a[0] - b[0]) }))
  }
}

/**
 * Per-interval rate of a series (`ops` -> ops/s) over simulated time in ms. Without `groupOf`, one line
 * per run x VM; with it, VMs are summed per run and runs averaged per group (e.g. policy x sweep point,
 * over seeds), which keeps a campaign's figure readable.
 */
export function seriesChartOption(s: ComparisonSeries, name: string, opts: { title?: string; groupOf?: (runId: string) => string } = {}): ChartOption {
  const lines = s.lines.filter((l) => l.name === name)
  const perSec = s.intervalNs > 0 ? 1e9 / s.intervalNs : 1
  const rate = (v: number) => Number((v * perSec).toPrecision(6))
  let series: { name: string; data: [number, number][] }[]
  if (opts.groupOf) {
    const groups = new Map<string, { t: number[]; perRun: Map<string, number[]> }>()
    for (const l of lines) {
      const key = opts.groupOf(l.runId)
      const g = groups.get(key) ?? { t: l.t, perRun: new Map() }
      const sum = g.perRun.get(l.runId) ?? new Array<number>(l.values.length).fill(0)
      l.values.forEach((v, i) => (sum[i] = (sum[i] ?? 0) + v))
      g.perRun.set(l.runId, sum)
      groups.set(key, g)
    }
    series = [...groups.entries()].map(([key, g]) => {
      const runs = [...g.perRun.values()]
      return { name: key, data: g.t.map((t, i) => [t / 1e6, rate(runs.reduce((a, r) => a + (r[i] ?? 0), 0) / runs.length)] as [number, number]) }
    })
  } else {
    series = lines.map((l) => ({ name: `${l.policy} s${l.seed} ${l.vm}`, data: l.t.map((t, i) => [t / 1e6, rate(l.values[i] ?? 0)] as [number, number]) }))
  }
  return {
    ...base(opts.title ?? `${name} per second over simulated time${opts.groupOf ? ' (all VMs, mean over seeds)' : ''}`, `sampling interval ${(s.intervalNs / 1e6).toPrecision(3)} ms`),
    legend: { bottom: 4, type: 'scroll' },
    xAxis: { type: 'value', name: 'simulated time (ms)', nameLocation: 'middle', nameGap: 30 },
    yAxis: { type: 'value', name: `${name}/s`, nameLocation: 'middle', nameGap: 60 },
    series: series.map((x) => ({ ...x, type: 'line', showSymbol: false }))
  }
}

export interface RenderSize {
  width: number
  height: number
}

/** Server-side SVG rendering (no DOM): echarts.init(null, null, {renderer: 'svg', ssr: true}). */
export async function renderSvg(option: ChartOption, size: RenderSize): Promise<string> {
  const echarts = await import('echarts')
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height })
  try {
    chart.setOption(option)
    return chart.renderToSVGString()
  } finally {
    chart.dispose()
  }
}

/** The embedded figure font (resources/fonts), when present: PNGs then look the same on every machine. */
function bundledFonts(): string[] {
  for (const rel of ['../../../resources/fonts/DejaVuSans.ttf', '../../resources/fonts/DejaVuSans.ttf']) {
    const p = join(__dirname, rel)
    if (existsSync(p)) return [p]
  }
  return []
}

/** PNG via resvg (prebuilt native binary from npm), at `scale` x the SVG size (dpi / 72 for paper figures). */
export async function svgToPng(svg: string, scale = 2): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js')
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, fontFiles: bundledFonts(), defaultFontFamily: 'DejaVu Sans' },
    background: '#ffffff'
  })
  return Buffer.from(r.render().asPng())
}
