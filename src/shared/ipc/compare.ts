/**
 * Comparisons: group finished runs by scenario label, sweep point and policy, and aggregate each
 * metric over seeds (mean, standard deviation, min, max). Starting a comparison is `runs:start`
 * with several policies; this domain reads the results side by side.
 */
import { z } from 'zod'
import { invoke } from './define'
import { runId } from './runs'

export const comparisonSelection = z.object({
  runIds: z.array(runId).min(1).max(10_000).optional(),
  campaignId: z.string().regex(/^[0-9a-f]{16}$/).optional(),
  /** Metric names to aggregate (default: a headline set). */
  metrics: z.array(z.string().min(1).max(200)).max(100).optional(),
  /** Policy whose group mean the others are divided by (`ratio` in each cell). */
  baselinePolicy: z.string().min(1).max(64).optional()
}).strict().refine((s) => (s.runIds ? 1 : 0) + (s.campaignId ? 1 : 0) === 1, { message: 'give exactly one of runIds or campaignId' })

export interface MetricStats {
  n: number
  mean: number
  stdev: number
  min: number
  max: number
  /** 95 % confidence interval of the mean over seeds (Student t; = mean when n < 2), as src/sim/analysis/compare.ts statOf. */
  ciLow?: number
  ciHigh?: number
  /**
   * Ratio to the baseline policy in the same scenario and sweep point, when one was asked for: the mean
   * of the per-seed ratios when the two share at least two seeds ('paired', as `ecs-lab compare`), else
   * mean / mean ('means').
   */
  ratio: number | null
  /** 95 % CI of the paired ratio (Student t over seeds); absent for 'means'. */
  ratioCiLow?: number
  ratioCiHigh?: number
  ratioMethod?: 'paired' | 'means'
}

export interface ComparisonGroup {
  /** Scenario label + sweep point, identical for the policies being compared. */
  point: string
  label: string
  params: Record<string, unknown>
  policy: string
  runIds: string[]
  metrics: Record<string, MetricStats>
}

export interface Comparison {
  metricNames: string[]
  policies: string[]
  points: string[]
  groups: ComparisonGroup[]
}

export interface ComparisonSeries {
  intervalNs: number
  /** One line per (run, VM, series name). */
  lines: { runId: string; label: string; policy: string; seed: number; vm: string; name: string; t: number[]; values: number[] }[]
}

export const compareChannels = {
  'compare:summary': invoke<Comparison>()(z.tuple([comparisonSelection])),
  'compare:series': invoke<ComparisonSeries>()(z.tuple([z.array(runId).min(1).max(200), z.array(z.string().min(1).max(64)).max(10).optional()]))
} as const
