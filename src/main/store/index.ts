/**
 * The experiment store: one SQLite database (see db.ts) and one repository per table. The operations
 * here are the units that must be atomic, each one synchronous transaction (nothing async inside):
 * planning a campaign's runs, completing a run (result + metrics + series + status), deleting runs.
 */
import type Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type { SimResult } from '../../shared/result'
import type { RunStatus, RunSummary } from '../../shared/ipc/runs'
import { openDatabase, type OpenDatabaseOptions } from './db'
import { createCampaignsRepo } from './repositories/campaigns'
import { createLayoutsRepo } from './repositories/layouts'
import { createMetricsRepo } from './repositories/metrics'
import { createResultsRepo } from './repositories/results'
import { createRunTagsRepo } from './repositories/run-tags'
import { createRunsRepo, POLICY_LABEL_SQL_FUNCTION, type NewRun, type RunOwner, type RunRow } from './repositories/runs'
import { createSeriesRepo } from './repositories/series'
import { encodeSeries, flattenMetrics, sampleCount, summarize } from './result-codec'
import { runPolicyLabel } from '../policies'
import { hostShapeOf } from '../../shared/host-label'

export { StoreError } from './db'
export { resolveDbPath, userDataDir } from './paths'
export type { RunRow, RunOwner } from './repositories/runs'

/** Default: a 'running' run whose owner has not sent a heartbeat for this long is taken over. */
export const DEFAULT_OWNER_STALE_MS = 60_000

/** `ECS_LAB_OWNER_STALE_MS` (at least 200 ms) or the default. */
export function ownerStaleMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env['ECS_LAB_OWNER_STALE_MS'])
  return Number.isFinite(v) && v >= 200 ? v : DEFAULT_OWNER_STALE_MS
}

/** Whether process `pid` exists on this host (EPERM: it exists, owned by someone else). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export interface PlannedRunRow extends NewRun {
  /** Position in the campaign matrix. */
  index: number
  /** Matrix coordinates (scenario label, policy label, seed, sweep values). */
  params: Record<string, unknown>
}

export interface CampaignRecord {
  id: string
  name: string
  description: string
  specJson: string
  plannedRuns: number
  source: string
}

export class Store {
  readonly db: Database.Database
  readonly path: string
  readonly runs
  readonly results
  readonly metrics
  readonly series
  readonly tags
  readonly campaigns
  readonly layouts
  /** Who this connection is when it claims runs: pid + host + a random token. */
  readonly owner: RunOwner = { pid: process.pid, host: hostname(), token: randomBytes(12).toString('hex') }
  /** A foreign owner silent this long is gone (see ownerGone). */
  staleMs = ownerStaleMs()

  constructor(db: Database.Database, path: string) {
    this.db = db
    this.path = path
    // the label every surface shows for a run's policy (`ecs {vetoCap: 4}`), so text search matches it
    db.function(POLICY_LABEL_SQL_FUNCTION, { deterministic: true }, (id: unknown, json: unknown) => {
      try {
        return runPolicyLabel(String(id), JSON.parse(String(json)) as Record<string, unknown>)
      } catch {
        return String(id)
      }
    })
    this.runs = createRunsRepo(db)
    this.results = createResultsRepo(db)
    this.metrics = createMetricsRepo(db)
    this.series = createSeriesRepo(db)
    this.tags = createRunTagsRepo(db)
    this.campaigns = createCampaignsRepo(db)
    this.layouts = createLayoutsRepo(db)
  }

  static open(path: string, opts?: OpenDatabaseOptions): Store {
    return new Store(openDatabase(path, opts), path)
  }

  close(): void {
    if (this.db.open) this.db.close()
  }

  /**
   * Whether the process that claimed a 'running' row is gone: no owner recorded (a row from before
   * schema v3), a heartbeat older than staleMs, or a pid that no longer exists on this host. A row this
   * connection owns is never gone.
   */
  ownerGone(row: RunRow, now = Date.now()): boolean {
    if (!row.owner_token) return true
    if (row.owner_token === this.owner.token) return false
    if (row.heartbeat_at === null || now - row.heartbeat_at > this.staleMs) return true
    return row.owner_host === this.owner.host && row.owner_pid !== null && !pidAlive(row.owner_pid)
  }

