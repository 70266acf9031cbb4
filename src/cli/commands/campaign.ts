/**
 * `ecs-lab campaign run|validate|list|show` — offline campaigns.
 *
 * `campaign run FILE` expands the matrix (validating every cell first: a bad file stores nothing),
 * records the campaign and its cells, then runs the cells not finished yet on a worker pool, writing
 * each result in one transaction. Killed at any point (even SIGKILL), the same command resumes: done
 * runs are kept, runs left 'running' are queued again, and the final store holds the same results as
 * an uninterrupted run (the engine is deterministic and runs are keyed by content).
 * SIGINT/SIGTERM (Ctrl-C, Slurm's time limit) cancel the running cells cleanly and exit 130.
 */
import type { Command } from 'commander'
import { MultiBar, Presets, type SingleBar } from 'cli-progress'
import { resolve } from 'node:path'
import { ENGINE_VERSION, resolveScenario } from '../../sim'
import { parseShard, quickCampaign } from '../../shared/campaign'
import { nodeWorkerFactory } from '../../main/sim-host/one-shot'
import { SimPool, defaultPoolSize } from '../../main/sim-host/pool'
import { planCampaign, readCampaignFile, usesLayouts, type PlannedRun } from '../../main/services/campaign-plan'
import { campaignDetail, campaignSummary, findCampaign, storeCampaignPlan } from '../../main/services/campaigns'
import { baselineFor, compareRuns } from '../../main/services/compare'
import { executeRuns, type ExecutionTally } from '../../main/services/run-executor'
import { isStorageError, storageErrorHint } from '../../main/store/db'
import type { Store } from '../../main/store'
import { resolveDbPath } from '../../main/store/paths'
import { DB_OPTION_HELP, formatDuration, formatNumber, formatTable, openStore } from './db'

const engine = { engineVersion: ENGINE_VERSION, resolveScenario }

interface RunOptions {
  db?: string
  workers?: string
  shard?: string
  progress: boolean
  json?: boolean
  quick?: boolean
}

export function parseWorkers(text: string | undefined): number {
  if (text === undefined) return defaultPoolSize()
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new Error(`--workers: expected an integer from 1 to 256, got ${JSON.stringify(text)}`)
  return n
}

/** The per-policy summary printed at the end of a campaign and by `campaign show`. */
export function campaignSummaryTable(store: Store, campaignId: string): string {
  const c = compareRuns(store, { campaignId }, ['total.opsPerSec', 'preemptions.inCriticalSection.total', 'preemptions.total'])
  if (c.groups.length === 0) return '(no finished runs yet)'
  const baseline = c.policies[0]
  const rows = c.groups.map((g) => {
    const ops = g.metrics['total.opsPerSec']
    const base = baselineFor(c.groups, g, baseline!)?.metrics['total.opsPerSec']
    return [
      g.point,
      g.policy,
      g.runIds.length,
      ops ? ops.mean : null,
      ops && ops.n > 1 ? ops.stdev : null,
      base && ops && base.mean !== 0 ? `${(ops.mean / base.mean).toFixed(3)}x` : '-',
      g.metrics['preemptions.inCriticalSection.total']?.mean ?? null,
      g.metrics['preemptions.total']?.mean ?? null
    ]
  })
  return formatTable(['scenario / point', 'policy', 'runs', 'ops/s (mean)', 'sd', `vs ${baseline}`, 'in-CS preempt', 'preempt'], rows)
}

function shortParams(r: PlannedRun): string {
  return Object.entries(r.params).filter(([k]) => k !== 'scenario' && k !== 'policy' && k !== 'seed').map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ')
}

