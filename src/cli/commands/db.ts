/**
 * `ecs-lab db ...` — the experiment store: where it is, what it holds, and merging shard stores.
 * Also home of the store helpers every store-using subcommand shares (`--db`, opening, tables).
 */
import type { Command } from 'commander'
import { existsSync } from 'node:fs'
import { Store } from '../../main/store'
import { LATEST_VERSION } from '../../main/store/migrations'
import { mergeStores } from '../../main/store/merge'
import { resolveDbPath } from '../../main/store/paths'

export const DB_OPTION_HELP = 'experiment store (SQLite file); default $ECS_LAB_DB, else the app\'s user-data folder'

/**
 * Opens the store named by --db / ECS_LAB_DB / the default. 'read': read-only (SQLITE_OPEN_READONLY,
 * works in a read-only directory, never creates or migrates an empty file); 'existing': writable but
 * never created; 'write': created if missing.
 */
export function openStore(dbFlag: string | undefined, mode: 'read' | 'existing' | 'write', opts: { check?: 'quick' | 'none' } = {}): Store {
  return Store.open(resolveDbPath(dbFlag), { mustExist: mode !== 'write', readOnly: mode === 'read', ...opts })
}

/** Plain-text table with right-aligned numeric columns. */
export function formatTable(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? '-' : typeof c === 'number' ? formatNumber(c) : c)))
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] === null || r[i] === undefined))
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)))
  const line = (r: string[]) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd()
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')
}

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n)
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return n.toLocaleString('en-US')
  const abs = Math.abs(n)
  if (abs >= 1000) return Math.round(n).toLocaleString('en-US')
  if (abs >= 1) return n.toFixed(2)
  return n.toPrecision(3)
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-'
  if (ms < 1000) return `${Math.round(ms)} ms`
  const s = ms / 1000
  if (s < 120) return `${s.toFixed(1)} s`
  const m = Math.floor(s / 60)
  if (m < 120) return `${m} min ${Math.round(s - m * 60)} s`
  return `${Math.floor(m / 60)} h ${m % 60} min`
}

let epipeGuard = false

/** `ecs-lab runs list | head`: a closed pipe ends the command quietly instead of with a stack trace. */
function guardEpipe(): void {
  if (epipeGuard) return
  epipeGuard = true
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0)
    throw err
  })
}

export function register(program: Command): void {
  guardEpipe()
  const db = program.command('db').description('the experiment store: path, info, merge shard stores')
  db.command('path')
    .description('print the store file used by default (or by --db / $ECS_LAB_DB)')
    .option('--db <path>', DB_OPTION_HELP)
    .action((opts: { db?: string }) => {
      process.stdout.write(resolveDbPath(opts.db) + '\n')
    })
  db.command('info')
    .description('schema version and what the store holds')
    .option('--db <path>', DB_OPTION_HELP)
    .option('--json', 'machine-readable output')
    .option('--check', 'run PRAGMA integrity_check over the whole file (slow on large stores); exit 1 if it finds damage')
    .action((opts: { db?: string; json?: boolean; check?: boolean }) => {
      const store = openStore(opts.db, 'read', opts.check ? { check: 'none' } : {})
      try {
        if (opts.check) {
          let problems: string[]
          try {
            problems = (store.db.pragma('integrity_check(20)') as Record<string, unknown>[]).flatMap((r) => String(Object.values(r)[0]).split('\n'))
          } catch (err) {
            // SQLite may give up on a badly damaged file with SQLITE_CORRUPT instead of a list
            problems = [`${(err as Error).message} (${(err as { code?: string }).code ?? 'error'})`]
          }
          const ok = problems.length === 1 && problems[0] === 'ok'
          if (opts.json) process.stdout.write(JSON.stringify({ path: store.path, integrity: ok ? 'ok' : problems }, null, 2) + '\n')
          else process.stdout.write(ok ? `${store.path}: integrity_check ok\n` : `${store.path}: DAMAGED (integrity_check):\n  ${problems.join('\n  ')}\nRestore it from a backup or copy; \`sqlite3 ${store.path} .recover\` salvages what is readable.\n`)
          if (!ok) process.exitCode = 1
          return
        }
        const count = (t: string) => (store.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n
        const info = {
          path: store.path,
          schemaVersion: store.db.pragma('user_version', { simple: true }) as number,
          supportedVersion: LATEST_VERSION,
          runs: store.runs.counts(),
          campaigns: count('campaigns'),
          layouts: count('layouts'),
          metrics: count('metrics'),
          seriesSamples: (store.db.prepare('SELECT coalesce(sum(count), 0) AS n FROM series').get() as { n: number }).n
        }
        if (opts.json) process.stdout.write(JSON.stringify(info, null, 2) + '\n')
        else {
          process.stdout.write(
            `store      ${info.path}\nschema     v${info.schemaVersion} (this eCS Lab: v${info.supportedVersion})\n` +
              `runs       ${Object.entries(info.runs).map(([k, v]) => `${k} ${v}`).join(', ')}\n` +
              `campaigns  ${info.campaigns}\nlayouts    ${info.layouts}\nmetrics    ${formatNumber(info.metrics)}\nsamples    ${formatNumber(info.seriesSamples)}\n`
          )
        }
      } finally {
        store.close()
      }
    })
  db.command('merge')
    .description('merge shard stores into one; runs are keyed by content hash, so duplicates are stored once')
    .argument('<inputs...>', 'store files to merge (never modified)')
    .requiredOption('--into <path>', 'output store (created if missing, or merged into)')
    .action(async (inputs: string[], opts: { into: string }) => {
      for (const p of inputs) if (!existsSync(p)) throw new Error(`db merge: input ${p} does not exist`)
      const reports = await mergeStores(inputs, opts.into)
      process.stdout.write(
        formatTable(
          ['input', 'runs', 'added', 'replaced', 'duplicates', 'campaigns', 'layouts'],
          reports.map((r) => [r.input, r.runs, r.added, r.replaced, r.duplicates, r.campaigns, r.layouts])
        ) + '\n'
      )
      const out = Store.open(opts.into, { mustExist: true })
      try {
        const c = out.runs.counts()
        process.stdout.write(`\n${opts.into}: ${Object.values(c).reduce((a, b) => a + b, 0)} runs (${c.done} done)\n`)
      } finally {
        out.close()
      }
    })
}
