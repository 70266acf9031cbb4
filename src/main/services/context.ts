/**
 * What the domain services share: the store and the worker pool (both opened lazily, so an app
 * session that never touches experiments opens no database), the engine, the event sink and the
 * batches in flight.
 */
import { ENGINE_VERSION, resolveScenario } from '../../sim'
import { ApiError, type Emit } from '../../shared/ipc'
import { Store } from '../store'
import { resolveDbPath } from '../store/paths'
import { SimPool } from '../sim-host/pool'
import type { WorkerFactory } from '../sim-host/one-shot'
import type { Engine } from './campaign-plan'
import { executeRuns, type ExecutableRun, type Execution, type ExecutorHooks } from './run-executor'

export interface ContextOptions {
  workerFactory: WorkerFactory
  emit: Emit
  /** Database file; default `ECS_LAB_DB` or `<userData>/ecs-lab.sqlite`. */
  dbPath?: string
  /** Worker threads; default cores - 1 (at least 1). */
  poolSize?: number
  engine?: Engine
  log?(level: 'info' | 'warn' | 'error', message: string): void
}

export class ServiceContext {
  readonly engine: Engine
  readonly emit: Emit
  readonly executions = new Set<Execution>()
  /** Single pool jobs outside executions (trace captures, quick runs): cancelled on close. */
  readonly cancellables = new Set<{ id: string; cancel(): void }>()
  private storeInstance?: Store
  private poolInstance?: SimPool
  private readonly opts: ContextOptions

  constructor(opts: ContextOptions) {
    this.opts = opts
    this.emit = opts.emit
    this.engine = opts.engine ?? { engineVersion: ENGINE_VERSION, resolveScenario }
  }

  get dbPath(): string {
    return this.opts.dbPath ?? resolveDbPath()
  }

  store(): Store {
    this.storeInstance ??= Store.open(this.dbPath)
    return this.storeInstance
  }

  pool(): SimPool {
    this.poolInstance ??= new SimPool({ factory: this.opts.workerFactory, size: this.opts.poolSize, log: this.opts.log })
    return this.poolInstance
  }

  /** Scenario input -> resolved scenario, as an 'invalid-argument' error naming the field. */
  resolve(input: unknown, where = 'scenario'): ReturnType<Engine['resolveScenario']> {
    try {
      return this.engine.resolveScenario(input)
    } catch (err) {
      throw new ApiError(`${where}: ${(err as Error).message}`, 'invalid-argument', 'ScenarioError')
    }
  }

  /** Runs stored runs in the pool, emitting runs:progress / runs:finished. */
  execute<R extends ExecutableRun>(runs: readonly R[], hooks: ExecutorHooks<R> = {}): Execution {
    const exec = executeRuns(this.store(), this.pool(), runs, {
      onStart: (run, worker) => {
        this.emit('runs:progress', { runId: run.id, worker, simulatedNs: 0, totalNs: run.scenario.durationNs, events: 0, elapsedMs: 0, etaMs: 0 })
        hooks.onStart?.(run, worker)
      },
      onProgress: (run, p, worker) => {
        this.emit('runs:progress', { runId: run.id, worker, ...p })
        hooks.onProgress?.(run, p, worker)
      },
      onEnd: (run, outcome, stored) => {
        this.emit('runs:finished', {
          runId: run.id,
          status: outcome.status,
          error: outcome.status === 'failed' ? `${outcome.error.name}: ${outcome.error.message}` : null,
          wallMs: outcome.wallMs
        })
        hooks.onEnd?.(run, outcome, stored)
      }
    })
    this.executions.add(exec)
    void exec.promise.finally(() => this.executions.delete(exec))
    return exec
  }

  async close(): Promise<void> {
    for (const c of this.cancellables) c.cancel()
    for (const e of this.executions) e.cancel()
    await Promise.allSettled([...this.executions].map((e) => e.promise))
    await this.poolInstance?.close()
    this.storeInstance?.close()
    this.poolInstance = undefined
    this.storeInstance = undefined
  }
}
