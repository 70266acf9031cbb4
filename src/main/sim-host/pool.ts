/**
 * A pool of simulation worker threads owned by main (Signal Desktop's MainSQL shape, one queue).
 *
 * - Size: cores - 1 by default, at least 1. Workers are long-lived and run one scenario at a time.
 * - Progress: the worker reports at most every `progressIntervalMs` (250 ms) of wall time with
 *   simulated time, events and an ETA; the pool forwards it with the slot number.
 * - Cancel: a queued job is dropped at once; a running job gets its shared cancel flag set (the engine
 *   polls it) and, if it has not stopped after `cancelGraceMs` (default 800 ms), its worker is
 *   terminated and replaced, so a cancel always ends the run within a second.
 * - Crashes: a worker that throws outside the engine or exits fails only the job it was running (the
 *   error is reported to the caller) and is replaced by a fresh worker.
 *
 * Every job's promise resolves (never rejects) to an outcome; callers store it.
 */
import { availableParallelism, cpus } from 'node:os'
import type { Worker } from 'node:worker_threads'
import type { Scenario } from '../../shared/scenario'
import type { SimResult } from '../../shared/result'
import type { IpcError } from '../../shared/ipc/define'
import type { WorkerFactory } from './one-shot'
import type { WorkerProgress, WorkerRequest, WorkerResponse } from './protocol'

export type PoolOutcome =
  | { status: 'done'; result: SimResult; wallMs: number; worker: number }
  | { status: 'failed'; error: IpcError; wallMs: number; worker: number | null }
  | { status: 'cancelled'; wallMs: number; worker: number | null }

export interface PoolJob {
  /** Caller's id (run id); used in logs. */
  id: string
  scenario: Scenario
  trace?: { fromNs: number; toNs: number; maxRecords?: number; snapshot?: boolean }
  onStart?(worker: number): void
  onProgress?(progress: WorkerProgress, worker: number): void
}

export interface PoolHandle {
  id: string
  promise: Promise<PoolOutcome>
  cancel(): void
}

export interface PoolOptions {
  factory: WorkerFactory
  size?: number
  progressIntervalMs?: number
  cancelGraceMs?: number
  log?(level: 'info' | 'warn' | 'error', message: string): void
}

export function defaultPoolSize(): number {
  const cores = typeof availableParallelism === 'function' ? availableParallelism() : cpus().length
  return Math.max(1, cores - 1)
}

interface Pending {
  job: PoolJob
  seq: number
  resolve(o: PoolOutcome): void
  cancelled: boolean
  startedAt: number
  cancelFlag?: SharedArrayBuffer
  cancelTimer?: NodeJS.Timeout
}

interface Slot {
  index: number
  worker: Worker
  current?: Pending
  /** Set when the pool itself terminates the worker (cancel timeout, close). */
  retiring: boolean
  lastError?: Error
}

export class SimPool {
  readonly size: number
  private readonly opts: Required<Omit<PoolOptions, 'size' | 'log'>> & Pick<PoolOptions, 'log'>
  /** Worker slots by index; an empty slot is (re)spawned when there is work for it. */
  private readonly slots: (Slot | undefined)[] = []
  private readonly queue: Pending[] = []
  private seq = 0
  private closed = false

  constructor(opts: PoolOptions) {
    const size = opts.size ?? defaultPoolSize()
    if (!Number.isInteger(size) || size < 1 || size > 1024) throw new Error(`pool size must be an integer between 1 and 1024, got ${size}`)
    this.size = size
    this.opts = { progressIntervalMs: 250, cancelGraceMs: 800, ...opts }
  }

  /** Jobs waiting for a worker. */
  get queued(): number {
    return this.queue.length
  }

  /** Jobs running now. */
  get running(): number {
    return this.slots.filter((s) => s?.current).length
  }

  submit(job: PoolJob): PoolHandle {
    if (this.closed) throw new Error('the simulation pool is closed')
    let pending!: Pending
    const promise = new Promise<PoolOutcome>((resolve) => {
      pending = { job, seq: ++this.seq, resolve, cancelled: false, startedAt: Date.now() }
    })
    this.queue.push(pending)
    this.pump()
    return { id: job.id, promise, cancel: () => this.cancel(pending) }
  }

