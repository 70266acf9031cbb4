/**
 * Worker-thread entry: runs one scenario at a time with the pure engine and reports progress at most
 * every `progressIntervalMs` of wall time. Loaded by electron-vite's `?nodeWorker` in the app and by
 * sim-worker.node.cjs (tsx) under plain Node.
 */
import { parentPort } from 'node:worker_threads'
import { runScenario, SimCancelledError } from '../../sim'
import { toIpcError } from '../../shared/ipc/define'
import type { WorkerRequest, WorkerResponse } from './protocol'

const port = parentPort
if (!port) throw new Error('sim-worker must run in a worker thread')

function post(msg: WorkerResponse): void {
  port!.postMessage(msg)
}

/** Runs cancelled before their start message was processed (see protocol.ts 'cancel'). */
const cancelledSeqs = new Set<number>()

port.on('message', (req: WorkerRequest) => {
  if (req.type === 'dispose') {
    port.close()
    return
  }
  if (req.type === 'cancel') {
    cancelledSeqs.add(req.seq)
    return
  }
  // seqs only grow: cancels of runs that already ended are dropped here.
  for (const seq of cancelledSeqs) if (seq < req.seq) cancelledSeqs.delete(seq)
  if (cancelledSeqs.delete(req.seq)) {
    post({ type: 'error', seq: req.seq, error: { name: 'SimCancelledError', message: 'simulation cancelled' }, cancelled: true })
    return
  }
  const flag = new Int32Array(req.cancelFlag)
  const started = Date.now()
  let lastReport = 0
  try {
    const result = runScenario(req.scenario, {
      trace: req.trace,
      // The engine calls back every N events; the wall-clock throttle below keeps messages at one per
      // progressIntervalMs while N stays small enough that a callback (and a cancel check) comes well
      // within 250 ms even for heavy scenarios.
      progressEveryEvents: 5_000,
      shouldCancel: () => Atomics.load(flag, 0) !== 0,
      onProgress: (p) => {
        const now = Date.now()
        if (now - lastReport < req.progressIntervalMs) return
        lastReport = now
        const elapsedMs = now - started
        const rate = p.simulatedNs > 0 ? elapsedMs / p.simulatedNs : 0
        post({ type: 'progress', seq: req.seq, progress: { ...p, elapsedMs, etaMs: Math.round(rate * (p.totalNs - p.simulatedNs)) } })
      }
    })
    post({ type: 'result', seq: req.seq, result, wallMs: Date.now() - started })
  } catch (err) {
    post({ type: 'error', seq: req.seq, error: toIpcError(err), cancelled: err instanceof SimCancelledError })
  }
})
