/**
 * Trace windows for the timeline screen. Traces are not stored with runs (they are large), so a
 * window is captured on demand: the run's scenario (a stored run, a preset or an inline scenario) is
 * simulated again in a worker up to the window's end with the engine's bounded tracer on. The engine
 * is deterministic, so a stored run's window is exactly what that run did.
 */
import { z } from 'zod'
import { invoke } from './define'
import { runId } from './runs'
import type { TraceRecord } from '../result'

/** Widest window a capture may ask for (the timeline draws every record). */
export const MAX_TRACE_WINDOW_NS = 100_000_000
export const MAX_TRACE_RECORDS = 500_000

export const traceSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('run'), runId }).strict(),
  z.object({
    kind: z.literal('preset'),
    preset: z.string().min(1).max(64),
    policy: z.string().min(1).max(64).optional(),
    seed: z.number().int().min(0).max(0xffffffff).optional()
  }).strict(),
  z.object({ kind: z.literal('scenario'), scenario: z.record(z.string(), z.json()), label: z.string().min(1).max(200).optional() }).strict()
])
export type TraceSource = z.infer<typeof traceSourceSchema>

export const traceCaptureArgs = z.object({
  source: traceSourceSchema,
  fromNs: z.number().int().min(0),
  toNs: z.number().int().min(1),
  maxRecords: z.number().int().min(1).max(MAX_TRACE_RECORDS).default(200_000)
}).strict()
  .refine((a) => a.toNs > a.fromNs, { message: 'toNs must be after fromNs', path: ['toNs'] })
  .refine((a) => a.toNs - a.fromNs <= MAX_TRACE_WINDOW_NS, { message: `a trace window is at most ${MAX_TRACE_WINDOW_NS / 1e6} ms`, path: ['toNs'] })
export type TraceCaptureArgs = z.input<typeof traceCaptureArgs>

export interface TraceCapture {
  /** Stored run id when captured from one. */
  runId: string | null
  label: string
  policy: string
  seed: number
  engineVersion: string
  pcpus: number
  vms: { name: string; vcpus: number; workload: string }[]
  /** The scenario's full length and warm-up (the window may be clamped to the length). */
  durationNs: number
  warmupNs: number
  fromNs: number
  toNs: number
  /**
   * Records not kept because the buffer (maxRecords) was full: they are the window's end, from
   * fullAtNs on (the window's start is complete: a snapshot of every lane's state at fromNs, kind
   * `state`, then every record up to fullAtNs).
   */
  dropped: number
  /** Where the buffer filled: [fullAtNs, toNs) has no data (null: the whole window is complete). */
  fullAtNs: number | null
  /** Records per ms of simulated time in this capture (snapshot excluded): sizes the next window. */
  recordsPerMs: number
  records: TraceRecord[]
  wallMs: number
}

export const traceChannels = {
  /** Simulates the source up to `toNs` with tracing on and returns the window's records. */
  'trace:capture': invoke<TraceCapture>()(z.tuple([traceCaptureArgs])),
  /** Cancels every capture in flight (each ends with a 'cancelled' error within a second). */
  'trace:cancel': invoke<{ cancelled: number }>()(z.tuple([]))
} as const
