/**
 * `ecs-lab figure` — the app's charts rendered headlessly (ECharts server-side SVG; PNG through resvg),
 * so a campaign's figures regenerate from the command line.
 *
 * App figures (src/shared/charts, the builders the app draws with, in the paper style by default):
 *   ecs-lab figure --campaign ID --kind throughput --out throughput.pdf.svg
 *   ecs-lab figure --campaign ID --kind ratio --baseline kvm --policy ecs --out ratio.png --dpi 600
 * Any stored metric, as bars per comparison point or a line over a numeric sweep:
 *   ecs-lab figure --campaign ID --kind metric --metric preemptions.lockHolder --out lhp.svg
 * Everything that applies, SVG + PNG + the plotted data as CSV:
 *   ecs-lab figure --campaign ID --out-dir figs/
 */
import type { Command } from 'commander'
import { mkdirSync, writeFileSync } from 'node:fs'
import { extname, join } from 'node:path'
import { FIGURE_KINDS, figureStyle, isFigureKind, pngPixelSize, STYLE_PRESETS, type Figure, type FigureKind, type FigureStyle, type StylePreset } from '../../shared/charts'
import type { ComparisonSeries } from '../../shared/ipc/compare'
import { APP_FIGURE_KINDS, appFigure, FigureUnavailable } from '../../main/services/app-figures'
import { compareRuns, HEADLINE_METRICS, pointOf } from '../../main/services/compare'
import { barChartOption, numericSweep, renderSvg, seriesChartOption, svgToPng, sweepChartOption, type ChartOption } from '../../main/services/figures'
import { findRun, runSeries } from '../../main/services/runs'
import { selectRuns, type Selection } from '../../main/services/selection'
import type { Store } from '../../main/store'
import { DB_OPTION_HELP, openStore } from './db'

interface FigureFlags {
  db?: string
  campaign?: string
  runs?: string
  kind: string
  metric: string
  series: string
  policy?: string
  baseline?: string
  style: string
  out?: string
  outDir?: string
  width?: string
  height?: string
  dpi: string
  csv?: boolean
}

/** App figures + `metric` (any stored metric: bars, or a line over one numeric sweep) + `series` (all runs over time). */
const KINDS = [...APP_FIGURE_KINDS, 'metric', 'series'] as const

function intFlag(name: string, v: string, min: number, max: number): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name}: expected an integer from ${min} to ${max}, got ${JSON.stringify(v)}`)
  return n
}

function seriesOf(store: Store, ids: string[]): ComparisonSeries {
  const out: ComparisonSeries = { intervalNs: 0, lines: [] }
  for (const id of ids) {
    const row = findRun(store, id)
    const s = runSeries(store, row.id)
    out.intervalNs = s.intervalNs
    for (const vm of s.perVm) for (const [name, values] of Object.entries(vm.values)) out.lines.push({ runId: row.id, label: row.label, policy: row.policy_id, seed: row.seed, vm: vm.name, name, t: s.t, values })
  }
  return out
}

/** Figures built by this command's own builders (figures.ts): any metric, and every run over time. */
function ownChart(store: Store, sel: Selection, kind: 'metric' | 'series', metric: string, seriesName: string, baseline?: string): ChartOption {
  if (kind === 'series') {
    const runs = selectRuns(store, sel).filter((r) => r.row.status === 'done')
    const s = seriesOf(store, runs.map((r) => r.row.id))
    if (!s.lines.some((l) => l.name === seriesName)) throw new Error(`--series: no series named ${seriesName} in these runs (have: ${[...new Set(s.lines.map((l) => l.name))].join(', ') || 'none'})`)
    // A campaign (or many runs): one line per policy x point, VMs summed and seeds averaged.
    if ('campaignId' in sel || runs.length > 4) {
      const group = new Map(runs.map((r) => [r.row.id, `${String(r.params['policy'] ?? r.row.policy_id)} ${pointOf(r.params).label}`]))
      return seriesChartOption(s, seriesName, { groupOf: (id) => group.get(id) ?? id })
    }
    return seriesChartOption(s, seriesName)
  }
  const c = compareRuns(store, sel, [metric], baseline)
  if (c.groups.length === 0) throw new Error('no finished runs to plot')
  if (!c.groups.some((g) => g.metrics[metric])) throw new Error(`--metric: no metric named ${metric} in these runs (see \`ecs-lab runs show ID\` for names)`)
  const sweep = numericSweep(c)
  return sweep ? sweepChartOption(c, metric, sweep) : barChartOption(c, metric)
}

interface Rendered {
  svg: string
  /** PNG zoom relative to the SVG size. */
  scale: number
  csv?: string
}

async function writeRendered(r: Rendered, file: string, csv: boolean): Promise<void> {
  const ext = extname(file).toLowerCase()
  if (ext === '.png') writeFileSync(file, await svgToPng(r.svg, r.scale))
  else if (ext === '.svg') writeFileSync(file, r.svg)
  else throw new Error(`--out: use a .svg or .png file name, got ${file}`)
  process.stderr.write(`wrote ${file}\n`)
  if (csv && r.csv !== undefined) {
    const csvFile = file.slice(0, -ext.length) + '.csv'
    writeFileSync(csvFile, r.csv)
    process.stderr.write(`wrote ${csvFile}\n`)
  }
}

async function renderApp(fig: Figure, style: FigureStyle, dpi: number): Promise<Rendered> {
  const svg = await renderSvg(fig.option, { width: Math.round(style.widthPt), height: Math.round(style.heightPt) })
  return { svg, scale: pngPixelSize(style, dpi).pixelRatio, csv: fig.csv }
}