  /**
   * Stores (or finds) a campaign and its matrix cells in one transaction. Returns the run ids to run
   * (not done and not being run by a live process) and those another live process is running now.
   */
  planCampaign(c: CampaignRecord, runs: readonly PlannedRunRow[], now = Date.now()): { created: boolean; pending: string[]; elsewhere: string[] } {
    return this.db.transaction(() => {
      const created = this.campaigns.insert({
        id: c.id, name: c.name, description: c.description, spec_json: c.specJson, planned_runs: c.plannedRuns,
        source: c.source, created_at: now, updated_at: now
      })
      if (!created) this.campaigns.touch(c.id, now, c.source)
      const pending: string[] = []
      const elsewhere: string[] = []
      for (const r of runs) {
        this.runs.insert({ ...r, created_at: now })
        this.campaigns.link(c.id, r.id, r.index, JSON.stringify(r.params))
        const row = this.runs.get(r.id)!
        if (row.status === 'done') continue
        if (row.status === 'running' && !this.ownerGone(row, now)) {
          elsewhere.push(r.id)
          continue
        }
        // failed / cancelled / 'running' left by a dead process: back to the queue
        if (row.status !== 'queued') this.runs.markQueued(r.id)
        pending.push(r.id)
      }
      return { created, pending, elsewhere }
    }).immediate()
  }

  /**
   * For a campaign runner that has worked through its list: which of `ids` can be claimed now
   * (queued or cancelled, or 'running' by an owner that is gone: re-queued here) and which a live
   * process is still running. Failed runs are left alone (rerun the campaign to retry them).
   */
  reclaim(ids: readonly string[], now = Date.now()): { claimable: string[]; elsewhere: RunRow[] } {
    return this.db.transaction(() => {
      const claimable: string[] = []
      const elsewhere: RunRow[] = []
      for (const id of ids) {
        const row = this.runs.get(id)
        if (!row) continue
        if (row.status === 'queued') claimable.push(id)
        else if (row.status === 'cancelled' || (row.status === 'running' && this.ownerGone(row, now))) {
          this.runs.markQueued(id)
          claimable.push(id)
        } else if (row.status === 'running') elsewhere.push(row)
      }
      return { claimable, elsewhere }
    }).immediate()
  }

  /**
   * Queues a batch. A run already in the store (same content key) keeps its identity: its label, tags
   * and note stay the ones its own batch set (issue 15: a later batch that reuses it must not retag
   * it); it is listed in `existing`, so the caller can offer to add the batch's tags explicitly.
   * Runs new to the store get the batch's tags and note. `reused`: already done, or running in a live process.
   */
  queueRuns(runs: readonly NewRun[], opts: { tags?: readonly string[]; force?: boolean } = {}, now = Date.now()): { pending: string[]; reused: string[]; existing: string[] } {
    return this.db.transaction(() => {
      const pending: string[] = []
      const reused: string[] = []
      const existing: string[] = []
      for (const r of runs) {
        const fresh = this.runs.insert({ ...r, created_at: now })
        if (fresh) {
          if (opts.tags?.length) this.tags.add(r.id, opts.tags)
          if (r.note) this.runs.setNote(r.id, r.note)
        } else existing.push(r.id)
        const row = this.runs.get(r.id)!
        if (row.status === 'done' && !opts.force) reused.push(r.id)
        else if (row.status === 'running' && !this.ownerGone(row, now)) reused.push(r.id) // already in flight
        else {
          this.runs.markQueued(r.id)
          pending.push(r.id)
        }
      }
      return { pending, reused, existing }
    }).immediate()
  }

