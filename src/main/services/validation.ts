/**
 * Validation against real guests, the I/O side: read a data set folder (validation/data/<id>/), run the
 * two phases of src/sim/validation/validate.ts on the worker pool, and write VALIDATION.md with its
 * SVG figures. Used by `ecs-lab validate` and (the stored report) by the app's Validation page.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { cpus } from 'node:os'
import type { DatasetMetadata, MeasuredRow, SplitRow, ValidationReport } from '../../shared/validation'
import { ValidationReportSchema } from '../../shared/validation'
import { DatasetError, configsOf, defaultSplit, parseMetadata, parsePointsCsv, parseSplitCsv } from '../../sim/validation/dataset'
import { chooseFit, chooseScale, planFinal, planFit, planScale, prepare, summarise, type ValidationOptions } from '../../sim/validation/validate'
import { benchmarkData, scatterData, validationMarkdown } from '../../sim/validation/markdown'
import { ENGINE_VERSION } from '../../sim/index'
import { coreCount, runMany } from '../sim-host/run-many'
import { renderSvg } from './figures'
import { commitSweepFigure, figureStyle, validationScatterFigure } from '../../shared/charts'

export interface LoadedDataset {
  dir: string
  metadata: DatasetMetadata
  rows: MeasuredRow[]
  split: SplitRow[]
  /** true when split.csv was absent and the default split was used. */
  defaultSplitUsed: boolean
}

/** The data set folder: DIR itself if it holds points.csv, else its newest (last by name) sub-folder that does. */
export function findDatasetDir(dir: string): string {
  const d = resolve(dir)
  if (existsSync(join(d, 'points.csv'))) return d
  if (!existsSync(d)) throw new DatasetError(`--data: ${d} does not exist`)
  const subs = readdirSync(d).filter((n) => statSync(join(d, n)).isDirectory() && existsSync(join(d, n, 'points.csv'))).sort()
  if (subs.length === 0) throw new DatasetError(`--data: ${d} holds no points.csv (nor a sub-folder with one)`)
  return join(d, subs[subs.length - 1])
}

export function loadDataset(dir: string): LoadedDataset {
  const d = findDatasetDir(dir)
  const read = (f: string) => {
    const p = join(d, f)
    if (!existsSync(p)) throw new DatasetError(`${p}: missing`)
    return readFileSync(p, 'utf8')
  }
  const metadata = parseMetadata(read('metadata.json'), join(d, 'metadata.json'))
  const rows = parsePointsCsv(read('points.csv'), join(d, 'points.csv'))
  const hasSplit = existsSync(join(d, 'split.csv'))
  const split = hasSplit ? parseSplitCsv(read('split.csv'), join(d, 'split.csv')) : defaultSplit(configsOf(rows))
  return { dir: d, metadata, rows, split, defaultSplitUsed: !hasSplit }
}

export async function runValidation(ds: LoadedDataset, o: ValidationOptions & { workers?: number; onPhase?(phase: string, done: number, total: number): void }): Promise<ValidationReport> {
  const ctx = prepare(ds.metadata, ds.rows, ds.split, o)
  const workers = Math.max(1, o.workers ?? coreCount())
  const scaleJobs = planScale(ctx)
  const scaleResults = await runMany(scaleJobs.map((j) => j.scenario), { workers, onDone: (d, n) => o.onPhase?.('scale', d, n) })
  chooseScale(ctx, scaleJobs, scaleResults)
  const fitJobs = planFit(ctx)
  const fitResults = await runMany(fitJobs.map((j) => j.scenario), { workers, onDone: (d, n) => o.onPhase?.('fit', d, n) })
  const fit = chooseFit(ctx, fitJobs, fitResults)
  const jobs = planFinal(ctx, fit)
  const results = await runMany(jobs.map((j) => j.scenario), { workers, onDone: (d, n) => o.onPhase?.('compare', d, n) })
  const report = summarise(ctx, fit, jobs, results, ENGINE_VERSION)
  return ValidationReportSchema.parse({ ...report, dataset: { ...report.dataset, dir: ds.dir } })
}

export function machineNote(): string {
  return `${coreCount()} cores (${cpus()[0]?.model?.trim() ?? 'unknown CPU'}), Node ${process.version}`
}

const svgStyle = (w: number, h: number) => {
  const base = figureStyle('paper-2col')
  return figureStyle('paper-2col', { showTitle: true, fontFamily: base.fontFamily.replace(/"/g, ''), widthPt: w, heightPt: h })
}

/** Writes OUT/VALIDATION.md, OUT/validation.json and OUT/figures/validation-*.svg (+ .csv). Returns the files. */
export async function writeValidation(report: ValidationReport, outDir: string, meta: { command: string; wallMs: number; analysis?: string; extraSections?: string[]; commandNote?: string }): Promise<string[]> {
  const figDir = join(outDir, 'figures')
  mkdirSync(figDir, { recursive: true })
  const files: string[] = []
  const write = async (file: string, fig: { option: Record<string, unknown>; csv: string }, w: number, h: number) => {
    writeFileSync(join(figDir, file), await renderSvg(fig.option, { width: w, height: h }))
    writeFileSync(join(figDir, file.replace(/\.svg$/, '.csv')), fig.csv)
    files.push(join(figDir, file))
  }
  await write('validation-scatter.svg', validationScatterFigure(scatterData(report), svgStyle(420, 400)), 420, 400)
  const perBenchmark: Record<string, string> = {}
  for (const b of [...new Set(report.points.map((p) => p.benchmark))]) {
    if (b === 'cpu') continue
    const file = `validation-${b}.svg`
    await write(file, commitSweepFigure(benchmarkData(report, b), svgStyle(520, 260)), 520, 260)
    perBenchmark[b] = `figures/${file}`
  }
  const md = validationMarkdown({
    report, command: report.generated?.command ?? meta.command, wallMs: report.generated?.wallMs ?? meta.wallMs, machine: report.generated?.machine ?? meta.commandNote ?? machineNote(),
    figures: { scatter: 'figures/validation-scatter.svg', perBenchmark }, analysis: meta.analysis, extraSections: meta.extraSections
  })
  writeFileSync(join(outDir, 'VALIDATION.md'), md)
  // the stored report the app's Validation page reads (no machine-specific folder in it)
  const generated = report.generated ?? { command: meta.command, wallMs: meta.wallMs, machine: meta.commandNote ?? machineNote() }
  writeFileSync(join(outDir, 'validation.json'), JSON.stringify({ ...report, dataset: { ...report.dataset, dir: undefined }, generated }, null, 2) + '\n')
  files.push(join(outDir, 'VALIDATION.md'), join(outDir, 'validation.json'))
  return files
}