export function register(program: Command): void {
  program.command('figure')
    .description('render the app\'s charts of a campaign or runs to SVG / PNG (ECharts server-side rendering)')
    .option('--campaign <id>', 'a campaign (id or unique prefix)')
    .option('--runs <ids>', 'these runs (comma-separated ids or prefixes)')
    .option('--kind <kind>', `${KINDS.join(' | ')}`, 'throughput')
    .option('--metric <name>', 'metric for --kind metric', 'total.opsPerSec')
    .option('--series <name>', 'series for time-series / series: ops | preemptions | inCsPreemptions', 'ops')
    .option('--policy <id>', 'ratio / commit-sweep: the policy compared (default: the second policy)')
    .option('--baseline <id>', 'ratio / commit-sweep / metric: the reference policy (default: the first)')
    .option('--style <preset>', `app figures: ${STYLE_PRESETS.join(' | ')}`, 'paper-1col')
    .option('--width <px>', 'width (pt for app figures; px for metric/series, default 900)')
    .option('--height <px>', 'height (pt for app figures; px for metric/series, default 500)')
    .option('--dpi <n>', 'PNG resolution of app figures', '300')
    .option('--csv', 'also write the plotted data as CSV next to each app figure')
    .option('--out <file>', 'output file, .svg or .png')
    .option('--out-dir <dir>', 'render every figure that applies (SVG + PNG + CSV) into this folder')
    .option('--db <path>', DB_OPTION_HELP)
    .action(async (opts: FigureFlags) => {
      if (!(KINDS as readonly string[]).includes(opts.kind)) throw new Error(`--kind: expected one of ${KINDS.join(', ')}, got ${JSON.stringify(opts.kind)}`)
      if (!(STYLE_PRESETS as readonly string[]).includes(opts.style)) throw new Error(`--style: expected one of ${STYLE_PRESETS.join(', ')}, got ${JSON.stringify(opts.style)}`)
      if ((opts.campaign ? 1 : 0) + (opts.runs ? 1 : 0) !== 1) throw new Error('figure: give exactly one of --campaign or --runs')
      if ((opts.out ? 1 : 0) + (opts.outDir ? 1 : 0) !== 1) throw new Error('figure: give exactly one of --out FILE or --out-dir DIR')
      if (!['ops', 'preemptions', 'inCsPreemptions'].includes(opts.series)) throw new Error(`--series: expected ops, preemptions or inCsPreemptions, got ${JSON.stringify(opts.series)}`)
      const dpi = intFlag('dpi', opts.dpi, 36, 2400)
      const width = opts.width !== undefined ? intFlag('width', opts.width, 100, 8000) : undefined
      const height = opts.height !== undefined ? intFlag('height', opts.height, 80, 8000) : undefined
      // ECharts' SSR writes font-family into a double-quoted style attribute without escaping, so the
      // family list must not contain double quotes (multi-word names are valid unquoted in CSS).
      const base = figureStyle(opts.style as StylePreset)
      const style = figureStyle(opts.style as StylePreset, {
        fontFamily: base.fontFamily.replace(/"/g, ''),
        ...(width ? { widthPt: width } : {}),
        ...(height ? { heightPt: height } : {})
      })
      const size = { width: width ?? 900, height: height ?? 500 }
      const seriesName = opts.series as 'ops' | 'preemptions' | 'inCsPreemptions'
      const store = openStore(opts.db, 'read')
      try {
        const sel: Selection = opts.runs ? { runIds: opts.runs.split(',').map((s) => s.trim()).filter(Boolean) } : { campaignId: opts.campaign! }
        const app = async (kind: FigureKind) => renderApp(appFigure(store, sel, kind, { style, policy: opts.policy, baseline: opts.baseline, series: seriesName }), style, dpi)
        const own = async (kind: 'metric' | 'series', metric = opts.metric): Promise<Rendered> => ({ svg: await renderSvg(ownChart(store, sel, kind, metric, seriesName, opts.baseline), size), scale: 2 })
        if (opts.out) {
          let r: Rendered
          try {
            r = isFigureKind(opts.kind) ? await app(opts.kind) : await own(opts.kind as 'metric' | 'series')
          } catch (err) {
            if (err instanceof FigureUnavailable) throw new Error(`--kind ${opts.kind}: ${err.message}`)
            throw err
          }
          await writeRendered(r, opts.out, opts.csv ?? false)
          return
        }
        mkdirSync(opts.outDir!, { recursive: true })
        for (const kind of APP_FIGURE_KINDS) {
          try {
            const r = await app(kind)
            await writeRendered(r, join(opts.outDir!, `${kind}.svg`), true)
            await writeRendered(r, join(opts.outDir!, `${kind}.png`), false)
          } catch (err) {
            if (!(err instanceof FigureUnavailable)) throw err
            process.stderr.write(`skipped ${kind} (${FIGURE_KINDS[kind].title}): ${err.message}\n`)
          }
        }
        const available = compareRuns(store, sel, HEADLINE_METRICS)
        for (const metric of HEADLINE_METRICS) {
          if (!available.groups.some((g) => g.metrics[metric])) continue
          const r = await own('metric', metric)
          const stem = join(opts.outDir!, `metric-${metric.replace(/[^A-Za-z0-9]+/g, '-')}`)
          await writeRendered(r, `${stem}.svg`, false)
          await writeRendered(r, `${stem}.png`, false)
        }
        const ts = await own('series')
        await writeRendered(ts, join(opts.outDir!, 'series-over-time.svg'), false)
        await writeRendered(ts, join(opts.outDir!, 'series-over-time.png'), false)
      } finally {
        store.close()
      }
    })
}