  /** Terminates every worker; queued and running jobs end 'cancelled'. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const p of this.queue.splice(0)) p.resolve({ status: 'cancelled', wallMs: 0, worker: null })
    await Promise.all(
      this.slots.filter((s): s is Slot => s !== undefined).map(async (slot) => {
        slot.retiring = true
        const cur = slot.current
        slot.current = undefined
        if (cur) this.settle(cur, { status: 'cancelled', wallMs: Date.now() - cur.startedAt, worker: slot.index })
        await slot.worker.terminate()
      })
    )
  }

  private cancel(p: Pending): void {
    if (p.cancelled) return
    p.cancelled = true
    const qi = this.queue.indexOf(p)
    if (qi >= 0) {
      this.queue.splice(qi, 1)
      p.resolve({ status: 'cancelled', wallMs: 0, worker: null })
      return
    }
    const slot = this.slots.find((s) => s?.current === p)
    if (!slot || !p.cancelFlag) return
    Atomics.store(new Int32Array(p.cancelFlag), 0, 1)
    const cancelMsg: WorkerRequest = { type: 'cancel', seq: p.seq }
    slot.worker.postMessage(cancelMsg)
    p.cancelTimer = setTimeout(() => {
      if (slot.current !== p) return
      this.opts.log?.('warn', `run ${p.job.id}: worker ${slot.index} did not stop within ${this.opts.cancelGraceMs} ms of cancel; terminating it`)
      slot.current = undefined
      this.settle(p, { status: 'cancelled', wallMs: Date.now() - p.startedAt, worker: slot.index })
      this.replace(slot)
    }, this.opts.cancelGraceMs)
  }

  private settle(p: Pending, outcome: PoolOutcome): void {
    if (p.cancelTimer) clearTimeout(p.cancelTimer)
    p.resolve(outcome)
  }

  private pump(): void {
    if (this.closed) return
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s !== undefined && !s.current && !s.retiring)
      if (!slot) {
        let free = this.slots.findIndex((s) => s === undefined)
        if (free < 0 && this.slots.length < this.size) free = this.slots.length
        if (free < 0) return
        slot = this.spawn(free)
      }
      this.startOn(slot, this.queue.shift()!)
    }
  }

  private spawn(index: number): Slot {
    const slot: Slot = { index, worker: this.opts.factory(), retiring: false }
    this.slots[index] = slot
    this.attach(slot)
    return slot
  }

  private attach(slot: Slot): void {
    const { worker } = slot
    worker.on('message', (msg: WorkerResponse) => this.onMessage(slot, worker, msg))
    worker.on('error', (err) => {
      if (slot.worker === worker) slot.lastError = err
    })
    worker.on('exit', (code) => {
      if (slot.worker !== worker || slot.retiring || this.closed) return
      const cur = slot.current
      slot.current = undefined
      const reason = slot.lastError ? `${slot.lastError.name}: ${slot.lastError.message}` : `the simulation worker exited with code ${code}`
      this.opts.log?.('error', `worker ${slot.index} died${cur ? ` while running ${cur.job.id}` : ''}: ${reason}`)
      if (!cur) {
        // Died idle (e.g. failed while loading): no respawn loop; the slot is refilled when work arrives.
        slot.retiring = true
        this.slots[slot.index] = undefined
        return
      }
      this.settle(cur, {
        status: cur.cancelled ? 'cancelled' : 'failed',
        error: { name: slot.lastError?.name ?? 'WorkerCrash', message: `simulation worker crashed: ${reason}`, code: 'worker-crash' },
        wallMs: Date.now() - cur.startedAt,
        worker: slot.index
      } as PoolOutcome)
      this.replace(slot)
    })
  }

  private replace(slot: Slot): void {
    const old = slot.worker
    slot.retiring = true
    void old.terminate()
    if (this.closed) return
    const fresh: Slot = { index: slot.index, worker: this.opts.factory(), retiring: false }
    this.slots[slot.index] = fresh
    this.attach(fresh)
    this.pump()
  }

  private startOn(slot: Slot, p: Pending): void {
    slot.current = p
    p.startedAt = Date.now()
    p.cancelFlag = new SharedArrayBuffer(4)
    const req: WorkerRequest = {
      type: 'start',
      seq: p.seq,
      scenario: p.job.scenario,
      cancelFlag: p.cancelFlag,
      progressIntervalMs: this.opts.progressIntervalMs,
      ...(p.job.trace ? { trace: p.job.trace } : {})
    }
    try {
      p.job.onStart?.(slot.index)
    } catch (err) {
      this.opts.log?.('warn', `onStart hook failed: ${(err as Error).message}`)
    }
    slot.worker.postMessage(req)
  }

  private onMessage(slot: Slot, worker: Worker, msg: WorkerResponse): void {
    if (slot.worker !== worker) return
    if (msg.type === 'log') {
      this.opts.log?.(msg.level, `worker ${slot.index}: ${msg.message}`)
      return
    }
    const cur = slot.current
    if (!cur || msg.seq !== cur.seq) return
    if (msg.type === 'progress') {
      try {
        cur.job.onProgress?.(msg.progress, slot.index)
      } catch (err) {
        this.opts.log?.('warn', `onProgress hook failed: ${(err as Error).message}`)
      }
      return
    }
    slot.current = undefined
    const wallMs = Date.now() - cur.startedAt
    if (msg.type === 'result') this.settle(cur, { status: 'done', result: msg.result, wallMs: msg.wallMs ?? wallMs, worker: slot.index })
    else if (msg.cancelled || cur.cancelled) this.settle(cur, { status: 'cancelled', wallMs, worker: slot.index })
    else this.settle(cur, { status: 'failed', error: msg.error, wallMs, worker: slot.index })
    this.pump()
  }
}
