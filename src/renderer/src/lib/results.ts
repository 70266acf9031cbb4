/**
 * Results of one batch (a layout x policies x seeds) side by side (pure): throughput per VM and
 * policy with 95% confidence intervals over seeds, the policy/baseline ratio, preemptions by
 * critical-section kind and the lock wait distribution.
 */
import { CS_KINDS, type CsKind } from '../../../shared/result'
import type { RunResultSummary } from '../../../shared/ipc/runs'
import { summarize, type Summary } from './stats'
import { pairedRatioOf, ratioOfMeans } from '../../../shared/stats'

/** The part of a stored run this module reads. */
export interface RunForAggregate {
  id: string
  policy: string
  /**
   * The variant label (`ecs {vetoCap: 4}`, RunSummary.policyLabel): runs are grouped by it, so the same
   * policy id with different parameters is aggregated separately. Default: `policy`.
   */
  policyLabel?: string
  seed: number
  result: RunResultSummary | null
}

export const TOTAL_VM = 'all VMs'

export interface ThroughputCell {
  policy: string
  vm: string
  /** ops/s over seeds. */
  summary: Summary
}

export interface RatioCell {
  policy: string
  vm: string
  ratio: number
  /**
   * Half-width of the 95% CI of the ratio, NaN if unknown. Paired by seed (mean and Student-t CI of
   * policy(seed) / baseline(seed), as `ecs-lab compare` and the report compute it) when both policies ran
   * at least two common seeds; otherwise ratio of means with a delta-method half-width (shared/stats.ts ratioOfMeans).
   */
  ci95: number
  /**
   * The 95 % CI's bounds (NaN if unknown): ratio ± ci95 when paired; the delta-method interval of the
   * ratio of means otherwise. The same computation for every VM and for all VMs together.
   */
  low: number
  high: number
  /** 'paired': per-seed ratios; 'means': ratio of the means. */
  method: 'paired' | 'means'
}

export interface PreemptionRow {
  policy: string
  /** Means over seeds. */
  total: number
  inCs: number
  lockHolder: number
  lockWaiter: number
  byKind: Record<CsKind, number>
  /** In-CS preemptions decided by the tick (counter preempt.inCsTick): the only path the eCS veto acts on. */
  inCsTick: number
  /**
   * The regime the runs were in (means over seeds): share of pCPU time busy (from pcpuBusyNs /
   * pcpuIdleNs), and, when the engine reports result.regime, the share of ticks with more than one
   * runnable vCPU on the pCPU.
   */
  pcpuBusyShare: number
  multiRunnableTickShare: number | null
}

export interface LockWaitRow {
  policy: string
  /** Summed over seeds. */
  buckets: number[]
}

export interface BatchAggregate {
  /** Policy variant labels (the `policy` of every cell and row), the baseline first. */
  policies: string[]
  baseline: string | null
  vms: string[]
  seeds: number[]
  throughput: ThroughputCell[]
  ratios: RatioCell[]
  preemptions: PreemptionRow[]
  lockWait: LockWaitRow[]
}

/** The baseline among `policies`: `preferred` if present, else 'kvm', else the first. */
export function pickBaseline(policies: readonly string[], preferred?: string | null): string | null {
  if (preferred && policies.includes(preferred)) return preferred
  if (policies.includes('kvm')) return 'kvm'
  return policies[0] ?? null
}

