/**
 * Adapters from engine results to the builders' plain data: aggregate seeds into means with 95 %
 * confidence intervals, eCS/baseline ratios, preemption breakdowns, histograms and series.
 */
import { CS_KINDS, type SimResult } from '../result'
import { meanCi } from './common'
import { pairedRatioOf, ratioOfMeans } from '../stats'
import type { CommitSweepData, LockWaitData, PreemptionsData, RatioData, ThroughputData, TimeSeriesData } from './builders'

/** One finished run: its policy label and (a summary of) its result. */
export interface RunForFigure {
  policy: string
  /** The run's seed: ratios pair runs of the same seed when every run has one. */
  seed?: number
  result: Pick<SimResult, 'vms' | 'preemptions' | 'lockWaitHistogram' | 'measuredNs'>
}

function uniq<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)]
}

/** Throughput per VM and policy: mean ops/s over the runs (seeds) with its 95 % CI. */
export function throughputData(runs: readonly RunForFigure[], opts: { title?: string; perVcpu?: boolean } = {}): ThroughputData {
  const policies = uniq(runs.map((r) => r.policy))
  const vms = uniq(runs.flatMap((r) => r.result.vms.map((v) => v.name)))
  const cells: ThroughputData['cells'] = []
  for (const vm of vms) {
    for (const policy of policies) {
      const values = runs
        .filter((r) => r.policy === policy)
        .map((r) => r.result.vms.find((v) => v.name === vm))
        .filter((v) => v !== undefined)
        .map((v) => (opts.perVcpu ? v.opsPerVcpuPerSec : v.opsPerSec))
      if (!values.length) continue
      const m = meanCi(values)
      cells.push({ vm, policy, mean: m.mean, low: m.low, high: m.high, n: m.n })
    }
  }
  return { title: opts.title, vms, policies, cells, unit: opts.perVcpu ? 'throughput (ops/s per vCPU)' : 'throughput (ops/s)' }
}

/** Ratio of the means with its delta-method 95 % CI (shared/stats.ts ratioOfMeans), in the builders' shape. */
function meansRatio(num: readonly number[], den: readonly number[]): { ratio: number; low?: number; high?: number } {
  const r = ratioOfMeans(num, den)
  return Number.isFinite(r.low) ? { ratio: r.ratio, low: r.low, high: r.high } : { ratio: r.ratio }
}

/**
 * eCS / baseline per workload, paired by seed when the runs carry seeds (mean and CI of the per-seed
 * ratios), else the ratio of the means with a delta-method CI. `groups` maps a workload label to its runs (both policies); the ratio is
 * of total ops/s over the VMs running that workload (all VMs when the label is not a VM workload).
 */
export function ratioData(groups: Record<string, readonly RunForFigure[]>, policy: string, baseline: string, title?: string): RatioData {
  const rows: RatioData['rows'] = []
  for (const [workload, runs] of Object.entries(groups)) {
    const total = (r: RunForFigure) => {
      const vms = r.result.vms.filter((v) => v.workload === workload)
      return (vms.length ? vms : r.result.vms).reduce((s, v) => s + v.opsPerSec, 0)
    }
    const mine = runs.filter((r) => r.policy === policy)
    const base = runs.filter((r) => r.policy === baseline)
    if (!mine.length || !base.length) continue
    // paired by seed (as ecs-lab compare and the report) when every run has a seed and two pairs exist
    if ([...mine, ...base].every((r) => r.seed !== undefined)) {
      const p = pairedRatioOf(new Map(mine.map((r) => [r.seed!, total(r)])), new Map(base.map((r) => [r.seed!, total(r)])))
      if (p.n >= 2) {
        rows.push({ workload, ratio: p.mean, low: p.low, high: p.high })
        continue
      }
    }
    rows.push({ workload, ...meansRatio(mine.map(total), base.map(total)) })
  }
  return { title, rows, policy, baseline }
}

/**
 * Preemptions by critical-section kind, one stacked bar per policy (mean over seeds, per second of
 * measured time so runs of different lengths compare), plus 'outside CS'.
 */
export function preemptionsData(runs: readonly RunForFigure[], opts: { title?: string; perSecond?: boolean } = {}): PreemptionsData {
  const perSecond = opts.perSecond ?? true
  const groups = uniq(runs.map((r) => r.policy))
  const kinds = [...CS_KINDS, 'outside CS']
  const counts = groups.map((g) => {
    const rs = runs.filter((r) => r.policy === g)
    return kinds.map((k) => {
      const vals = rs.map((r) => {
        const p = r.result.preemptions
        const v = k === 'outside CS' ? p.total - p.inCriticalSection.total : p.inCriticalSection.byKind[k as (typeof CS_KINDS)[number]]
        return perSecond && r.result.measuredNs > 0 ? v / (r.result.measuredNs / 1e9) : v
      })
      return vals.reduce((a, b) => a + b, 0) / vals.length
    })
  })
  return { title: opts.title, groups, kinds, counts, unit: perSecond ? 'preemptions per second' : 'preemptions' }
}

/** Lock-wait histogram per policy: buckets summed over the policy's runs. */
export function lockWaitData(runs: readonly RunForFigure[], opts: { title?: string; normalize?: boolean } = {}): LockWaitData {
  const policies = uniq(runs.map((r) => r.policy))
  return {
    title: opts.title,
    normalize: opts.normalize,
    series: policies.map((p) => {
      const buckets: number[] = []
      for (const r of runs.filter((x) => x.policy === p)) {
        r.result.lockWaitHistogram.buckets.forEach((v, i) => (buckets[i] = (buckets[i] ?? 0) + v))
      }
      return { name: p, buckets: Array.from(buckets, (v) => v ?? 0) }
    })
  }
}

export type SeriesMetric = 'ops' | 'preemptions' | 'inCsPreemptions'

const METRIC_LABEL: Record<SeriesMetric, string> = { ops: 'throughput (ops/s)', preemptions: 'preemptions per second', inCsPreemptions: 'in-CS preemptions per second' }

/** Per-VM time series of one run (SimResult.series), as rates per second of simulated time. */
export function timeSeriesData(
  series: { intervalNs: number; t: number[]; perVm: { name: string; ops?: number[]; preemptions?: number[]; inCsPreemptions?: number[] }[] },
  metric: SeriesMetric = 'ops',
  opts: { title?: string; warmupNs?: number; label?: (vm: string) => string } = {}
): TimeSeriesData {
  const perSec = 1e9 / series.intervalNs
  return {
    title: opts.title,
    t: series.t,
    warmupNs: opts.warmupNs,
    yName: METRIC_LABEL[metric],
    series: series.perVm.map((v) => ({ name: opts.label ? opts.label(v.name) : v.name, values: (v[metric] ?? []).map((x) => x * perSec) }))
  }
}

/** Ratio vs commit level: for each series, commit ratio -> (policy runs, baseline runs). */
export function commitSweepData(
  sweeps: { name: string; levels: { commit: number; policy: readonly number[]; baseline: readonly number[] }[] }[],
  title?: string
): CommitSweepData {
  return {
    title,
    series: sweeps.map((s) => ({ name: s.name, points: s.levels.map((l) => ({ commit: l.commit, ...meansRatio(l.policy, l.baseline) })) }))
  }
}
