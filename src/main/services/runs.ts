/** runs:* — start layout/preset/scenario x policies x seeds, follow, cancel, list, read, tag, delete, re-run. */
import { ApiError, type Handlers } from '../../shared/ipc'
import { runFilterSchema, type RunDetail, type RunResultSummary, type RunSeries, type StartRunsResult } from '../../shared/ipc/runs'
import type { Scenario } from '../../shared/scenario'
import type { Store } from '../store'
import type { RunRow } from '../store/repositories/runs'
import { decodeValues } from '../store/result-codec'
import { runKey } from '../store/canonical'
import { readLayout } from './layouts'
import type { ServiceContext } from './context'
import type { NewRun } from '../store/repositories/runs'
import { hostLabel } from '../../shared/host-label'

type RunHandlers = Pick<Handlers, 'runs:start' | 'runs:cancel' | 'runs:list' | 'runs:get' | 'runs:series' | 'runs:delete' | 'runs:rerun' | 'runs:setTags' | 'runs:addTags' | 'runs:removeTags' | 'runs:setNote' | 'runs:tags'>

export function findRun(store: Store, id: string): RunRow {
  let row: RunRow | undefined
  try {
    row = store.runs.resolve(id)
  } catch (err) {
    throw new ApiError((err as Error).message, 'invalid-argument')
  }
  if (!row) throw new ApiError(`run ${id} not found`, 'not-found')
  return row
}

export function runDetail(store: Store, row: RunRow): RunDetail {
  const result = store.results.get(row.id)
  return {
    ...store.summary(row),
    scenario: JSON.parse(row.scenario_json) as Scenario,
    result: result ? (JSON.parse(result.summary_json) as RunResultSummary) : null,
    metrics: store.metrics.forRun(row.id),
    campaigns: store.campaigns.ofRun(row.id).map((c) => ({ id: c.id, name: c.name, params: JSON.parse(c.params_json) as Record<string, unknown> }))
  }
}

export function runSeries(store: Store, runId: string): RunSeries {
  const rows = store.series.forRun(runId)
  const out: RunSeries = { runId, intervalNs: 0, t: [], perVm: [] }
  for (const r of rows) {
    const values = decodeValues(r.encoding, r.data, r.count)
    out.intervalNs = r.interval_ns
    if (r.vm < 0) {
      if (r.name === 't') out.t = values
      continue
    }
    const vm = (out.perVm[r.vm] ??= { name: r.vm_name, values: {} })
    vm.values[r.name] = values
  }
  out.perVm = out.perVm.filter(Boolean)
  return out
}

