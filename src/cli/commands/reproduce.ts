/**
 * `ecs-lab reproduce [--out DIR] [--quick] [--seeds N] [--duration-ms N] [--pcpus N] [--workloads a,b] [--workers N]`
 *
 * Runs the paper-reproduction matrix of src/sim/reproduce/matrix.ts (under- and over-committed, a commit
 * sweep, an abuse scenario; baseline vs eCS and its variants, several seeds) on worker threads and
 * writes DIR/REPORT.md, DIR/figures/*.svg (ECharts server-side SVG from src/shared/charts builders) and
 * DIR/summary.json. `--quick` is the same matrix on a 40-pCPU host with short runs; the size flags let a
 * test shrink it further. Default DIR: docs/.
 *
 * `--previous FILE` (a summary.json of an earlier run, zod-validated before any run) adds the section
 * "What changed with engine X": every point of both summaries side by side and the conclusions that
 * changed (src/sim/reproduce/summary-diff.ts). `--keep-results FILE` also writes the per-point results;
 * `--from-results FILE` rebuilds the report from them (same engine) without running the matrix again.
 */
import type { Command } from 'commander'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { basename, join } from 'node:path'
import {
  buildMatrix, buildReport, ReproduceSummarySchema, type ReproduceSummaryFile, fullConfig, quickConfig, planComparison, summariseComparison, seedList, ENGINE_VERSION,
  type ComparisonJob, type MatrixPoint, type PointResult, type Report, type ReproduceConfig
} from '../../sim/index'
import { coreCount, runMany } from '../../main/sim-host/run-many'
import { renderSvg } from '../../main/services/figures'
import { commitSweepFigure, figureStyle, preemptionsFigure, ratioFigure } from '../../shared/charts'

export interface ReproduceFlags {
  out?: string
  quick?: boolean
  seeds?: string
  durationMs?: string
  warmupMs?: string
  pcpus?: string
  workloads?: string
  commits?: string
  workers?: string
  quiet?: boolean
  previous?: string
  keepResults?: string
  fromResults?: string
}

