/** campaigns:* — the app's side of campaign files: validate, start/resume, follow, cancel, list, show, delete. */
import { ApiError, type Handlers } from '../../shared/ipc'
import type { CampaignSummary } from '../../shared/campaign'
import type { CampaignDetail } from '../../shared/ipc/campaigns'
import type { Store } from '../store'
import type { CampaignRow } from '../store/repositories/campaigns'
import { canonicalJson } from '../store/canonical'
import { CampaignError, parseCampaignText, planCampaign, type CampaignPlan, type PlannedRun } from './campaign-plan'
import type { ServiceContext } from './context'
import type { Execution } from './run-executor'

type CampaignHandlers = Pick<Handlers, 'campaigns:list' | 'campaigns:get' | 'campaigns:validate' | 'campaigns:start' | 'campaigns:cancel' | 'campaigns:delete'>

export function campaignSummary(store: Store, row: CampaignRow): CampaignSummary {
  return {
    id: row.id, name: row.name, description: row.description, createdAt: row.created_at, updatedAt: row.updated_at,
    plannedRuns: row.planned_runs, counts: store.campaigns.counts(row.id)
  }
}

export function findCampaign(store: Store, id: string): CampaignRow {
  let row: CampaignRow | undefined
  try {
    row = store.campaigns.resolve(id)
  } catch (err) {
    throw new ApiError((err as Error).message, 'invalid-argument')
  }
  if (!row) throw new ApiError(`campaign ${id} not found`, 'not-found')
  return row
}

export function campaignDetail(store: Store, row: CampaignRow): CampaignDetail {
  return {
    ...campaignSummary(store, row),
    spec: JSON.parse(row.spec_json) as unknown,
    source: row.source,
    runs: store.campaigns.links(row.id).map((l) => ({
      ...store.summary(store.runs.get(l.run_id)!),
      index: l.idx,
      params: JSON.parse(l.params_json) as Record<string, unknown>
    }))
  }
}

/** Stores a planned campaign and returns the cells still to run (all of them on a first start). */
export function storeCampaignPlan(store: Store, plan: CampaignPlan, source: string, engineVersion: string): { pending: PlannedRun[]; created: boolean; elsewhere: string[] } {
  const { pending, created, elsewhere } = store.planCampaign(
    {
      id: plan.id, name: plan.spec.name, description: plan.spec.description ?? '', specJson: canonicalJson(plan.spec),
      plannedRuns: plan.total, source
    },
    plan.runs.map((r) => ({
      index: r.index, params: r.params, id: r.id, scenario_json: JSON.stringify(r.scenario), label: r.label,
      policy_id: r.scenario.policy.id, policy_params_json: JSON.stringify(r.scenario.policy.params ?? {}), seed: r.seed,
      engine_version: engineVersion, created_at: Date.now()
    }))
  )
  const set = new Set(pending)
  return { pending: plan.runs.filter((r) => set.has(r.id)), created, elsewhere }
}

export function campaignsHandlers(ctx: ServiceContext): CampaignHandlers {
  const running = new Map<string, Execution>()
  const plan = (text: string, source: string): CampaignPlan => {
    try {
      return planCampaign(parseCampaignText(text, source), ctx.engine, { source, layouts: (n, v) => ctx.store().findLayout(n, v) })
    } catch (err) {
      if (err instanceof CampaignError) throw new ApiError(err.message, 'invalid-argument', 'CampaignError')
      throw err
    }
  }
  return {
    'campaigns:list': () => {
      const store = ctx.store()
      return store.campaigns.list().map((r) => campaignSummary(store, r))
    },
    'campaigns:get': (id) => {
      const store = ctx.store()
      return campaignDetail(store, findCampaign(store, id))
    },
    'campaigns:validate': ({ text, source }) => {
      try {
        const p = plan(text, source)
        const sweep: Record<string, number> = {}
        for (const [k, v] of Object.entries(p.spec.sweep)) sweep[k] = (v as unknown[]).length
        return {
          ok: true, id: p.id, name: p.spec.name, runs: p.runs.length,
          scenarios: [...new Set(p.runs.map((r) => r.label))], policies: [...new Set(p.runs.map((r) => r.policyLabel))],
          seeds: new Set(p.runs.map((r) => r.seed)).size, sweep
        }
      } catch (err) {
        if (err instanceof ApiError && err.name === 'CampaignError') return { ok: false, errors: [err.message] }
        throw err
      }
    },
    'campaigns:start': ({ text, source }) => {
      const p = plan(text, source)
      if (running.has(p.id)) throw new ApiError(`campaign ${p.spec.name} (${p.id}) is already running`, 'conflict')
      const store = ctx.store()
      const inFlight = new Set([...ctx.executions].flatMap((e) => [...e.ids]))
      // Cells already running in this process (e.g. started with runs:start) are not started twice.
      const pending = storeCampaignPlan(store, p, source, ctx.engine.engineVersion).pending.filter((r) => !inFlight.has(r.id))
      const total = p.runs.length
      const emitProgress = (finished: boolean) => {
        const c = store.campaigns.counts(p.id)
        ctx.emit('campaigns:progress', {
          campaignId: p.id, total, done: c.done, failed: c.failed, cancelled: c.cancelled, running: c.running,
          etaMs: finished ? 0 : eta(), finished
        })
      }
      const started = Date.now()
      let finishedHere = 0
      const eta = (): number | null => (finishedHere === 0 ? null : Math.round(((Date.now() - started) / finishedHere) * (pending.length - finishedHere)))
      const exec = ctx.execute(pending, {
        onEnd: () => {
          finishedHere++
          emitProgress(false)
        }
      })
      running.set(p.id, exec)
      void exec.promise.finally(() => {
        running.delete(p.id)
        emitProgress(true)
      })
      emitProgress(false)
      return { id: p.id, total, pending: pending.length }
    },
    'campaigns:cancel': (id) => {
      const exec = running.get(id)
      if (!exec) return { cancelled: 0 }
      const n = exec.ids.size
      exec.cancel()
      return { cancelled: n }
    },
    'campaigns:delete': (id, opts) => {
      if (running.has(id)) throw new ApiError(`campaign ${id} is running: cancel it first`, 'conflict')
      const store = ctx.store()
      const row = findCampaign(store, id)
      return store.db.transaction(() => {
        const runs = opts?.deleteRuns ? store.campaigns.exclusiveRuns(row.id) : []
        const deleted = store.campaigns.delete(row.id)
        const deletedRuns = runs.reduce((n, r) => n + (store.runs.delete(r) ? 1 : 0), 0)
        return { deleted, deletedRuns }
      }).immediate()
    }
  }
}