export function aggregateRuns(runs: readonly RunForAggregate[], preferredBaseline?: string | null): BatchAggregate {
  const done = runs.filter((r) => r.result !== null).map((r) => ({ ...r, policy: r.policyLabel ?? r.policy }))
  const seen = [...new Set(done.map((r) => r.policy))]
  const baseline = pickBaseline(seen, preferredBaseline)
  // the baseline always comes first (bars, legends, tables)
  const policies = baseline ? [baseline, ...seen.filter((p) => p !== baseline)] : seen
  const vms = [...new Set(done.flatMap((r) => r.result!.vms.map((v) => v.name)))]
  const seeds = [...new Set(done.map((r) => r.seed))].sort((a, b) => a - b)
  const byPolicy = new Map<string, RunResultSummary[]>()
  const bySeed = new Map<string, Map<number, RunResultSummary>>()
  for (const r of done) {
    const list = byPolicy.get(r.policy) ?? []
    list.push(r.result!)
    byPolicy.set(r.policy, list)
    const m = bySeed.get(r.policy) ?? new Map<number, RunResultSummary>()
    m.set(r.seed, r.result!)
    bySeed.set(r.policy, m)
  }
  const opsOf = (res: RunResultSummary, vm: string) =>
    vm === TOTAL_VM ? res.vms.reduce((a, v) => a + v.opsPerSec, 0) : (res.vms.find((v) => v.name === vm)?.opsPerSec ?? NaN)
  const seedOps = (policy: string, vm: string) => new Map([...bySeed.get(policy)!].map(([seed, res]) => [seed, opsOf(res, vm)]))

  const throughput: ThroughputCell[] = []
  const valuesOf = new Map<string, number[]>()
  for (const policy of policies) {
    const results = byPolicy.get(policy)!
    for (const vm of [...vms, TOTAL_VM]) {
      const values = results.map((res) => opsOf(res, vm))
      valuesOf.set(`${policy}\u0000${vm}`, values)
      throughput.push({ policy, vm, summary: summarize(values) })
    }
  }

  const ratios: RatioCell[] = []
  if (baseline) {
    for (const policy of policies) {
      if (policy === baseline) continue
      for (const vm of [...vms, TOTAL_VM]) {
        const paired = pairedRatioOf(seedOps(policy, vm), seedOps(baseline, vm))
        if (paired.n >= 2) {
          ratios.push({ policy, vm, ratio: paired.mean, ci95: paired.high - paired.mean, low: paired.low, high: paired.high, method: 'paired' })
          continue
        }
        const r = ratioOfMeans(valuesOf.get(`${policy}\u0000${vm}`)!, valuesOf.get(`${baseline}\u0000${vm}`)!)
        ratios.push({ policy, vm, ratio: r.ratio, ci95: r.high - r.ratio, low: r.low, high: r.high, method: 'means' })
      }
    }
  }

  const preemptions: PreemptionRow[] = policies.map((policy) => {
    const results = byPolicy.get(policy)!
    const mean = (f: (r: RunResultSummary) => number) => results.reduce((a, r) => a + f(r), 0) / results.length
    const byKind = Object.fromEntries(CS_KINDS.map((k) => [k, mean((r) => r.preemptions.inCriticalSection.byKind[k] ?? 0)])) as Record<CsKind, number>
    return {
      policy,
      total: mean((r) => r.preemptions.total),
      inCs: mean((r) => r.preemptions.inCriticalSection.total),
      lockHolder: mean((r) => r.preemptions.lockHolder),
      lockWaiter: mean((r) => r.preemptions.lockWaiter),
      byKind,
      inCsTick: mean((r) => r.counters['preempt.inCsTick'] ?? 0),
      pcpuBusyShare: mean((r) => {
        if (r.regime) return r.regime.pcpuBusyShare
        const busy = r.pcpuBusyNs.reduce((a, x) => a + x, 0)
        const all = busy + r.pcpuIdleNs.reduce((a, x) => a + x, 0)
        return all > 0 ? busy / all : NaN
      }),
      multiRunnableTickShare: results.every((r) => r.regime) ? mean((r) => r.regime!.multiRunnableTickShare) : null
    }
  })

  const lockWait: LockWaitRow[] = policies.map((policy) => {
    const buckets: number[] = []
    for (const r of byPolicy.get(policy)!) {
      r.lockWaitHistogram.buckets.forEach((c, i) => { buckets[i] = (buckets[i] ?? 0) + c })
    }
    return { policy, buckets: Array.from(buckets, (x) => x ?? 0) }
  })

  return { policies, baseline, vms, seeds, throughput, ratios, preemptions, lockWait }
}

/** The headline ratio: all VMs, the first non-baseline policy (eCS when it was run). */
export function headlineRatio(agg: BatchAggregate, prefer = 'ecs'): RatioCell | null {
  const total = agg.ratios.filter((r) => r.vm === TOTAL_VM)
  return total.find((r) => r.policy === prefer) ?? total[0] ?? null
}
