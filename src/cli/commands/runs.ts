/** `ecs-lab runs list|show` — stored runs, filtered. */
import type { Command } from 'commander'
import { formatZodError } from '../../shared/ipc/define'
import { runFilterSchema, type ParsedRunFilter } from '../../shared/ipc/runs'
import { runDetail, findRun } from '../../main/services/runs'
import { DB_OPTION_HELP, formatDuration, formatTable, openStore } from './db'

export interface FilterFlags {
  status?: string
  policy?: string
  campaign?: string
  layout?: string
  tag?: string[]
  search?: string
  seed?: string
  engine?: string
  sort?: string
  limit?: string
  offset?: string
}

const list = (v: string | undefined) => (v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean))
const collect = (v: string, prev: string[] = []) => [...prev, v]

/** Turns CLI flags into a validated run filter; errors name the flag and the allowed values. */
export function parseFilterFlags(f: FilterFlags): ParsedRunFilter {
  const num = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined
    const n = Number(v)
    if (v.trim() === '' || !Number.isFinite(n)) throw new Error(`--${name}: expected a number, got ${JSON.stringify(v)}`)
    return n
  }
  const parsed = runFilterSchema.safeParse({
    status: list(f.status),
    policy: list(f.policy),
    campaignId: f.campaign,
    layoutId: f.layout,
    tags: f.tag,
    search: f.search,
    seed: num('seed', f.seed),
    engineVersion: f.engine,
    sort: f.sort,
    limit: num('limit', f.limit),
    offset: num('offset', f.offset)
  })
  if (!parsed.success) {
    const flag: Record<string, string> = { campaignId: 'campaign', layoutId: 'layout', tags: 'tag', engineVersion: 'engine' }
    throw new Error(formatZodError(parsed.error).split('; ').map((m) => {
      const [path, ...rest] = m.split(': ')
      const top = path!.split('.')[0]!
      return `--${flag[top] ?? top}${path!.includes('.') ? ` (${path})` : ''}: ${rest.join(': ')}`
    }).join('; '))
  }
  return parsed.data
}

export function addFilterOptions(cmd: Command): Command {
  return cmd
    .option('--status <list>', 'queued,running,done,failed,cancelled (comma-separated)')
    .option('--policy <list>', 'policy ids (comma-separated)')
    .option('--campaign <id>', 'runs of this campaign')
    .option('--layout <id>', 'runs of this layout')
    .option('--tag <tag>', 'runs with this tag (repeatable: all must match)', collect)
    .option('--search <text>', 'substring of label, note, policy or tag, or a run id prefix')
    .option('--seed <n>', 'this seed only')
    .option('--engine <version>', 'this engine version only')
}

export function register(program: Command): void {
  const runs = program.command('runs').description('stored runs')
  addFilterOptions(runs.command('list').description('list runs, newest first, with filters'))
    .option('--sort <order>', 'created-desc | created-asc | label | policy | status | ops-desc')
    .option('--limit <n>', 'at most n rows (default 200)')
    .option('--offset <n>', 'skip n rows')
    .option('--db <path>', DB_OPTION_HELP)
    .option('--json', 'machine-readable output')
    .action((opts: FilterFlags & { db?: string; json?: boolean }) => {
      const filter = parseFilterFlags(opts)
      const store = openStore(opts.db, 'read')
      try {
        const { total, rows } = store.runs.list(filter)
        const summaries = rows.map((r) => store.summary(r))
        if (opts.json) {
          process.stdout.write(JSON.stringify({ total, rows: summaries }, null, 2) + '\n')
          return
        }
        process.stdout.write(formatTable(
          ['run', 'scenario', 'policy', 'seed', 'status', 'ops/s', 'in-CS preempt', 'wall', 'tags'],
          summaries.map((s) => [s.id.slice(0, 12), s.label, s.policyLabel, s.seed, s.status, s.opsPerSec, s.inCsPreemptions, formatDuration(s.wallMs), s.tags.join(',')])
        ) + `\n${rows.length} of ${total} run(s)\n`)
      } finally {
        store.close()
      }
    })
  runs.command('show')
    .description('one run: parameters, status, metrics')
    .argument('<id>', 'run id or a unique prefix (6+ hex digits)')
    .option('--db <path>', DB_OPTION_HELP)
    .option('--json', 'machine-readable output (scenario, result summary, metrics)')
    .action((id: string, opts: { db?: string; json?: boolean }) => {
      const store = openStore(opts.db, 'read')
      try {
        const d = runDetail(store, findRun(store, id))
        if (opts.json) {
          process.stdout.write(JSON.stringify(d, null, 2) + '\n')
          return
        }
        process.stdout.write(
          `run       ${d.id}\nscenario  ${d.label}\npolicy    ${d.policy} ${JSON.stringify(d.policyParams)}\nseed      ${d.seed}\nengine    ${d.engineVersion}\n` +
            `status    ${d.status}${d.error ? ` — ${d.error}` : ''}\nwall      ${formatDuration(d.wallMs)}\ncampaigns ${d.campaigns.map((c) => `${c.name} (${c.id})`).join(', ') || '-'}\n` +
            `tags      ${d.tags.join(', ') || '-'}\nnote      ${d.note || '-'}\n\n`
        )
        const names = Object.keys(d.metrics)
        if (names.length) process.stdout.write(formatTable(['metric', 'value'], names.map((n) => [n, d.metrics[n]!])) + '\n')
      } finally {
        store.close()
      }
    })
  runs.command('delete')
    .description('delete runs with their results and series (campaign links too)')
    .argument('<ids...>', 'run ids or unique prefixes')
    .option('--yes', 'really delete (without it, only list what would be deleted)')
    .option('--db <path>', DB_OPTION_HELP)
    .action((ids: string[], opts: { db?: string; yes?: boolean }) => {
      const store = openStore(opts.db, opts.yes ? 'existing' : 'read')
      try {
        const rows = ids.map((id) => findRun(store, id))
        const running = rows.filter((r) => r.status === 'running')
        if (running.length) throw new Error(`run ${running[0]!.id.slice(0, 12)} is running; stop its campaign first`)
        if (!opts.yes) {
          process.stdout.write(rows.map((r) => `${r.id.slice(0, 12)}  ${r.label}  ${r.policy_id}  seed ${r.seed}  ${r.status}`).join('\n') + `\n${rows.length} run(s) would be deleted: add --yes\n`)
          process.exitCode = 1
          return
        }
        process.stdout.write(`deleted ${store.deleteRuns(rows.map((r) => r.id))} run(s)\n`)
      } finally {
        store.close()
      }
    })
}