export function configFrom(f: ReproduceFlags): ReproduceConfig {
  const c = f.quick ? quickConfig() : fullConfig()
  const int = (name: string, v: string, min: number) => {
    const n = Number(v)
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name}: expected an integer >= ${min}, got ${JSON.stringify(v)}`)
    return n
  }
  if (f.seeds) c.seeds = int('seeds', f.seeds, 1)
  if (f.pcpus) {
    c.pcpus = int('pcpus', f.pcpus, 1)
    c.sockets = c.pcpus % 8 === 0 && c.pcpus >= 16 ? 8 : c.pcpus % 2 === 0 && c.pcpus >= 4 ? 2 : 1
  }
  if (f.durationMs) {
    c.durationNs = int('duration-ms', f.durationMs, 1) * 1_000_000
    c.warmupNs = Math.min(c.warmupNs, Math.floor(c.durationNs / 5))
  }
  if (f.warmupMs) c.warmupNs = int('warmup-ms', f.warmupMs, 0) * 1_000_000
  if (f.workloads) c.workloads = f.workloads.split(',').map((s) => s.trim()).filter(Boolean)
  if (f.commits) c.commitRatios = f.commits.split(',').map(Number)
  return c
}

/**
 * Read and validate a previous summary.json (`--previous`): a clear error naming the file and the first
 * bad field, before any run starts.
 */
export function readPreviousSummary(file: string): ReproduceSummaryFile {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    throw new Error(`--previous ${file}: cannot read a JSON file (${(e as Error).message})`)
  }
  const r = ReproduceSummarySchema.safeParse(raw)
  if (!r.success) {
    const i = r.error.issues[0]
    throw new Error(`--previous ${file}: not a reproduce summary.json: field ${i?.path.join('.') || '(root)'}: ${i?.message ?? 'invalid'}`)
  }
  return r.data
}

/** Run the matrix and build the report (no files written). */
/** Per-point results of a run, kept to rebuild the report without running again (`--keep-results` / `--from-results`). */
export interface KeptResults { config: ReproduceConfig; quick: boolean; results: PointResult[]; engineVersion: string; wallMs: number; machine: string; workers: number; command: string }
// JSON has no NaN / Infinity (statistics of one seed are NaN): kept as strings
const keepNum = (_k: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `__num:${v}` : v)
const readNum = (_k: string, v: unknown) => (typeof v === 'string' && v.startsWith('__num:') ? Number(v.slice(6)) : v)
export const keptToJson = (k: KeptResults) => JSON.stringify(k, keepNum)
export const keptFromJson = (t: string) => JSON.parse(t, readNum) as KeptResults

export async function reproduce(c: ReproduceConfig, opts: { quick: boolean; workers?: number; command: string; onDone?(d: number, n: number): void; previous?: { summary: ReproduceSummaryFile; label: string }; keep?(k: KeptResults): void }): Promise<Report> {
  const t0 = Date.now()
  const points = buildMatrix(c)
  const seeds = seedList(c.seeds)
  const plan: { point: MatrixPoint; jobs: ComparisonJob[] }[] = points.map((point) => ({ point, jobs: planComparison(point.scenario, point.policies, seeds) }))
  const all = plan.flatMap((p) => p.jobs)
  const workers = Math.max(1, opts.workers ?? coreCount())
  const results = await runMany(all.map((j) => j.scenario), { workers, onDone: opts.onDone })
  let k = 0
  const pr: PointResult[] = plan.map((p) => {
    const rs = results.slice(k, k + p.jobs.length)
    k += p.jobs.length
    return { point: p.point, comparison: summariseComparison(p.jobs, rs, 'kvm') }
  })
  const cpu = cpus()[0]?.model?.trim() ?? 'unknown CPU'
  const kept: KeptResults = {
    config: c, quick: opts.quick, results: pr, engineVersion: ENGINE_VERSION, wallMs: Date.now() - t0,
    machine: `${coreCount()} cores (${cpu}), Node ${process.version}`, workers, command: opts.command
  }
  opts.keep?.(kept)
  return buildReport({ ...kept, previous: opts.previous })
}

export async function writeReport(report: Report, outDir: string): Promise<string[]> {
  const figDir = join(outDir, 'figures')
  mkdirSync(figDir, { recursive: true })
  const files: string[] = []
  for (const f of report.figures) {
    const wide = f.kind === 'preemptions'
    // ECharts SSR writes font-family into a double-quoted attribute unescaped: no double quotes (as figure.ts)
    const base = figureStyle('paper-2col')
    const style = figureStyle('paper-2col', { showTitle: true, fontFamily: base.fontFamily.replace(/"/g, ''), ...(wide ? { widthPt: 900, heightPt: 320 } : { widthPt: 560, heightPt: 260 }) })
    const fig = f.kind === 'ratio' ? ratioFigure(f.data, style) : f.kind === 'preemptions' ? preemptionsFigure(f.data, style) : commitSweepFigure(f.data, style)
    const svg = await renderSvg(fig.option, { width: Math.round(style.widthPt), height: Math.round(style.heightPt) })
    writeFileSync(join(figDir, f.file), svg)
    writeFileSync(join(figDir, f.file.replace(/\.svg$/, '.csv')), fig.csv)
    files.push(join(figDir, f.file))
  }
  writeFileSync(join(outDir, 'REPORT.md'), report.markdown)
  writeFileSync(join(outDir, 'summary.json'), JSON.stringify(report.summary, null, 2) + '\n')
  files.push(join(outDir, 'REPORT.md'), join(outDir, 'summary.json'))
  return files
}

export function register(program: Command): void {
  program
    .command('reproduce')
    .description('run the paper-reproduction matrix (baseline vs eCS, under/over-committed, commit sweep, abuse) and write REPORT.md + SVG figures')
    .option('--out <dir>', 'output directory', 'docs')
    .option('--quick', 'reduced matrix (40 pCPUs, 160 ms measured, 3 seeds, sweep 1x/2x/4x)')
    .option('--seeds <n>', 'seeds per point')
    .option('--duration-ms <n>', 'simulated ms per run (warm-up included)')
    .option('--warmup-ms <n>', 'warm-up ms per run')
    .option('--pcpus <n>', 'host pCPUs (VMs keep pCPU-sized vCPU counts)')
    .option('--workloads <list>', 'workload presets (default: the four kernel workloads)')
    .option('--commits <list>', 'commit ratios of the sweep, e.g. 1,1.5,2,3,4')
    .option('--workers <n>', 'worker threads (default: all cores)')
    .option('--quiet', 'no progress output')
    .option('--previous <file>', 'a previous summary.json: the report gets a section comparing its headline numbers and conclusions')
    .option('--keep-results <file>', 'also write the per-point results (JSON) to rebuild the report later with --from-results')
    .option('--from-results <file>', 'rebuild the report from kept results of the same engine instead of running the matrix (the run\'s own command, wall time and machine are kept)')
    .action(async (f: ReproduceFlags) => {
      const c = configFrom(f)
      const previous = f.previous ? { summary: readPreviousSummary(f.previous), label: `the report whose summary was ${basename(f.previous)}` } : undefined
      const cmd = `ecs-lab reproduce${process.argv.slice(3).length ? ' ' + process.argv.slice(3).join(' ') : ''}`
      const t0 = Date.now()
      if (f.fromResults) {
        const k = keptFromJson(readFileSync(f.fromResults, 'utf8'))
        if (k.engineVersion !== ENGINE_VERSION) throw new Error(`--from-results ${f.fromResults}: results of engine ${k.engineVersion}, this is engine ${ENGINE_VERSION}; run the matrix again`)
        const files = await writeReport(buildReport({ ...k, previous }), f.out ?? 'docs')
        if (!f.quiet) process.stdout.write(`rebuilt the report from ${f.fromResults}: wrote ${files.length} files to ${f.out ?? 'docs'}\n`)
        return
      }
      const report = await reproduce(c, {
        keep: f.keepResults ? (k) => writeFileSync(f.keepResults!, keptToJson(k)) : undefined,
        quick: !!f.quick, workers: f.workers ? Number(f.workers) : undefined, command: cmd, previous,
        onDone: f.quiet ? undefined : (d, n) => process.stderr.write(`\r${d}/${n} runs  ${((Date.now() - t0) / 1000).toFixed(0)} s`)
      })
      if (!f.quiet) process.stderr.write('\n')
      const files = await writeReport(report, f.out ?? 'docs')
      if (!f.quiet) process.stdout.write(`wrote ${files.length} files to ${f.out ?? 'docs'} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`)
    })
}