  /** A saved layout's scenario by name (latest version unless one is given). */
  findLayout(name: string, version?: number): { scenario: unknown; version: number } | undefined {
    const row = this.layouts.byName(name)
    if (!row) return undefined
    const ver = this.layouts.version(row.id, version ?? row.latest_version)
    return ver ? { scenario: JSON.parse(ver.scenario_json) as unknown, version: ver.version } : undefined
  }

  /** Claims a queued run for this connection (atomic: false if it is not queued any more). */
  claimRun(runId: string, now = Date.now()): boolean {
    return this.runs.claim(runId, this.owner, now)
  }

  /** Tells other processes this connection's running runs are still being worked on. */
  heartbeat(now = Date.now()): number {
    return this.runs.heartbeat(this.owner.token, now)
  }

  /**
   * Writes a finished run: summary, metrics and series replace any earlier result, and the status
   * becomes 'done', all in one transaction, so a reader (or a crash) never sees half a result.
   * A run that is already 'done' (another process finished it first; the engine is deterministic, so
   * the result is the same) or was deleted meanwhile is left as it is: `written` is false.
   */
  completeRun(runId: string, result: SimResult, wallMs: number, now = Date.now()): { metrics: number; samples: number; written: boolean } {
    const summary = summarize(result)
    const metrics = flattenMetrics(result)
    const series = encodeSeries(result)
    return this.db.transaction(() => {
      const row = this.runs.get(runId)
      if (!row || row.status === 'done') return { metrics: 0, samples: 0, written: false }
      this.metrics.deleteForRun(runId)
      this.series.deleteForRun(runId)
      this.results.put({
        run_id: runId,
        summary_json: JSON.stringify(summary),
        simulated_ns: Math.round(result.simulatedNs ?? 0),
        events: Math.round(result.events ?? 0),
        digest: typeof result.digest === 'string' ? result.digest : ''
      })
      const n = this.metrics.putAll(runId, metrics)
      this.series.putAll(runId, series)
      this.runs.finish(runId, 'done', null, now, wallMs)
      return { metrics: n, samples: sampleCount(series), written: true }
    }).immediate()
  }

  /**
   * Ends a run of this connection without a result ('failed' with its error, or 'cancelled'). Never
   * touches a finished result: a 'done' run stays done, a run another process owns is left to it, and
   * a re-run (forced) of a run whose result is still stored goes back to 'done'. Returns whether the
   * status was changed to `status`.
   */
  endRun(runId: string, status: Exclude<RunStatus, 'done' | 'queued' | 'running'>, error: string | null, wallMs: number | null, now = Date.now()): boolean {
    return this.db.transaction(() => {
      const row = this.runs.get(runId)
      if (!row || row.status === 'done') return false
      if (row.status === 'running' && row.owner_token !== this.owner.token) return false
      if (this.results.get(runId)) {
        this.runs.restoreDone(runId)
        return false
      }
      this.runs.finish(runId, status, error, now, wallMs)
      return true
    }).immediate()
  }

  deleteRuns(ids: readonly string[]): number {
    return this.db.transaction(() => ids.reduce((n, id) => n + (this.runs.delete(id) ? 1 : 0), 0)).immediate()
  }

  summary(row: RunRow): RunSummary {
    const policyParams = JSON.parse(row.policy_params_json) as Record<string, unknown>
    return {
      id: row.id,
      label: row.label,
      policy: row.policy_id,
      policyParams,
      policyLabel: runPolicyLabel(row.policy_id, policyParams),
      seed: row.seed,
      engineVersion: row.engine_version,
      status: row.status,
      error: row.error,
      createdAt: row.created_at,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      wallMs: row.wall_ms,
      layoutId: row.layout_id,
      layoutVersion: row.layout_version,
      note: row.note,
      tags: this.tags.forRun(row.id),
      opsPerSec: this.metrics.get(row.id, 'total.opsPerSec'),
      inCsPreemptions: this.metrics.get(row.id, 'preemptions.inCriticalSection.total'),
      host: hostShapeOf(JSON.parse(row.scenario_json))
    }
  }
}
