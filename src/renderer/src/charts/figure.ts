/**
 * What each chart hands to figure export: the `{kind, data}` of the shared paper-figure builders
 * (src/shared/charts, also used by `ecs-lab figure`, so the exported figure is the one the command
 * line draws) built from the same runs the screen chart shows. Charts that have no shared builder
 * (compare metrics, parallel coordinates) export their screen option instead.
 */
import { commitSweepData, lockWaitData, preemptionsData, ratioData, throughputData, type FigureDataMap, type FigureKind, type RunForFigure } from '../../../shared/charts'
import type { SweepPoint } from './sweep'
import type { TimeLine } from './time-series'

export type FigureSpec = { [K in FigureKind]: { kind: K; data: FigureDataMap[K] } }[FigureKind]

export function throughputFigureSpec(runs: readonly RunForFigure[], title?: string): FigureSpec {
  return { kind: 'throughput', data: throughputData(runs, { title }) }
}

/** Ratio per workload of `policy` over `baseline` (each distinct VM workload is a group). */
export function ratioFigureSpec(runs: readonly RunForFigure[], policy: string, baseline: string, title?: string): FigureSpec {
  const workloads = [...new Set(runs.flatMap((r) => r.result.vms.map((v) => v.workload)))]
  return { kind: 'ratio', data: ratioData(Object.fromEntries(workloads.map((w) => [w, runs])), policy, baseline, title) }
}

export function preemptionsFigureSpec(runs: readonly RunForFigure[], title?: string): FigureSpec {
  return { kind: 'preemptions', data: preemptionsData(runs, { title }) }
}

export function lockWaitFigureSpec(runs: readonly RunForFigure[], title?: string): FigureSpec {
  return { kind: 'lock-wait', data: lockWaitData(runs, { title, normalize: true }) }
}

/** Lines sharing one time axis (the first line's) as a time-series figure. */
export function timeSeriesFigureSpec(lines: readonly TimeLine[], yName: string, warmupNs?: number, title?: string): FigureSpec {
  return { kind: 'time-series', data: { title, t: [...(lines[0]?.t ?? [])], yName, warmupNs, series: lines.map((l) => ({ name: l.name, values: [...l.values] })) } }
}

/** Ratio vs commit level from the sweep's points (means; no CI). */
export function commitSweepFigureSpec(points: readonly SweepPoint[], baseline: string, title?: string): FigureSpec {
  const policies = [...new Set(points.map((p) => p.policy))]
  const data = commitSweepData(policies.map((p) => ({ name: `${p} / ${baseline}`, levels: [] })), title)
  data.series = policies.map((p) => ({ name: `${p} / ${baseline}`, points: points.filter((x) => x.policy === p).map((x) => ({ commit: x.commitRatio, ratio: x.ratio, ...(x.ci95 !== undefined && Number.isFinite(x.ci95) ? { low: x.ratio - x.ci95, high: x.ratio + x.ci95 } : {}) })) }))
  return { kind: 'commit-sweep', data }
}
