/**
 * Public API of the simulation engine (pure TypeScript: no Node, DOM, timers or ambient randomness).
 * Used by the main-process worker pool, the CLI and tests:
 *
 *   resolveScenario(input) -> Scenario      validate + defaults (or { preset, ...overrides })
 *   runScenario(scenario, opts) -> SimResult synchronous and deterministic for (scenario, seed)
 *   listPresets() -> PresetCatalog          built-in scenarios, workloads, policies
 */
import type { PresetCatalog, Scenario } from '../shared/scenario'
import type { SimResult } from '../shared/result'
import { scenarioCatalog } from './scenario/presets'
import { workloadCatalog } from './workloads/index'
import { listPolicies } from './policies/registry'
import { Simulation } from './engine'

export { resolveScenario, mergeOverrides } from './scenario/resolve'
export { findScenarioPreset } from './scenario/presets'
export { ScenarioError } from '../shared/scenario'
export { SimStallError } from './core/assert'
export type { Scenario, ScenarioInput, PresetCatalog } from '../shared/scenario'
export type { SimResult } from '../shared/result'
export { compareScenario, planComparison, summariseComparison, runMetrics, statOf, seedList, toRef, fairShares } from './analysis/compare'
export type { ComparisonResult, ComparisonJob, PolicySummary, PolicyRef, Stat } from './analysis/compare'
export { buildMatrix, matrixRuns, fullConfig, quickConfig, ABUSIVE_WORKLOAD, KERNEL_WORKLOADS } from './reproduce/matrix'
export type { ReproduceConfig, MatrixPoint } from './reproduce/matrix'
export { buildReport } from './reproduce/report'
export { compareSummaries, summaryDiffMarkdown, ReproduceSummarySchema } from './reproduce/summary-diff'
export type { ReproduceSummaryFile, SummaryDiff } from './reproduce/summary-diff'
export type { Report, ReportFigure, ReportInput, PointResult, ReportSummary } from './reproduce/report'
export { listPolicies, findPolicy } from './policies/registry'

/** Bump when results would change for the same scenario + seed. */
export const ENGINE_VERSION = '0.9.0'

export interface RunOptions {
  /** Called every `progressEveryEvents` events (default 200_000). */
  onProgress?: (p: { simulatedNs: number; totalNs: number; events: number }) => void
  progressEveryEvents?: number
  /** Polled with onProgress; when it returns true the run throws SimCancelledError. */
  shouldCancel?: () => boolean
  /**
   * Bounded scheduling trace of [fromNs, toNs) into result.trace: a ring buffer of the last maxRecords
   * (default 100_000); with `snapshot`, the state at fromNs (`state` records) and the first maxRecords
   * (result.trace.fullAtNs marks where the buffer filled). See core/trace.ts.
   */
  trace?: { fromNs: number; toNs: number; maxRecords?: number; snapshot?: boolean }
}

export class SimCancelledError extends Error {
  constructor() {
    super('simulation cancelled')
    this.name = 'SimCancelledError'
  }
}

export function listPresets(): PresetCatalog {
  return {
    scenarios: scenarioCatalog(),
    workloads: workloadCatalog(),
    policies: listPolicies().map((p) => ({ id: p.id, title: p.title, description: p.description }))
  }
}

/** Run a resolved scenario to completion. Synchronous, pure: same scenario + seed => identical result. */
export function runScenario(s: Scenario, opts: RunOptions = {}): SimResult {
  const sim = new Simulation(s, ENGINE_VERSION, opts.trace)
  const every = Math.max(1, Math.floor(opts.progressEveryEvents ?? 200_000))
  let cancelled = false
  sim.run(every, () => {
    opts.onProgress?.({ simulatedNs: sim.now, totalNs: s.durationNs, events: sim.events })
    if (opts.shouldCancel?.()) {
      cancelled = true
      return true
    }
    return false
  })
  if (cancelled) throw new SimCancelledError()
  opts.onProgress?.({ simulatedNs: sim.now, totalNs: s.durationNs, events: sim.events })
  return sim.result()
}
