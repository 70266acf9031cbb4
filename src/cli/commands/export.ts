/** `ecs-lab export` — tidy CSV/JSON of runs or a campaign for pandas, R and matplotlib. */
import type { Command } from 'commander'
import { createWriteStream, type WriteStream } from 'node:fs'
import { once } from 'node:events'
import { exportArgs } from '../../shared/ipc/export'
import { tidyTable, writeExport } from '../../main/services/export'
import { selectRuns, type Selection } from '../../main/services/selection'
import { DB_OPTION_HELP, openStore } from './db'
import { addFilterOptions, parseFilterFlags, type FilterFlags } from './runs'

interface ExportFlags extends FilterFlags {
  db?: string
  runs?: string
  format?: string
  shape?: string
  metrics?: string
  allParams?: boolean
  out?: string
}

export function register(program: Command): void {
  addFilterOptions(
    program.command('export')
      .description('export runs as tidy CSV or JSON: one row per run x metric (--shape metrics) or per run x VM x sample (--shape samples)')
  )
    .option('--runs <ids>', 'these runs (comma-separated ids or unique prefixes) instead of a filter')
    .option('--format <fmt>', 'csv | json (default: from --out, else csv)')
    .option('--shape <shape>', 'metrics | samples', 'metrics')
    .option('--metrics <names>', 'only these metrics (comma-separated), e.g. total.opsPerSec,preemptions.inCriticalSection.total')
    .option('--all-params', 'every scenario field as a column (default: only those that differ between the runs)')
    .option('--out <file>', 'write to this file (default: standard output)')
    .option('--db <path>', DB_OPTION_HELP)
    .action(async (opts: ExportFlags) => {
      const format = opts.format ?? (opts.out?.toLowerCase().endsWith('.json') ? 'json' : 'csv')
      const hasFilter = ['status', 'policy', 'layout', 'tag', 'search', 'seed', 'engine'].some((k) => opts[k as keyof ExportFlags] !== undefined)
      const parsed = exportArgs.omit({ selection: true }).safeParse({
        format,
        shape: opts.shape,
        metrics: opts.metrics?.split(',').map((x) => x.trim()).filter(Boolean),
        allParams: opts.allParams ?? false
      })
      if (!parsed.success) {
        const flag: Record<string, string> = { allParams: 'all-params' }
        throw new Error(parsed.error.issues.map((i) => `--${flag[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`).join('; '))
      }
      let selection: Selection
      if (opts.runs) {
        const ids = opts.runs.split(',').map((x) => x.trim()).filter(Boolean)
        const bad = ids.find((id) => !/^[0-9a-f]{6,64}$/.test(id))
        if (bad !== undefined || ids.length === 0) throw new Error(`--runs: expected comma-separated run ids (6 to 64 hex digits), got ${JSON.stringify(bad ?? opts.runs)}`)
        selection = { runIds: ids }
      } else if (opts.campaign && !hasFilter) selection = { campaignId: opts.campaign }
      else selection = { filter: parseFilterFlags({ ...opts, limit: '10000' }) }
      const store = openStore(opts.db, 'read')
      try {
        const runs = selectRuns(store, selection)
        const table = tidyTable(store, runs, { shape: parsed.data.shape, metrics: parsed.data.metrics, allParams: parsed.data.allParams })
        // Stream one run at a time, honouring back-pressure: large sample exports never sit in memory.
        const stream = opts.out ? createWriteStream(opts.out) : process.stdout
        const failed = new Promise<never>((_, reject) => stream.on('error', reject))
        failed.catch(() => undefined)
        const write = (chunk: string): void | Promise<void> => {
          if (!stream.write(chunk)) return Promise.race([once(stream, 'drain').then(() => undefined), failed])
        }
        let rows: number
        try {
          rows = await writeExport(table, parsed.data.format, write)
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EPIPE') return // e.g. `ecs-lab export | head`
          throw err
        }
        if (opts.out) {
          await new Promise<void>((resolve, reject) => (stream as WriteStream).end((err?: Error | null) => (err ? reject(err) : resolve())))
          process.stderr.write(`${opts.out}: ${rows} rows x ${table.columns.length} columns (${parsed.data.shape}, ${parsed.data.format})\n`)
        }
      } finally {
        store.close()
      }
    })
}
