/**
 * `ecs-lab validate [--data DIR] [--quick] [--json] [--out DIR] [--seeds N] [--duration-ms N] [--workers N] [--write-split]`
 *
 * Compares the simulator with the measured real-guest data set (validation/data/<id>/): fits each
 * workload profile's free parameter on the calibration points, simulates every configuration with the
 * measured host's profile over several seeds, and reports normalised throughput and host preemptions
 * per vCPU-second side by side with MAE, max abs error and Spearman on the held-out points
 * (src/sim/validation, src/main/services/validation.ts). `--json` prints the report; `--out DIR` writes
 * DIR/VALIDATION.md + figures. Exit 2 on a bad data set (the message names file, line and field).
 */
import type { Command } from 'commander'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DatasetError, splitCsv } from '../../sim/validation/dataset'
import { loadDataset, machineNote, runValidation, writeValidation } from '../../main/services/validation'
import { ValidationReportSchema } from '../../shared/validation'

interface ValidateFlags {
  data: string
  quick?: boolean
  json?: boolean
  out?: string
  seeds?: string
  durationMs?: string
  workers?: string
  writeSplit?: boolean
  analysis?: string
  report?: string
  quiet?: boolean
}

const int = (name: string, v: string, min: number): number => {
  const n = Number(v)
  if (!Number.isInteger(n) || n < min) throw new DatasetError(`--${name}: expected an integer >= ${min}, got ${JSON.stringify(v)}`)
  return n
}

export function register(program: Command): void {
  program
    .command('validate')
    .description('compare the simulator with the measured real-guest data set (normalised throughput, host preemptions; fit on calibration points, errors on held-out points)')
    .option('--data <dir>', 'data set folder (or a folder of data sets: the last by name is used)', 'validation/data')
    .option('--quick', 'CI size: 2 seeds, 250 ms simulated per run, half the fitting grid')
    .option('--json', 'print the report as JSON')
    .option('--out <dir>', 'write VALIDATION.md, validation.json and figures/validation-*.svg to DIR')
    .option('--seeds <n>', 'seeds per configuration (default 5, quick 2)')
    .option('--duration-ms <n>', 'simulated ms per run (default 2000, quick 250)')
    .option('--workers <n>', 'worker threads (default: all cores)')
    .option('--write-split', 'write the default split.csv into the data set folder when it has none')
    .option('--analysis <file>', 'markdown appended under "Where the model misses" (default: docs/validation-analysis.md when present)')
    .option('--report <file>', 'with --out: re-render VALIDATION.md and figures from a stored validation.json (no simulation)')
    .option('--quiet', 'no progress output')
    .action(async (f: ValidateFlags) => {
      const t0 = Date.now()
      let ds
      try {
        if (f.report) {
          if (!f.out) throw new DatasetError('--report needs --out DIR')
          const stored = ValidationReportSchema.parse(JSON.parse(readFileSync(f.report, 'utf8')))
          const analysisFile = f.analysis ?? join(f.out, 'validation-analysis.md')
          const analysis = existsSync(analysisFile) ? readFileSync(analysisFile, 'utf8') : undefined
          await writeValidation(stored, f.out, { command: `ecs-lab validate --out ${f.out}`, wallMs: 0, analysis })
          return
        }
        ds = loadDataset(f.data)
        const opts = {
          quick: !!f.quick,
          seeds: f.seeds ? int('seeds', f.seeds, 1) : undefined,
          durationNs: f.durationMs ? int('duration-ms', f.durationMs, 10) * 1_000_000 : undefined,
          workers: f.workers ? int('workers', f.workers, 1) : undefined
        }
        if (ds.defaultSplitUsed) {
          if (f.writeSplit) writeFileSync(join(ds.dir, 'split.csv'), splitCsv(ds.split))
          if (!f.quiet) process.stderr.write(`${ds.dir}: no split.csv, using the default split${f.writeSplit ? ' (written)' : ' (--write-split writes it)'}\n`)
        }
        const progress = f.quiet || f.json || !process.stderr.isTTY ? undefined : (phase: string, d: number, n: number) => process.stderr.write(`\r${phase} ${d}/${n} runs`)
        const report = await runValidation(ds, { ...opts, onPhase: progress })
        if (progress) process.stderr.write('\n')
        if (f.out) {
          const analysisFile = f.analysis ?? join(f.out, 'validation-analysis.md')
          const analysis = existsSync(analysisFile) ? readFileSync(analysisFile, 'utf8') : undefined
          const cmd = `ecs-lab validate${process.argv.slice(3).length ? ' ' + process.argv.slice(3).join(' ') : ''}`
          const files = await writeValidation(report, f.out, { command: cmd, wallMs: Date.now() - t0, analysis, commandNote: machineNote() })
          if (!f.quiet && !f.json) process.stdout.write(`wrote ${files.length} files to ${f.out}\n`)
        }
        if (f.json) process.stdout.write(JSON.stringify({ engineVersion: report.engineVersion, dataset: report.dataset, points: report.points, summary: report.summary }, null, 2) + '\n')
        else if (!f.out || !f.quiet) {
          const v = report.summary.validation
          const c = report.summary.calibration
          process.stdout.write(`data set ${report.dataset.id}: calibration n=${c.n} MAE ${c.mae ?? 'n/a'}; validation n=${v.n} MAE ${v.mae ?? 'n/a'} max ${v.maxAbsErr ?? 'n/a'} Spearman ${v.spearman ?? 'n/a'} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`)
        }
      } catch (e) {
        if (e instanceof DatasetError) {
          process.stderr.write(`ecs-lab: invalid data set: ${e.message}\n`)
          process.exitCode = 2
          return
        }
        throw e
      }
    })
}
