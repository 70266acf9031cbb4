/**
 * Checks the Run and Layouts forms make before anything runs (pure): the simulated time and the
 * warm-up in the unit the fields show (ms, not the scenario's ns), the Run form's default warm-up,
 * and a warning for extreme over-commit.
 */
import { MAX_DURATION_NS } from '../../../shared/scenario'

/** The scenario's lower bound on durationNs (shared/scenario: ns(1_000, ...)). */
export const MIN_DURATION_NS = 1_000

/** Above this many vCPUs per pCPU a run is dominated by run-queue waits (and slow): warn first. */
export const OVERCOMMIT_WARN_RATIO = 8

const ms = (ns: number) => (ns / 1e6).toLocaleString('en-US', { maximumFractionDigits: 6 })

/** The Simulated time field's error, in ms; null when empty (= the layout's own) or valid. */
export function durationError(durationNs: number | null | undefined): string | null {
  if (durationNs === null || durationNs === undefined) return null
  if (!Number.isFinite(durationNs)) return 'Simulated time: enter a number of ms'
  if (durationNs < MIN_DURATION_NS || durationNs > MAX_DURATION_NS) return `Simulated time must be between ${ms(MIN_DURATION_NS)} ms and ${ms(MAX_DURATION_NS)} ms (got ${ms(durationNs)} ms)`
  return null
}

/** A warning for extreme over-commit (null below OVERCOMMIT_WARN_RATIO vCPUs per pCPU). */
export function overcommitWarning(ratio: number): string | null {
  if (!Number.isFinite(ratio) || ratio <= OVERCOMMIT_WARN_RATIO) return null
  return `${ratio.toFixed(ratio >= 10 ? 0 : 1)}× over-commit: more than ${OVERCOMMIT_WARN_RATIO} vCPUs per pCPU. The paper's hosts are at most 2× over-committed (4× with stress); at this ratio each vCPU waits most of the time, results say little about eCS, and a run takes far longer. Check the vCPU and pCPU counts.`
}

/**
 * The Run form's default warm-up: how long the start-up transient of the built-in presets lasts, rounded
 * up. Measured by `npx tsx bench/warmup-transient.ts` (default staggered start, total ops per 1-ms sample
 * averaged over seeds, 5-ms blocks within ±5 % of the second half's mean, engine 0.7.0): quick and
 * undercommit-1x have no transient (0 ms); the 80-pCPU over-committed presets start ~5-18 % above their
 * steady level for 5 ms, dip 5-12 % below it and climb back: settled at 15 ms (1.5x), 40-50 ms (2x),
 * 5 ms (2x-mixed), 80-90 ms (3x), 120 ms (4x, 400-ms runs). The engine's own default, min(50 ms, 10 %),
 * cuts too little of 3x and 4x.
 */
export const FORM_WARMUP_NS = 120_000_000

/**
 * The Run form's default warm-up: long enough for the start-up transient of every built-in preset
 * (measured by bench/warmup-transient.ts: see FORM_WARMUP_NS), but at most half the run so a short
 * run keeps a measured window. The engine's own default (min(50 ms, 10 % of the run)) cuts too little
 * of runs shorter than FORM_WARMUP_NS / 10 %.
 */
export function defaultWarmupNs(durationNs: number): number {
  return Math.min(FORM_WARMUP_NS, Math.floor(durationNs / 2))
}

/** The Warm-up field's error, in ms, against the run's simulated time; null when empty (= default) or valid. */
export function warmupError(warmupNs: number | null | undefined, durationNs: number | null | undefined): string | null {
  if (warmupNs === null || warmupNs === undefined) return null
  if (!Number.isFinite(warmupNs)) return 'Warm-up: enter a number of ms'
  const limit = durationNs !== null && durationNs !== undefined && Number.isFinite(durationNs) ? durationNs : null
  if (warmupNs < 0 || (limit !== null && warmupNs >= limit)) {
    return `Warm-up must be at least 0 ms and less than the simulated time: 0 ≤ warm-up < ${limit !== null ? `${ms(limit)} ms` : 'the simulated time'} (got ${ms(warmupNs)} ms)`
  }
  return null
}
