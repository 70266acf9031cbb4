/**
 * Figures for eCS Lab, shared by the app (vue-echarts) and `ecs-lab figure` (ECharts server-side SVG +
 * resvg / jspdf): the same data and style give the same option, so both draw the same figure.
 *
 *   import { buildFigure, figureStyle } from '../shared/charts'
 *   const { option, csv } = buildFigure('throughput', throughputData(runs), figureStyle('paper-1col'))
 *
 * `option` is a plain ECharts option (custom series carry a renderItem function, so it is not JSON:
 * build it where it is rendered). `csv` is exactly the plotted data.
 */
import {
  commitSweepFigure,
  lockWaitFigure,
  preemptionsFigure,
  ratioFigure,
  throughputFigure,
  timeSeriesFigure,
  type CommitSweepData,
  type LockWaitData,
  type PreemptionsData,
  type RatioData,
  type ThroughputData,
  type TimeSeriesData
} from './builders'
import type { Figure } from './common'
import { figureStyle, type FigureStyle, type StylePreset } from './style'

export * from './style'
export * from './common'
export * from './builders'
export * from './from-results'

export interface FigureDataMap {
  /** Throughput per VM and policy with 95 % CI whiskers. */
  throughput: ThroughputData
  /** eCS / baseline ratio per workload, reference line at 1. */
  ratio: RatioData
  /** Preemptions by critical-section kind, stacked per group. */
  preemptions: PreemptionsData
  /** Lock wait time, log2 histogram. */
  'lock-wait': LockWaitData
  /** A metric over simulated time, one line per VM. */
  'time-series': TimeSeriesData
  /** eCS / baseline ratio vs commit level (under- to over-committed). */
  'commit-sweep': CommitSweepData
}

export type FigureKind = keyof FigureDataMap

export const FIGURE_KINDS: Record<FigureKind, { title: string; description: string }> = {
  throughput: { title: 'Throughput per VM and policy', description: 'mean ops/s per VM for each policy, whiskers = 95 % CI over seeds' },
  ratio: { title: 'eCS / baseline ratio per workload', description: 'speed-up of a policy over the baseline per workload, dashed line = 1' },
  preemptions: { title: 'Preemptions by critical-section kind', description: 'host preemptions of vCPUs, stacked by the critical section the guest held' },
  'lock-wait': { title: 'Lock wait time distribution', description: 'log2 histogram of lock acquire latency per policy' },
  'time-series': { title: 'Time series over simulated time', description: 'per-VM rate over simulated time, warm-up shaded' },
  'commit-sweep': { title: 'Ratio vs commit level', description: 'speed-up vs commit ratio (total vCPUs / pCPUs), dashed line = 1' }
}

const BUILDERS: { [K in FigureKind]: (data: FigureDataMap[K], style: FigureStyle) => Figure } = {
  throughput: throughputFigure,
  ratio: ratioFigure,
  preemptions: preemptionsFigure,
  'lock-wait': lockWaitFigure,
  'time-series': timeSeriesFigure,
  'commit-sweep': commitSweepFigure
}

export function isFigureKind(k: string): k is FigureKind {
  return Object.prototype.hasOwnProperty.call(BUILDERS, k)
}

/** The single entry point: kind + plain data + style (or a preset name) -> {option, csv}. */
export function buildFigure<K extends FigureKind>(kind: K, data: FigureDataMap[K], style: FigureStyle | StylePreset = 'paper-1col'): Figure {
  const builder = BUILDERS[kind] as ((d: FigureDataMap[K], s: FigureStyle) => Figure) | undefined
  if (!builder) throw new Error(`unknown figure kind ${String(kind)}; expected one of ${Object.keys(BUILDERS).join(', ')}`)
  return builder(data, typeof style === 'string' ? figureStyle(style) : style)
}

export * from './png'
export * from './foreign'
