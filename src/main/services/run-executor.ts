/**
 * Runs a batch of stored runs on the pool and records each outcome in the store: the one place where
 * results are written, shared by the CLI (`campaign run`) and the app (runs:start, campaigns:start).
 *
 * Ownership: a run is claimed (queued -> running, atomically, with this store connection as owner)
 * just before it is handed to the pool, at most `concurrency` at a time; a run another process has
 * claimed meanwhile is skipped (`elsewhere`), so two processes on one store share a batch instead of
 * both running it. While runs are in flight the executor refreshes their heartbeat, which tells other
 * processes the owner is alive.
 *
 * Each outcome is one store transaction; a run that fails to be stored is reported as failed. A
 * storage error (disk full, I/O, damaged file: see isStorageError) stops the whole batch at once:
 * nothing more could be stored, so nothing more is simulated. Runs not started stay queued and the
 * interrupted one is re-queued by the next run of the batch (its owner is gone by then).
 */
import type { Scenario } from '../../shared/scenario'
import type { Store } from '../store'
import { isStorageError, storageErrorHint } from '../store/db'
import type { PoolHandle, PoolOutcome, SimPool } from '../sim-host/pool'
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
  /** The run was claimed by another process (or finished) before this batch reached it. */
  onSkip?(run: R): void
}

export interface ExecutionTally {
  done: number
  failed: number
  cancelled: number
  metrics: number
  samples: number
  /** Runs skipped because another process had claimed (or finished) them. */
  elsewhere: number
  /** The first storage error (the batch stopped there), with what to do about it. */
  storageError: { message: string; hint: string } | null
}

export interface Execution {
  promise: Promise<ExecutionTally>
  /** Cancels every run of the batch not finished yet. */
  cancel(): void
  /** Cancels one run of the batch; false if it is not part of it or already finished. */
  cancelRun(id: string): boolean
  readonly ids: ReadonlySet<string>
}

export interface ExecuteOptions {
  /** Runs claimed and in the pool at once; default the pool size. */
  concurrency?: number
  /** Heartbeat period; default a quarter of the store's staleness limit, at most 5 s. */
  heartbeatMs?: number
}

export function executeRuns<R extends ExecutableRun>(store: Store, pool: SimPool, runs: readonly R[], hooks: ExecutorHooks<R> = {}, opts: ExecuteOptions = {}): Execution {
  const tally: ExecutionTally = { done: 0, failed: 0, cancelled: 0, metrics: 0, samples: 0, elsewhere: 0, storageError: null }
  const queue = [...runs]
  const handles = new Map<string, PoolHandle>()
  const limit = Math.max(1, opts.concurrency ?? pool.size)
  let stopped = false
  let finished = false
  let resolveAll!: (t: ExecutionTally) => void
  const promise = new Promise<ExecutionTally>((resolve) => (resolveAll = resolve))
  const heartbeat = setInterval(() => {
    try {
      store.heartbeat()
    } catch {
      // a busy or failing store: the next beat retries; a real storage error surfaces on the next write
    }
  }, opts.heartbeatMs ?? Math.max(50, Math.min(5_000, store.staleMs / 4)))
  heartbeat.unref?.()

  const end = (run: R, outcome: PoolOutcome, stored: { metrics: number; samples: number } | null) => {
    tally[outcome.status]++
    try {
      hooks.onEnd?.(run, outcome, stored)
    } catch {
      // a reporting hook must not stop the batch
    }
  }

  const storageFailure = (err: unknown) => {
    tally.storageError ??= { message: (err as Error).message, hint: storageErrorHint(err) }
    stop(false)
  }

  /** Ends the batch: queued runs are dropped (marked cancelled only on a user's cancel), running ones cancelled. */
  function stop(markCancelled: boolean): void {
    stopped = true
    for (const run of queue.splice(0)) {
      // after a storage error the runs not started are left queued, untouched and unreported
      if (!markCancelled) continue
      try {
        store.endRun(run.id, 'cancelled', null, null)
      } catch {
        // the run stays queued: the next batch takes it
      }
      end(run, { status: 'cancelled', wallMs: 0, worker: null }, null)
    }
    for (const h of handles.values()) h.cancel()
    maybeFinish()
  }

  function maybeFinish(): void {
    if (finished || handles.size > 0 || (queue.length > 0 && !stopped)) return
    finished = true
    clearInterval(heartbeat)
    resolveAll(tally)
  }

  function record(run: R, outcome: PoolOutcome): void {
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
      if (isStorageError(err)) {
        end(run, final, null)
        storageFailure(err)
        return
      }
      try {
        store.endRun(run.id, 'failed', final.error.message, outcome.wallMs)
      } catch {
        // the database itself is unavailable; the run stays claimed and is re-queued on resume
      }
    }
    end(run, final, stored)
  }

  function pump(): void {
    while (!stopped && handles.size < limit && queue.length > 0) {
      const run = queue.shift()!
      let claimed: boolean
      try {
        claimed = store.claimRun(run.id)
      } catch (err) {
        if (isStorageError(err)) {
          queue.unshift(run)
          storageFailure(err)
          return
        }
        end(run, { status: 'failed', error: { name: 'StoreError', message: `could not claim the run: ${(err as Error).message}` }, wallMs: 0, worker: null }, null)
        continue
      }
      if (!claimed) {
        tally.elsewhere++
        hooks.onSkip?.(run)
        continue
      }
      const handle = pool.submit({
        id: run.id,
        scenario: run.scenario,
        onStart: (worker) => hooks.onStart?.(run, worker),
        onProgress: (p, worker) => hooks.onProgress?.(run, p, worker)
      })
      handles.set(run.id, handle)
      void handle.promise.then((outcome) => {
        handles.delete(run.id)
        record(run, outcome)
        pump()
      })
    }
    maybeFinish()
  }

  pump()
  return {
    promise,
    cancel: () => stop(true),
    cancelRun: (id: string) => {
      const h = handles.get(id)
      if (h) {
        h.cancel()
        return true
      }
      const qi = queue.findIndex((r) => r.id === id)
      if (qi < 0) return false
      const [run] = queue.splice(qi, 1)
      try {
        store.endRun(id, 'cancelled', null, null)
      } catch {
        // stays queued
      }
      end(run!, { status: 'cancelled', wallMs: 0, worker: null }, null)
      maybeFinish()
      return true
    },
    ids: new Set(runs.map((r) => r.id))
  }
}
