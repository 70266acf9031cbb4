/**
 * The message protocol between main and a simulation worker (Signal Desktop's MainSQL shape): requests
 * carry a `seq`, replies echo it. Workers never log by themselves: they post `log` messages.
 * Cancellation is a shared flag (SharedArrayBuffer) the engine polls, because a synchronous run never
 * yields to the worker's message loop.
 */
import type { Scenario } from '../../shared/scenario'
import type { SimResult } from '../../shared/result'
import type { IpcError } from '../../shared/ipc/define'

export type WorkerRequest = Readonly<
  | { type: 'start'; seq: number; scenario: Scenario; cancelFlag: SharedArrayBuffer; progressIntervalMs: number; trace?: { fromNs: number; toNs: number; maxRecords?: number; snapshot?: boolean } }
  /**
   * Cancel the run `seq`. The shared flag is what stops a running engine (its synchronous loop never
   * reads messages); this message covers a start still queued in the worker and keeps the protocol
   * explicit for hosts that cannot share memory.
   */
  | { type: 'cancel'; seq: number }
  | { type: 'dispose' }
>

export interface WorkerProgress {
  simulatedNs: number
  totalNs: number
  events: number
  /** Wall-clock ms since the run started in the worker. */
  elapsedMs: number
  /** Estimated wall-clock ms left, from the simulated-time rate so far. */
  etaMs: number
}

export type WorkerResponse = Readonly<
  | { type: 'progress'; seq: number; progress: WorkerProgress }
  | { type: 'result'; seq: number; result: SimResult; wallMs: number }
  | { type: 'error'; seq: number; error: IpcError; cancelled: boolean }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
>
