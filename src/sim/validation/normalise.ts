/**
 * Normalised throughput (issue 11) and the error metrics of the comparison. Pure.
 *
 *   normalised(config, rep) = [ops/s(config, rep) / ops/s(reference, rep)]
 *                           / [ops/s(cpu at config, rep) / ops/s(cpu at reference, rep)]
 *
 * where ops/s is the total over the configuration's VMs and the reference is 1 VM with as many vCPUs as
 * host cores. Repetitions are paired by index where both sides have it, otherwise the side lacking it
 * contributes its mean (dataformat.md). The simulator's seeds play the part of repetitions.
 */
import type { MeasuredRow } from '../../shared/validation'
import { statOf, tQuantile975, type Stat } from '../../shared/stats'
import { CONTROL_BENCHMARK, configId, type ConfigKey } from './dataset'

/** Values per repetition (or seed) index. */
export type PerRep = Map<number, number>

const meanOf = (m: PerRep): number => statOf([...m.values()]).mean

/** Value of `m` at rep `r`, else its mean over reps. */
const at = (m: PerRep, r: number): number => m.get(r) ?? meanOf(m)

/** Per-rep normalised values of `conf` (reps of `conf` in ascending order). */
export function normalisedValues(conf: PerRep, ref: PerRep, cpuConf: PerRep, cpuRef: PerRep): number[] {
  if (conf.size === 0 || ref.size === 0 || cpuConf.size === 0 || cpuRef.size === 0) return []
  const out: number[] = []
  for (const r of [...conf.keys()].sort((a, b) => a - b)) {
    const bench = conf.get(r)! / at(ref, r)
    const control = at(cpuConf, r) / at(cpuRef, r)
    out.push(bench / control)
  }
  return out
}

/** Half-width of the 95 % Student-t interval of the mean (0 for one value, null for none). */
export function ci95(s: Stat): number | null {
  if (s.n === 0) return null
  if (s.n < 2) return 0
  return (tQuantile975(s.n - 1) * s.sd) / Math.sqrt(s.n)
}

/**
 * Measured totals: ops/s summed over a configuration's VMs, per repetition. A repetition that lacks
 * one of its VMs' rows is left out (its total would be too small).
 */
export function measuredTotals(rows: readonly MeasuredRow[]): Map<string, PerRep> {
  const acc = new Map<string, Map<number, { sum: number; vms: Set<number>; need: number }>>()
  for (const r of rows) {
    if (r.mode !== 'vm') continue
    const id = configId({ benchmark: r.benchmark, pcpus: r.pcpus, vms: r.vms, vcpusPerVm: r.vcpus_per_vm })
    let reps = acc.get(id)
    if (!reps) acc.set(id, (reps = new Map()))
    let e = reps.get(r.rep)
    if (!e) reps.set(r.rep, (e = { sum: 0, vms: new Set(), need: r.vms }))
    e.sum += r.ops_per_s
    e.vms.add(r.vm)
  }
  const out = new Map<string, PerRep>()
  for (const [id, reps] of acc) {
    const m: PerRep = new Map()
    for (const [rep, e] of reps) if (e.vms.size === e.need) m.set(rep, e.sum)
    out.set(id, m)
  }
  return out
}

/** Host preemptions (nonvoluntary context switches of the vCPU threads) per vCPU-second, per repetition. */
export function measuredPreemptionRates(rows: readonly MeasuredRow[]): Map<string, PerRep> {
  const acc = new Map<string, Map<number, { csw: number; vcpuS: number }>>()
  for (const r of rows) {
    if (r.mode !== 'vm') continue
    const id = configId({ benchmark: r.benchmark, pcpus: r.pcpus, vms: r.vms, vcpusPerVm: r.vcpus_per_vm })
    let reps = acc.get(id)
    if (!reps) acc.set(id, (reps = new Map()))
    const e = reps.get(r.rep) ?? { csw: 0, vcpuS: 0 }
    e.csw += r.host_nonvol_csw
    e.vcpuS += r.vcpus_per_vm * r.run_s
    reps.set(r.rep, e)
  }
  const out = new Map<string, PerRep>()
  for (const [id, reps] of acc) out.set(id, new Map([...reps].map(([rep, e]) => [rep, e.vcpuS > 0 ? e.csw / e.vcpuS : NaN])))
  return out
}

export const referenceOf = (c: ConfigKey): ConfigKey => ({ benchmark: c.benchmark, pcpus: c.pcpus, vms: 1, vcpusPerVm: c.pcpus })
export const controlOf = (c: ConfigKey): ConfigKey => ({ ...c, benchmark: CONTROL_BENCHMARK })

/** Normalised throughput of `c` from per-configuration totals (measured or simulated): stat over reps. */
export function normalisedStat(totals: ReadonlyMap<string, PerRep>, c: ConfigKey): Stat {
  const get = (k: ConfigKey) => totals.get(configId(k)) ?? new Map<number, number>()
  return statOf(normalisedValues(get(c), get(referenceOf(c)), get(controlOf(c)), get(controlOf(referenceOf(c)))))
}

// ------------------------------------------------------------------------------------------------
// Error metrics

/** Mean absolute error of simulated vs measured (pairs with a non-finite side are skipped). */
export function meanAbsError(pairs: readonly (readonly [number, number])[]): number | null {
  const ok = pairs.filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b))
  if (ok.length === 0) return null
  return ok.reduce((s, [a, b]) => s + Math.abs(a - b), 0) / ok.length
}

export function maxAbsError(pairs: readonly (readonly [number, number])[]): number | null {
  const ok = pairs.filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b))
  if (ok.length === 0) return null
  return Math.max(...ok.map(([a, b]) => Math.abs(a - b)))
}

/** Ranks 1..n, ties get the mean of the ranks they span (fractional ranking). */
export function ranks(xs: readonly number[]): number[] {
  const idx = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0])
  const r = new Array<number>(xs.length)
  let i = 0
  while (i < idx.length) {
    let j = i
    while (j + 1 < idx.length && idx[j + 1][0] === idx[i][0]) j++
    const avg = (i + j) / 2 + 1
    for (let k = i; k <= j; k++) r[idx[k][1]] = avg
    i = j + 1
  }
  return r
}

/** Spearman's rho with ties: Pearson correlation of the fractional ranks. null if n < 2 or a side is constant. */
export function spearman(pairs: readonly (readonly [number, number])[]): number | null {
  const ok = pairs.filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b))
  if (ok.length < 2) return null
  const ra = ranks(ok.map((p) => p[0]))
  const rb = ranks(ok.map((p) => p[1]))
  const n = ok.length
  const ma = ra.reduce((s, x) => s + x, 0) / n
  const mb = rb.reduce((s, x) => s + x, 0) / n
  let sab = 0
  let saa = 0
  let sbb = 0
  for (let i = 0; i < n; i++) {
    sab += (ra[i] - ma) * (rb[i] - mb)
    saa += (ra[i] - ma) ** 2
    sbb += (rb[i] - mb) ** 2
  }
  if (saa === 0 || sbb === 0) return null
  return sab / Math.sqrt(saa * sbb)
}
