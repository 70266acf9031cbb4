/**
 * The smallest SimRunner: one fresh worker thread per run. Used by the foundation's quick run; the
 * experiment store's worker pool implements the same interface.
 */
import { Worker } from 'node:worker_threads'
import { join } from 'node:path'
import type { Scenario } from '../../shared/scenario'
import type { SimResult } from '../../shared/result'
import { fromIpcError } from '../../shared/ipc/define'
import type { WorkerProgress, WorkerRequest, WorkerResponse } from './protocol'

export type WorkerFactory = () => Worker

/** Under plain Node (CLI, tests, web harness) the worker is TypeScript loaded through tsx. */
export const nodeWorkerFactory: WorkerFactory = () => new Worker(join(__dirname, 'sim-worker.node.cjs'))

export interface RunHandle {
  promise: Promise<SimResult>
  cancel(): void
}

export function runInWorker(factory: WorkerFactory, scenario: Scenario, onProgress?: (p: WorkerProgress) => void): RunHandle {
  const worker = factory()
  const cancelFlag = new SharedArrayBuffer(4)
  const promise = new Promise<SimResult>((resolve, reject) => {
    worker.on('message', (msg: WorkerResponse) => {
      if (msg.type === 'progress') onProgress?.(msg.progress)
      else if (msg.type === 'result') resolve(msg.result)
      else if (msg.type === 'error') reject(fromIpcError(msg.error))
    })
    worker.on('error', reject)
    worker.on('exit', (code) => reject(new Error(`simulation worker exited with code ${code}`)))
  }).finally(() => void worker.terminate())
  const req: WorkerRequest = { type: 'start', seq: 1, scenario, cancelFlag, progressIntervalMs: 250 }
  worker.postMessage(req)
  return { promise, cancel: () => Atomics.store(new Int32Array(cancelFlag), 0, 1) }
}
