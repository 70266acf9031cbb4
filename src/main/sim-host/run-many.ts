/**
 * Run many scenarios on the worker pool and collect their results in order (CLI compare / reproduce).
 * Fails fast: the first failed run rejects (the others are cancelled by closing the pool).
 */
import { availableParallelism, cpus } from 'node:os'
import type { Scenario } from '../../shared/scenario'
import type { SimResult } from '../../shared/result'
import { SimPool } from './pool'
import { nodeWorkerFactory, type WorkerFactory } from './one-shot'

export interface RunManyOptions {
  /** Worker threads (default: every core; the CLI process itself mostly sleeps). */
  workers?: number
  factory?: WorkerFactory
  /** Called as each run finishes (done of total). */
  onDone?(done: number, total: number, wallMs: number): void
}

export function coreCount(): number {
  return typeof availableParallelism === 'function' ? availableParallelism() : cpus().length
}

export async function runMany(scenarios: readonly Scenario[], opts: RunManyOptions = {}): Promise<SimResult[]> {
  const size = Math.max(1, Math.min(scenarios.length, opts.workers ?? coreCount()))
  const pool = new SimPool({ factory: opts.factory ?? nodeWorkerFactory, size })
  let done = 0
  try {
    const handles = scenarios.map((scenario, i) => pool.submit({ id: `job-${i}`, scenario }))
    const results: SimResult[] = new Array(scenarios.length)
    await Promise.all(handles.map(async (h, i) => {
      const o = await h.promise
      if (o.status !== 'done') throw new Error(`run ${i} (${scenarios[i].name ?? ''} ${scenarios[i].policy.id} seed ${scenarios[i].seed}) ${o.status}${o.status === 'failed' ? `: ${o.error.message}` : ''}`)
      results[i] = o.result
      opts.onDone?.(++done, scenarios.length, o.wallMs)
    }))
    return results
  } finally {
    await pool.close()
  }
}
