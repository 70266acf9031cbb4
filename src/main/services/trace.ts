/**
 * trace:capture — re-simulates a run's scenario (stored run, preset or inline scenario) in the worker
 * pool with the engine's bounded tracer in window mode on [fromNs, toNs) (the state of every lane at
 * fromNs, then the first maxRecords records), stopping at toNs (the engine is
 * deterministic and measurement has no side effects, so cutting the duration short does not change
 * the trajectory up to it).
 */
import { ApiError, type Handlers } from '../../shared/ipc'
import type { TraceCapture } from '../../shared/ipc/trace'
import type { ServiceContext } from './context'
import { findRun } from './runs'

type TraceHandlers = Pick<Handlers, 'trace:capture' | 'trace:cancel'>

export function traceHandlers(ctx: ServiceContext): TraceHandlers {
  /** Captures in flight: trace:cancel and services.close() cancel them like any other pool job. */
  const inFlight = ctx.cancellables
  return {
    'trace:cancel': () => {
      const mine = [...inFlight].filter((h) => h.id.startsWith('trace-'))
      for (const h of mine) h.cancel()
      return { cancelled: mine.length }
    },
    'trace:capture': async (args) => {
      let scenario
      let label: string
      let runId: string | null = null
      const src = args.source
      if (src.kind === 'run') {
        const store = ctx.store()
        const row = findRun(store, src.runId)
        runId = row.id
        label = row.label
        scenario = ctx.resolve(JSON.parse(row.scenario_json), `run ${row.id.slice(0, 12)}`)
      } else if (src.kind === 'preset') {
        scenario = ctx.resolve({ preset: src.preset, ...(src.policy ? { policy: { id: src.policy } } : {}), ...(src.seed !== undefined ? { seed: src.seed } : {}) }, 'preset')
        label = src.preset
      } else {
        scenario = ctx.resolve(src.scenario)
        label = src.label ?? scenario.name ?? 'scenario'
      }
      if (args.fromNs >= scenario.durationNs) {
        throw new ApiError(`fromNs: the window starts after the run ends: the run is ${scenario.durationNs / 1e6} ms long, so a window starts between 0 and ${scenario.durationNs / 1e6} ms`, 'invalid-argument', 'ValidationError')
      }
      const toNs = Math.min(args.toNs, scenario.durationNs)
      const durationNs = scenario.durationNs
      const warmupNs = scenario.warmupNs
      // Stop at the window end; keep warm-up inside the shortened run.
      const cut = { ...scenario, durationNs: toNs, warmupNs: Math.min(scenario.warmupNs, Math.max(0, toNs - 1)) }
      // Window mode: a snapshot of every lane's state at fromNs, then the first maxRecords records.
      const handle = ctx.pool().submit({ id: `trace-${runId ?? label}`, scenario: cut, trace: { fromNs: args.fromNs, toNs, maxRecords: args.maxRecords, snapshot: true } })
      inFlight.add(handle)
      const outcome = await handle.promise.finally(() => inFlight.delete(handle))
      if (outcome.status === 'cancelled') throw new ApiError('the trace capture was cancelled', 'cancelled', 'CancelledError')
      if (outcome.status === 'failed') throw new ApiError(outcome.error.message, outcome.error.code ?? 'internal', outcome.error.name)
      const r = outcome.result
      const tr = r.trace ?? { fromNs: args.fromNs, toNs, dropped: 0, records: [] }
      const events = tr.records.filter((x) => x.kind !== 'state').length + tr.dropped
      const spanNs = Math.max(1, toNs - args.fromNs)
      const capture: TraceCapture = {
        runId,
        label,
        policy: scenario.policy.id,
        seed: scenario.seed,
        engineVersion: r.engineVersion,
        pcpus: scenario.host.pcpus,
        vms: scenario.vms.map((v) => ({ name: v.name, vcpus: v.vcpus, workload: typeof v.workload === 'string' ? v.workload : (v.workload.title ?? 'custom') })),
        durationNs,
        warmupNs,
        fromNs: args.fromNs,
        toNs: tr.toNs,
        dropped: tr.dropped,
        fullAtNs: tr.fullAtNs ?? null,
        recordsPerMs: (events / spanNs) * 1e6,
        records: tr.records,
        wallMs: outcome.wallMs
      }
      return capture
    }
  }
}
