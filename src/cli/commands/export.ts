/** `ecs-lab export` — tidy CSV/JSON of runs or a campaign for pandas, R and matplotlib. */
import type { Command } from 'commander'
import { writeFileSync } from 'node:fs'
import { formatZodError } from '../../shared/ipc/define'
import { exportArgs } from '../../shared/ipc/export'
import { exportRuns } from '../../main/services/export'
import type { Selection } from '../../main/services/selection'
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
    .action((opts: ExportFlags) => {
      const format = opts.format ?? (opts.out?.toLowerCase().endsWith('.json') ? 'json' : 'csv')
      const hasFilter = ['status', 'policy', 'layout', 'tag', 'search', 'seed', 'engine'].some((k) => opts[k as keyof ExportFlags] !== undefined)
      let selection: Selection
      if (opts.runs) selection = { runIds: opts.runs.split(',').map((s) => s.trim()).filter(Boolean) }
      else if (opts.campaign && !hasFilter) selection = { campaignId: opts.campaign }
      else selection = { filter: parseFilterFlags({ ...opts, limit: '10000' }) }
      const parsed = exportArgs.safeParse({
        selection: 'filter' in selection ? { filter: selection.filter } : selection,
        format,
        shape: opts.shape,
        metrics: opts.metrics?.split(',').map((s) => s.trim()).filter(Boolean),
        allParams: opts.allParams ?? false
      })
      if (!parsed.success) {
        throw new Error(formatZodError(parsed.error).split('; ').map((m) => `--${m.split('.')[0]!.replace(/^selection$/, 'runs').replace('allParams', 'all-params')}: ${m.split(': ').slice(1).join(': ')} (${m.split(': ')[0]})`).join('; '))
      }
      const store = openStore(opts.db, 'read')
      try {
        const res = exportRuns(store, selection, { format: parsed.data.format, shape: parsed.data.shape, metrics: parsed.data.metrics, allParams: parsed.data.allParams })
        if (opts.out) {
          writeFileSync(opts.out, res.content)
          process.stderr.write(`${opts.out}: ${res.rows} rows x ${res.columns.length} columns (${parsed.data.shape}, ${parsed.data.format})\n`)
        } else {
          process.stdout.write(res.content)
        }
      } finally {
        store.close()
      }
    })
}