export function runsHandlers(ctx: ServiceContext): RunHandlers {
  /** Queue + execute: the shared tail of runs:start and runs:rerun. */
  function start(newRuns: NewRun[], scenarios: Map<string, Scenario>, opts: { tags?: string[]; force?: boolean }): StartRunsResult {
    const store = ctx.store()
    const { pending, reused, existing } = store.queueRuns(newRuns, opts)
    const inFlight = new Set([...ctx.executions].flatMap((e) => [...e.ids]))
    const toRun = pending.filter((id) => !inFlight.has(id))
    if (toRun.length) {
      ctx.execute(toRun.map((id) => ({ id, scenario: scenarios.get(id)!, label: newRuns.find((r) => r.id === id)!.label })))
    }
    return { runIds: newRuns.map((r) => r.id), started: toRun, reused: [...reused, ...pending.filter((id) => inFlight.has(id))], existing }
  }

  return {
    'runs:start': (args) => {
      let base: unknown
      let label: string
      let layout: { id: string; version: number } | undefined
      const src = args.source
      if (src.kind === 'layout') {
        const l = readLayout(ctx.store(), src.layoutId, src.version)
        base = l.scenario
        label = l.name
        layout = { id: l.id, version: l.version }
      } else if (src.kind === 'preset') {
        base = { ...(src.overrides ?? {}), preset: src.preset }
        label = src.preset
      } else {
        base = src.scenario
        label = src.label ?? (typeof src.scenario['name'] === 'string' ? src.scenario['name'] : 'scenario')
      }
      const newRuns: NewRun[] = []
      const scenarios = new Map<string, Scenario>()
      // Auto-names carry the host size (an 80- and an 8-pCPU run of one preset must not look alike).
      const named = (scenario: Scenario) => (/pCPU/.test(label) ? label : `${label} · ${hostLabel({ pcpus: scenario.host.pcpus, vcpus: scenario.vms.map((v) => v.vcpus) })}`)
      for (const p of args.policies) {
        const policy = typeof p === 'string' ? { id: p, params: {} } : p
        for (const seed of args.seeds) {
          const input = { ...(base as Record<string, unknown>), policy, seed }
          const scenario = ctx.resolve(input, `policy ${policy.id}, seed ${seed}`)
          const id = runKey({ scenario, engineVersion: ctx.engine.engineVersion })
          if (scenarios.has(id)) continue
          scenarios.set(id, scenario)
          newRuns.push({
            id, scenario_json: JSON.stringify(scenario), label: named(scenario), policy_id: scenario.policy.id,
            policy_params_json: JSON.stringify(scenario.policy.params ?? {}), seed: scenario.seed,
            engine_version: ctx.engine.engineVersion, created_at: Date.now(),
            layout_id: layout?.id ?? null, layout_version: layout?.version ?? null, note: args.note
          })
        }
      }
      return start(newRuns, scenarios, { tags: args.tags, force: args.force })
    },
    'runs:cancel': (id) => {
      const row = findRun(ctx.store(), id)
      for (const e of ctx.executions) if (e.cancelRun(row.id)) return { cancelled: true }
      return { cancelled: false }
    },
    'runs:list': (filter) => {
      const store = ctx.store()
      const { total, rows } = store.runs.list(runFilterSchema.parse(filter ?? {}))
      return { total, rows: rows.map((r) => store.summary(r)) }
    },
    'runs:get': (id) => {
      const store = ctx.store()
      return runDetail(store, findRun(store, id))
    },
    'runs:series': (id) => {
      const store = ctx.store()
      return runSeries(store, findRun(store, id).id)
    },
    'runs:delete': (ids) => {
      const store = ctx.store()
      const rows = ids.map((id) => findRun(store, id))
      const busy = rows.filter((r) => r.status === 'running' || [...ctx.executions].some((e) => e.ids.has(r.id) && r.status === 'queued'))
      if (busy.length) throw new ApiError(`run ${busy[0]!.id.slice(0, 12)} is queued or running: cancel it first`, 'conflict')
      return { deleted: store.deleteRuns(rows.map((r) => r.id)) }
    },
    'runs:rerun': (id) => {
      const store = ctx.store()
      const row = findRun(store, id)
      const scenario = ctx.resolve(JSON.parse(row.scenario_json), `run ${row.id.slice(0, 12)}`)
      const newId = runKey({ scenario, engineVersion: ctx.engine.engineVersion })
      const newRun: NewRun = {
        id: newId, scenario_json: JSON.stringify(scenario), label: row.label, policy_id: scenario.policy.id,
        policy_params_json: JSON.stringify(scenario.policy.params ?? {}), seed: scenario.seed, engine_version: ctx.engine.engineVersion,
        created_at: Date.now(), layout_id: row.layout_id, layout_version: row.layout_version, note: row.note
      }
      return start([newRun], new Map([[newId, scenario]]), { tags: store.tags.forRun(row.id), force: true })
    },
    'runs:setTags': (id, tags) => {
      const store = ctx.store()
      const row = findRun(store, id)
      store.db.transaction(() => store.tags.set(row.id, [...new Set(tags)]))()
      return { tags: store.tags.forRun(row.id) }
    },
    'runs:addTags': (ids, tags) => {
      const store = ctx.store()
      const rows = ids.map((id) => findRun(store, id))
      store.db.transaction(() => {
        for (const row of rows) store.tags.add(row.id, [...new Set(tags)])
      })()
      return { updated: rows.length }
    },
    'runs:removeTags': (ids, tags) => {
      const store = ctx.store()
      const rows = ids.map((id) => findRun(store, id))
      let updated = 0
      store.db.transaction(() => {
        for (const row of rows) if (store.tags.remove(row.id, [...new Set(tags)]) > 0) updated++
      })()
      return { updated }
    },
    'runs:setNote': (id, note) => {
      const store = ctx.store()
      const row = findRun(store, id)
      store.runs.setNote(row.id, note)
      return { note }
    },
    'runs:tags': () => ctx.store().tags.all()
  }
}
