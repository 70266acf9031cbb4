/**
 * `ecs-lab figure` — the app's charts rendered headlessly (ECharts server-side SVG; PNG through resvg),
 * so a campaign's figures regenerate from the command line.
 *
 *   ecs-lab figure --campaign ID --metric total.opsPerSec --out fig.svg
 *   ecs-lab figure --campaign ID --out-dir figs/            # the headline set, SVG + PNG
 *   ecs-lab figure --runs a1b2c3,d4e5f6 --kind series --out ts.png
 */
import type { Command } from 'commander'
import { mkdirSync, writeFileSync } from 'node:fs'
import { extname, join } from 'node:path'
import { compareRuns, HEADLINE_METRICS, pointOf } from '../../main/services/compare'
import { barChartOption, numericSweep, renderSvg, seriesChartOption, svgToPng, sweepChartOption, type ChartOption } from '../../main/services/figures'
import { runSeries, findRun } from '../../main/services/runs'
import { selectRuns, type Selection } from '../../main/services/selection'
import type { Store } from '../../main/store'
import type { ComparisonSeries } from '../../shared/ipc/compare'
import { DB_OPTION_HELP, openStore } from './db'

interface FigureFlags {
  db?: string
  campaign?: string
  runs?: string
  metric: string
  kind: string
  series: string
  baseline?: string
  out?: string
  outDir?: string
  width: string
  height: string
}

const KINDS = ['auto', 'bar', 'sweep', 'series'] as const

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

function chartFor(store: Store, sel: Selection, kind: string, metric: string, seriesName: string, baseline?: string): ChartOption {
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
  if (!c.groups.some((g) => g.metrics[metric])) {
    throw new Error(`--metric: no metric named ${metric} in these runs (see \`ecs-lab runs show ID\` for names)`)
  }
  const sweep = numericSweep(c)
  if (kind === 'sweep' || (kind === 'auto' && sweep)) {
    if (!sweep) throw new Error('--kind sweep needs a campaign with exactly one numeric sweep parameter')
    return sweepChartOption(c, metric, sweep)
  }
  return barChartOption(c, metric)
}

async function write(option: ChartOption, file: string, size: { width: number; height: number }): Promise<void> {
  const svg = await renderSvg(option, size)
  const ext = extname(file).toLowerCase()
  if (ext === '.png') writeFileSync(file, await svgToPng(svg))
  else if (ext === '.svg') writeFileSync(file, svg)
  else throw new Error(`--out: use a .svg or .png file name, got ${file}`)
  process.stderr.write(`wrote ${file}\n`)
}

export function register(program: Command): void {
  program.command('figure')
    .description('render charts of a campaign or runs to SVG / PNG (ECharts server-side rendering)')
    .option('--campaign <id>', 'a campaign (id or unique prefix)')
    .option('--runs <ids>', 'these runs (comma-separated ids or prefixes)')
    .option('--metric <name>', 'metric to plot (bar/sweep)', 'total.opsPerSec')
    .option('--kind <kind>', `${KINDS.join(' | ')}: auto = sweep line chart when the campaign sweeps one number, else bars`, 'auto')
    .option('--series <name>', 'series for --kind series: ops | preemptions | inCsPreemptions', 'ops')
    .option('--baseline <policy>', 'policy the others are compared with')
    .option('--out <file>', 'output file, .svg or .png')
    .option('--out-dir <dir>', 'render the headline figures (SVG + PNG) into this folder')
    .option('--width <px>', 'width in pixels', '900')
    .option('--height <px>', 'height in pixels', '500')
    .option('--db <path>', DB_OPTION_HELP)
    .action(async (opts: FigureFlags) => {
      if (!KINDS.includes(opts.kind as (typeof KINDS)[number])) throw new Error(`--kind: expected one of ${KINDS.join(', ')}, got ${JSON.stringify(opts.kind)}`)
      if ((opts.campaign ? 1 : 0) + (opts.runs ? 1 : 0) !== 1) throw new Error('figure: give exactly one of --campaign or --runs')
      if ((opts.out ? 1 : 0) + (opts.outDir ? 1 : 0) !== 1) throw new Error('figure: give exactly one of --out FILE or --out-dir DIR')
      const size = { width: intFlag('width', opts.width, 200, 8000), height: intFlag('height', opts.height, 150, 8000) }
      const store = openStore(opts.db, 'read')
      try {
        const sel: Selection = opts.runs ? { runIds: opts.runs.split(',').map((s) => s.trim()).filter(Boolean) } : { campaignId: opts.campaign! }
        if (opts.out) {
          await write(chartFor(store, sel, opts.kind, opts.metric, opts.series, opts.baseline), opts.out, size)
          return
        }
        mkdirSync(opts.outDir!, { recursive: true })
        const available = compareRuns(store, sel, HEADLINE_METRICS)
        for (const metric of HEADLINE_METRICS) {
          if (!available.groups.some((g) => g.metrics[metric])) continue
          const option = chartFor(store, sel, 'auto', metric, opts.series, opts.baseline)
          const stem = join(opts.outDir!, metric.replace(/[^A-Za-z0-9]+/g, '-'))
          await write(option, `${stem}.svg`, size)
          await write(option, `${stem}.png`, size)
        }
        const ts = chartFor(store, sel, 'series', opts.metric, 'ops', opts.baseline)
        await write(ts, join(opts.outDir!, 'ops-over-time.svg'), size)
        await write(ts, join(opts.outDir!, 'ops-over-time.png'), size)
      } finally {
        store.close()
      }
    })
}
