/**
 * Runs a batch of stored runs on the pool and records each outcome in the store: the one place where
 * results are written, shared by the CLI (`campaign run`) and the app (runs:start, campaigns:start).
 * Each outcome is one store transaction; a run that fails to be stored is reported as failed.
 */
import type { Scenario } from '../../shared/scenario'
import type { Store } from '../store'
import type { PoolOutcome, SimPool } from '../sim-host/pool'
import type { WorkerProgress } from '../sim-host/protocol'

export interface ExecutableRun {
  id: string
  scenario: Scenario
  label: string
}

export interface ExecutorHooks<R extends ExecutableRun> {
  onStart?(run: R, worker: number): void
  onProgress?(run: R, progress: WorkerProgress, worker: number): void
  /** After the outcome is stored. */
  onEnd?(run: R, outcome: PoolOutcome, stored: { metrics: number; samples: number } | null): void
}

export interface ExecutionTally {
  done: number
  failed: number
  cancelled: number
  metrics: number
  samples: number
}

export interface Execution {
  promise: Promise<ExecutionTally>
  /** Cancels every run of the batch not finished yet. */
  cancel(): void
  /** Cancels one run of the batch; false if it is not part of it or already finished. */
  cancelRun(id: string): boolean
  readonly ids: ReadonlySet<string>
}

export function executeRuns<R extends ExecutableRun>(store: Store, pool: SimPool, runs: readonly R[], hooks: ExecutorHooks<R> = {}): Execution {
  const tally: ExecutionTally = { done: 0, failed: 0, cancelled: 0, metrics: 0, samples: 0 }
  const handles = new Map<string, { cancel(): void }>()
  const promises = runs.map((run) => {
    const handle = pool.submit({
      id: run.id,
      scenario: run.scenario,
      onStart: (worker) => {
        store.markRunning(run.id)
        hooks.onStart?.(run, worker)
      },
      onProgress: (p, worker) => hooks.onProgress?.(run, p, worker)
    })
    handles.set(run.id, handle)
    return handle.promise.then((outcome) => {
      handles.delete(run.id)
      let stored: { metrics: number; samples: number } | null = null
      let final: PoolOutcome = outcome
      try {
        if (outcome.status === 'done') {
          stored = store.completeRun(run.id, outcome.result, outcome.wallMs)
          tally.metrics += stored.metrics
          tally.samples += stored.samples
        } else if (outcome.status === 'failed') {
          store.endRun(run.id, 'failed', `${outcome.error.name}: ${outcome.error.message}`, outcome.wallMs)
        } else {
          store.endRun(run.id, 'cancelled', null, outcome.wallMs)
        }
      } catch (err) {
        final = { status: 'failed', error: { name: 'StoreError', message: `could not store the result: ${(err as Error).message}` }, wallMs: outcome.wallMs, worker: outcome.worker }
        try {
          store.endRun(run.id, 'failed', final.error.message, outcome.wallMs)
        } catch {
          // the database itself is unavailable; the run stays queued/running and is retried on resume
        }
      }
      tally[final.status]++
      hooks.onEnd?.(run, final, stored)
    })
  })
  return {
    promise: Promise.all(promises).then(() => tally),
    cancel: () => {
      for (const h of handles.values()) h.cancel()
    },
    cancelRun: (id: string) => {
      const h = handles.get(id)
      if (!h) return false
      h.cancel()
      return true
    },
    ids: new Set(runs.map((r) => r.id))
  }
}
