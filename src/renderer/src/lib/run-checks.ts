/**
 * Checks the Run and Layouts forms make before anything runs (pure): the simulated time in the unit
 * the field shows (ms, not the scenario's ns), and a warning for extreme over-commit.
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