async function runCommand(file: string, opts: RunOptions): Promise<void> {
  const workers = parseWorkers(opts.workers)
  const shard = opts.shard !== undefined ? parseShard(opts.shard) : undefined
  // Validate everything before opening (and possibly creating) the store.
  const read = readCampaignFile(file)
  const spec = opts.quick ? quickCampaign(read.spec) : read.spec
  const baseDir = read.baseDir
  // A campaign over saved layouts reads them from the (existing) store; otherwise the store is only
  // opened, or created, once the whole matrix is known to be valid.
  const layoutStore = usesLayouts(spec) ? openStore(opts.db, 'read') : undefined
  let plan
  try {
    plan = planCampaign(spec, engine, { source: file, baseDir, shard, layouts: layoutStore && ((n, v) => layoutStore.findLayout(n, v)) })
  } catch (err) {
    layoutStore?.close()
    throw err
  }
  layoutStore?.close() // opened read-only to read layouts; the runs are written through a writable one
  const store = openStore(opts.db, 'write')
  const out = process.stderr
  const dbHint = opts.db ? ` --db ${opts.db}` : ''
  try {
    const { pending, elsewhere } = storeCampaignPlan(store, plan, resolve(file), ENGINE_VERSION)
    const already = plan.runs.length - pending.length - elsewhere.length
    out.write(
      `campaign ${spec.name} (${plan.id})${shard ? `, shard ${shard.index}/${shard.count}` : ''}: ${plan.runs.length} runs` +
        `${already ? `, ${already} already done` : ''}${elsewhere.length ? `, ${elsewhere.length} running in another process` : ''}, ` +
        `${pending.length} to run on ${Math.min(workers, Math.max(1, pending.length))} worker(s)\n` +
        `store ${store.path}\n`
    )
    let interrupted = false
    let storageError: ExecutionTally['storageError'] = null
    const byId = new Map(plan.runs.map((r) => [r.id, r]))
    let pool: SimPool | undefined
    let exec: ReturnType<typeof executeRuns<PlannedRun>> | undefined
    let wake: (() => void) | undefined
    const onSignal = (sig: NodeJS.Signals) => {
      if (interrupted) process.exit(130)
      interrupted = true
      out.write(`\n${sig}: cancelling the running simulations (again to quit at once); finished runs are kept, rerun the same command to resume\n`)
      exec?.cancel()
      wake?.()
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    const tty = opts.progress && out.isTTY === true
    const multibar = tty
      ? new MultiBar({ clearOnComplete: false, hideCursor: true, format: '{name} |{bar}| {info}', barsize: 30, etaBuffer: 20, stream: out }, Presets.shades_classic)
      : undefined
    try {
      // Work through the cells; then take over what other processes left (cancelled, or claimed by a
      // process that is gone) and wait for the cells a live process is still running.
      let batch: PlannedRun[] = pending
      let waitingSaid = ''
      let total = pending.length
      let finished = 0
      let failed = 0
      let started = 0
      const overall = multibar?.create(Math.max(1, total), 0, { name: 'overall ', info: '' })
      const workerBars = new Map<number, SingleBar>()
      const overallInfo = () => {
        const elapsed = started ? Date.now() - started : 0
        const eta = finished > 0 ? ((elapsed / finished) * Math.max(0, total - finished)) : null
        return `${finished}/${total} runs | ${failed} failed | elapsed ${formatDuration(elapsed)} | ETA ${formatDuration(eta)}`
      }
      const workerBar = (w: number): SingleBar | undefined => {
        if (!multibar) return undefined
        let b = workerBars.get(w)
        if (!b) {
          b = multibar.create(1000, 0, { name: `worker ${String(w).padEnd(2)}`, info: '' })
          workerBars.set(w, b)
        }
        return b
      }
      for (;;) {
        if (batch.length > 0) {
          pool ??= new SimPool({ factory: nodeWorkerFactory, size: Math.min(workers, Math.max(1, plan.runs.length)), log: (level, msg) => { if (level !== 'info') out.write(`${level}: ${msg}\n`) } })
          exec = executeRuns(store, pool, batch, {
            onStart: (run, w) => {
              started ||= Date.now()
              workerBar(w)?.update(0, { info: `${run.label} ${run.policyLabel} seed ${run.seed} ${shortParams(run)}` })
            },
            onProgress: (run, p, w) => {
              const frac = p.totalNs > 0 ? p.simulatedNs / p.totalNs : 0
              workerBar(w)?.update(Math.round(frac * 1000), {
                info: `${run.label} ${run.policyLabel} seed ${run.seed} ${shortParams(run)} | ${(p.simulatedNs / 1e6).toFixed(1)}/${(p.totalNs / 1e6).toFixed(0)} ms sim | ${formatNumber(p.events)} events | ETA ${formatDuration(p.etaMs)}`
              })
            },
            onSkip: () => {
              total--
              overall?.setTotal(Math.max(1, total))
            },
            onEnd: (run, outcome) => {
              finished++
              if (outcome.status === 'failed') failed++
              overall?.update(finished, { info: overallInfo() })
              if (outcome.worker !== null && outcome.worker !== undefined) workerBar(outcome.worker)?.update(1000, { info: `${outcome.status}: ${run.label} ${run.policyLabel} seed ${run.seed}` })
              if (!multibar) {
                const err = outcome.status === 'failed' ? ` — ${outcome.error.name}: ${outcome.error.message}` : ''
                out.write(`[${finished}/${total}] ${outcome.status} ${run.id.slice(0, 12)} ${run.label} ${run.policyLabel} seed ${run.seed} ${shortParams(run)} in ${formatDuration(outcome.wallMs)}${err} | ${overallInfo()}\n`)
              } else if (outcome.status === 'failed') {
                multibar.log(`failed ${run.id.slice(0, 12)} ${run.label} ${run.policyLabel} seed ${run.seed}: ${outcome.error.name}: ${outcome.error.message}\n`)
              }
            }
          })
          overall?.update(finished, { info: overallInfo() })
          const tally = await exec.promise
          exec = undefined
          if (tally.storageError) {
            storageError = tally.storageError
            break
          }
        }
        if (interrupted) break
        let next
        try {
          next = store.reclaim(plan.runs.map((r) => r.id))
        } catch (err) {
          if (!isStorageError(err)) throw err
          storageError = { message: (err as Error).message, hint: storageErrorHint(err) }
          break
        }
        batch = next.claimable.map((id) => byId.get(id)!).filter(Boolean)
        total += batch.length
        overall?.setTotal(Math.max(1, total))
        if (batch.length > 0) continue
        if (next.elsewhere.length === 0) break
        const owners = [...new Set(next.elsewhere.map((r) => `pid ${r.owner_pid} on ${r.owner_host}`))].join(', ')
        const say = `waiting for ${next.elsewhere.length} run(s) another process is running (${owners}); they are taken over if it stops\n`
        if (say !== waitingSaid) {
          if (multibar) multibar.log(say)
          else out.write(say)
          waitingSaid = say
        }
        await new Promise<void>((r) => {
          const t = setTimeout(r, Math.min(1_000, Math.max(100, store.staleMs / 4)))
          wake = () => {
            clearTimeout(t)
            r()
          }
        })
        wake = undefined
      }
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      multibar?.stop()
      await pool?.close()
    }
    if (storageError) {
      out.write(
        `\nstorage error: ${storageError.message}\n${storageError.hint}. The campaign stopped at the first storage error; ` +
          `finished runs are kept. Then rerun the same command to resume: ecs-lab campaign run ${file}${dbHint}\n`
      )
      process.exitCode = 1
      return
    }
    const counts = store.campaigns.counts(plan.id)
    const table = campaignSummaryTable(store, plan.id)
    if (opts.json) process.stdout.write(JSON.stringify(campaignSummary(store, store.campaigns.get(plan.id)!), null, 2) + '\n')
    else process.stdout.write(`\n${table}\n\n`)
    const all = store.runs.counts()
    out.write(
      `this campaign: ${counts.done} done, ${counts.failed} failed, ${counts.cancelled} cancelled, ${counts.queued + counts.running} not run\n` +
        `runs in this store: ${all.done + all.failed + all.cancelled + all.queued + all.running} (${all.done} done, ${all.failed} failed, ${all.cancelled} cancelled, ${all.queued + all.running} not run)\n`
    )
    if (interrupted) {
      process.exitCode = 130
    } else if (counts.failed > 0) {
      out.write(`${counts.failed} run(s) failed: ecs-lab runs list --campaign ${plan.id} --status failed${dbHint}\n`)
      process.exitCode = 1
    }
  } finally {
    store.close()
  }
}

export function register(program: Command): void {
  const campaign = program.command('campaign').description('campaigns: a matrix of scenarios x sweeps x policies x seeds, run offline and resumable')
  campaign.command('run')
    .description('run (or resume) a campaign file (YAML or JSON)')
    .argument('<file>', 'campaign file (see schemas/campaign.schema.json)')
    .option('--db <path>', DB_OPTION_HELP)
    .option('--workers <n>', `worker threads (default: cores - 1 = ${defaultPoolSize()})`)
    .option('--shard <i/N>', 'run only the matrix cells with index % N == i (0 <= i < N), e.g. a Slurm array task')
    .option('--no-progress', 'no progress bars (one line per finished run instead)')
    .option('--json', 'print the campaign summary as JSON')
    .option('--quick', 'smoke run: the same matrix on its first seed, 5 ms per cell, stored as campaign <name>-quick')
    .action((file: string, opts: RunOptions) => runCommand(file, opts))
  campaign.command('validate')
    .description('check a campaign file and expand its matrix without running or storing anything')
    .argument('<file>', 'campaign file')
    .option('--shard <i/N>', 'show the cells of one shard')
    .option('--db <path>', `${DB_OPTION_HELP} (read for campaigns over saved layouts)`)
    .action((file: string, opts: { shard?: string; db?: string }) => {
      const shard = opts.shard !== undefined ? parseShard(opts.shard) : undefined
      const { spec, baseDir } = readCampaignFile(file)
      const layoutStore = usesLayouts(spec) ? openStore(opts.db, 'read') : undefined
      let plan
      try {
        plan = planCampaign(spec, engine, { source: file, baseDir, shard, layouts: layoutStore && ((n, v) => layoutStore.findLayout(n, v)) })
      } finally {
        layoutStore?.close()
      }
      process.stdout.write(`${file}: ok — campaign ${spec.name} (${plan.id}), ${plan.runs.length} runs${shard ? ` in shard ${shard.index}/${shard.count}` : ''}\n`)
      process.stdout.write(formatTable(['#', 'run', 'scenario', 'policy', 'seed', 'sweep'], plan.runs.slice(0, 50).map((r) => [r.index, r.id.slice(0, 12), r.label, r.policyLabel, r.seed, shortParams(r)])) + '\n')
      if (plan.runs.length > 50) process.stdout.write(`... and ${plan.runs.length - 50} more\n`)
    })
  campaign.command('list')
    .description('campaigns in the store')
    .option('--db <path>', DB_OPTION_HELP)
    .option('--json', 'machine-readable output')
    .action((opts: { db?: string; json?: boolean }) => {
      const store = openStore(opts.db, 'read')
      try {
        const list = store.campaigns.list().map((r) => campaignSummary(store, r))
        if (opts.json) process.stdout.write(JSON.stringify(list, null, 2) + '\n')
        else if (list.length === 0) process.stdout.write(`no campaigns in ${store.path}\n`)
        else {
          process.stdout.write(formatTable(
            ['id', 'name', 'updated', 'planned', 'done', 'failed', 'cancelled', 'pending'],
            list.map((c) => [c.id, c.name, new Date(c.updatedAt).toISOString().slice(0, 16).replace('T', ' '), c.plannedRuns, c.counts.done, c.counts.failed, c.counts.cancelled, c.counts.queued + c.counts.running])
          ) + '\n')
        }
      } finally {
        store.close()
      }
    })
  campaign.command('show')
    .description('a campaign: its spec, runs and per-policy summary')
    .argument('<id>', 'campaign id (or a unique prefix)')
    .option('--db <path>', DB_OPTION_HELP)
    .option('--runs', 'list every run')
    .option('--json', 'machine-readable output')
    .action((id: string, opts: { db?: string; json?: boolean; runs?: boolean }) => {
      const store = openStore(opts.db, 'read')
      try {
        const row = findCampaign(store, id)
        const d = campaignDetail(store, row)
        if (opts.json) {
          process.stdout.write(JSON.stringify(d, null, 2) + '\n')
          return
        }
        const c = d.counts
        process.stdout.write(
          `campaign  ${d.name} (${d.id})\nsource    ${d.source}\nstore     ${resolveDbPath(opts.db)}\n` +
            `runs      ${d.runs.length} of ${d.plannedRuns} planned here: ${c.done} done, ${c.failed} failed, ${c.cancelled} cancelled, ${c.queued + c.running} pending\n\n`
        )
        if (opts.runs) {
          process.stdout.write(formatTable(
            ['#', 'run', 'scenario', 'policy', 'seed', 'params', 'status', 'ops/s', 'wall'],
            d.runs.map((r) => [r.index, r.id.slice(0, 12), String(r.params['scenario'] ?? r.label), String(r.params['policy'] ?? r.policy), r.seed,
              Object.entries(r.params).filter(([k]) => !['scenario', 'policy', 'seed'].includes(k)).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' '),
              r.status, r.opsPerSec, formatDuration(r.wallMs)])
          ) + '\n\n')
        }
        process.stdout.write(campaignSummaryTable(store, d.id) + '\n')
        const failed = d.runs.filter((r) => r.status === 'failed')
        if (failed.length) {
          process.stdout.write(`\nfailed runs (rerun the campaign to retry them):\n`)
          for (const r of failed.slice(0, 20)) process.stdout.write(`  ${r.id.slice(0, 12)} ${r.label} ${r.policy} seed ${r.seed}: ${r.error ?? '?'}\n`)
          if (failed.length > 20) process.stdout.write(`  ... and ${failed.length - 20} more (ecs-lab runs list --campaign ${d.id} --status failed)\n`)
        }
      } finally {
        store.close()
      }
    })
}
