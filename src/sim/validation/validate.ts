/**
 * `ecs-lab validate` without I/O: plan the simulator runs for a measured data set, fit the free
 * parameter of each workload profile on the calibration points, and compare every configuration.
 *
 * Two phases, each a list of resolved scenarios the caller runs wherever it likes (worker pool in the
 * CLI, runScenario in tests):
 *   1. fit:   for each benchmark but the control, for each csShare of CS_SHARE_GRID, the reference and
 *             the calibration configurations (plus the control at both), `seeds` seeds each;
 *             csShare = argmin over the grid of the mean |simulated - measured| normalised throughput
 *             over that benchmark's calibration points (ties: the smaller csShare). Validation points
 *             are not simulated in this phase.
 *   2. final: every configuration of the data set with the fitted csShare, `seeds` seeds each.
 */
import type { Scenario } from '../../shared/scenario'
import type { SimResult } from '../../shared/result'
import type { DatasetMetadata, MeasuredRow, PointSet, SplitRow, ValidationPoint, ValidationReport } from '../../shared/validation'
import { statOf } from '../../shared/stats'
import { CS_SHARE_GRID, isMeasuredBenchmark } from '../workloads/measured'
import { CONTROL_BENCHMARK, DatasetError, configId, configsOf, setsFromSplit, type ConfigKey } from './dataset'
import { ci95, controlOf, maxAbsError, meanAbsError, measuredPreemptionRates, measuredTotals, normalisedStat, referenceOf, spearman, type PerRep } from './normalise'
import { configScenario, hostProfile, type HostProfile } from './profiles'

export interface ValidationOptions {
  quick: boolean
  /** Seeds per configuration (default 5, quick 2). */
  seeds?: number
  /** Simulated ns per run (default 2 s, quick 0.25 s); a fifth is warm-up. */
  durationNs?: number
  /** csShare values the fit tries (default CS_SHARE_GRID, quick every other one). */
  grid?: readonly number[]
}

export interface ValidationContext {
  metadata: DatasetMetadata
  rows: readonly MeasuredRow[]
  configs: ConfigKey[]
  sets: Map<string, PointSet>
  host: HostProfile
  seeds: number[]
  durationNs: number
  grid: readonly number[]
  quick: boolean
  /** Measured totals (ops/s summed over VMs) per configuration and repetition. */
  totals: Map<string, PerRep>
  /** opNs per benchmark: time of one op of one thread at the reference configuration. */
  opNs: Map<string, number>
  /** Measured other load per configuration (mean other_load_pct / 100 over its windows). */
  otherLoad: Map<string, number>
  /** Niceness of the measured QEMU processes (metadata.niceness, default 0). */
  nice: number
}

export interface SimJob { config: ConfigKey; csShare: number; seed: number; scenario: Scenario }

export function prepare(metadata: DatasetMetadata, rows: readonly MeasuredRow[], split: readonly SplitRow[], o: ValidationOptions): ValidationContext {
  const configs = configsOf(rows)
  if (configs.length === 0) throw new DatasetError('points.csv: no mode=vm rows')
  const sets = setsFromSplit(configs, split)
  const totals = measuredTotals(rows)
  const benches = [...new Set(configs.map((c) => c.benchmark))]
  if (!benches.includes(CONTROL_BENCHMARK)) throw new DatasetError(`points.csv: no rows of the control benchmark '${CONTROL_BENCHMARK}'`)
  const opNs = new Map<string, number>()
  for (const c of configs) {
    if (!isMeasuredBenchmark(c.benchmark)) throw new DatasetError(`points.csv: no workload profile for benchmark '${c.benchmark}' (profiles: cpu, flock, futex, mmap, spinlock, hackbench)`)
    const ref = referenceOf(c)
    const t = totals.get(configId(ref))
    if (!t || t.size === 0) throw new DatasetError(`points.csv: ${c.benchmark} has no complete reference configuration (1 VM x ${c.pcpus} vCPUs)`)
    if (!totals.get(configId(controlOf(c)))?.size) throw new DatasetError(`points.csv: no complete control run (${CONTROL_BENCHMARK}) for ${c.vms} VM(s) x ${c.vcpusPerVm} vCPUs on ${c.pcpus} cores`)
    const mean = statOf([...t.values()]).mean
    if (!(mean > 0)) throw new DatasetError(`points.csv: ${c.benchmark} reference throughput is 0`)
    opNs.set(c.benchmark, (1e9 * ref.vcpusPerVm) / mean)
  }
  const otherAcc = new Map<string, number[]>()
  for (const r of rows) {
    if (r.mode !== 'vm' || r.other_load_pct === undefined) continue
    const id = configId({ benchmark: r.benchmark, pcpus: r.pcpus, vms: r.vms, vcpusPerVm: r.vcpus_per_vm })
    if (!otherAcc.has(id)) otherAcc.set(id, [])
    otherAcc.get(id)!.push(r.other_load_pct / 100)
  }
  const otherLoad = new Map([...otherAcc].map(([id, xs]) => [id, statOf(xs).mean]))
  const niceRaw = (metadata as Record<string, unknown>).niceness
  const nice = typeof niceRaw === 'number' && Number.isFinite(niceRaw) ? niceRaw : 0
  const seedsN = o.seeds ?? (o.quick ? 2 : 5)
  const grid = o.grid ?? (o.quick ? CS_SHARE_GRID.filter((_, i) => i % 2 === 1) : CS_SHARE_GRID)
  return {
    metadata, rows, configs, sets, host: hostProfile(metadata), seeds: Array.from({ length: seedsN }, (_, i) => i + 1),
    durationNs: o.durationNs ?? (o.quick ? 250_000_000 : 2_000_000_000), grid, quick: o.quick, totals, opNs, otherLoad, nice
  }
}

const jobsFor = (ctx: ValidationContext, c: ConfigKey, csShare: number): SimJob[] =>
  ctx.seeds.map((seed) => ({ config: c, csShare, seed, scenario: configScenario(c, ctx.host, { opNs: ctx.opNs.get(c.benchmark)!, csShare }, seed, ctx.durationNs, ctx.otherLoad.get(configId(c)) ?? 0, ctx.nice) }))

const uniq = (cs: ConfigKey[]): ConfigKey[] => [...new Map(cs.map((c) => [configId(c), c])).values()]

/** Phase 1: the runs the fit needs (calibration configurations, their references and controls). */
export function planFit(ctx: ValidationContext): SimJob[] {
  const calib = ctx.configs.filter((c) => ctx.sets.get(configId(c)) === 'calibration')
  const jobs: SimJob[] = []
  const controls = uniq(calib.flatMap((c) => [controlOf(c), controlOf(referenceOf(c))]))
  for (const c of controls) jobs.push(...jobsFor(ctx, c, 0))
  for (const b of [...new Set(calib.map((c) => c.benchmark))]) {
    const cs = calib.filter((c) => c.benchmark === b)
    for (const f of ctx.grid) for (const c of uniq([...cs, ...cs.map(referenceOf)])) jobs.push(...jobsFor(ctx, c, f))
  }
  return jobs
}

/** Simulated totals (ops/s over the VMs) and preemptions per vCPU-second, keyed by configuration, per seed. */
function simTotals(jobs: readonly SimJob[], results: readonly SimResult[], csShare?: (c: ConfigKey) => number) {
  const totals = new Map<string, PerRep>()
  const preempt = new Map<string, PerRep>()
  jobs.forEach((j, i) => {
    if (csShare && j.config.benchmark !== CONTROL_BENCHMARK && j.csShare !== csShare(j.config)) return
    const r = results[i]
    const id = configId(j.config)
    const ops = r.vms.reduce((a, v) => a + v.opsPerSec, 0)
    const vcpuS = (r.vms.reduce((a, v) => a + v.vcpus, 0) * r.measuredNs) / 1e9
    if (!totals.has(id)) totals.set(id, new Map())
    if (!preempt.has(id)) preempt.set(id, new Map())
    totals.get(id)!.set(j.seed, ops)
    preempt.get(id)!.set(j.seed, r.preemptions.total / vcpuS)
  })
  return { totals, preempt }
}

/** csShare per benchmark from the phase-1 results (the fitting procedure above). */
export function chooseFit(ctx: ValidationContext, jobs: readonly SimJob[], results: readonly SimResult[]): Record<string, { csShare: number; calibrationMae: number }> {
  if (jobs.length !== results.length) throw new Error(`chooseFit: ${jobs.length} jobs, ${results.length} results`)
  const calib = ctx.configs.filter((c) => ctx.sets.get(configId(c)) === 'calibration')
  const out: Record<string, { csShare: number; calibrationMae: number }> = {}
  for (const b of [...new Set(calib.map((c) => c.benchmark))]) {
    let best = { csShare: NaN, calibrationMae: Infinity }
    for (const f of ctx.grid) {
      const { totals } = simTotals(jobs, results, () => f)
      const errs = calib.filter((c) => c.benchmark === b).map((c) => Math.abs(normalisedStat(totals, c).mean - normalisedStat(ctx.totals, c).mean))
      const mae = errs.reduce((a, x) => a + x, 0) / errs.length
      if (Number.isFinite(mae) && mae < best.calibrationMae) best = { csShare: f, calibrationMae: mae }
    }
    out[b] = best
  }
  return out
}

/**
 * Benchmarks without a calibration point get the middle of the grid (no fit possible; said in the
 * report). The control has no free parameter.
 */
export function fittedShare(ctx: ValidationContext, fit: Record<string, { csShare: number }>, benchmark: string): number {
  if (benchmark === CONTROL_BENCHMARK) return 0
  const f = fit[benchmark]?.csShare
  return f !== undefined && Number.isFinite(f) ? f : ctx.grid[Math.floor(ctx.grid.length / 2)]
}

/** Phase 2: every configuration with the fitted parameters. */
export function planFinal(ctx: ValidationContext, fit: Record<string, { csShare: number }>): SimJob[] {
  return ctx.configs.flatMap((c) => jobsFor(ctx, c, fittedShare(ctx, fit, c.benchmark)))
}

const round = (x: number | null, d = 4): number | null => (x === null || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d)

export function summarise(ctx: ValidationContext, fit: Record<string, { csShare: number; calibrationMae?: number }>, jobs: readonly SimJob[], results: readonly SimResult[], engineVersion: string): ValidationReport {
  if (jobs.length !== results.length) throw new Error(`summarise: ${jobs.length} jobs, ${results.length} results`)
  const sim = simTotals(jobs, results)
  const mPre = measuredPreemptionRates(ctx.rows)
  const points: ValidationPoint[] = ctx.configs.map((c) => {
    const id = configId(c)
    const m = normalisedStat(ctx.totals, c)
    const s = normalisedStat(sim.totals, c)
    return {
      benchmark: c.benchmark, pcpus: c.pcpus, vms: c.vms, vcpusPerVm: c.vcpusPerVm, set: ctx.sets.get(id)!,
      measured: { normalised: round(m.mean), ci95: round(ci95(m)), preemptionsPerVcpuSec: round(statOf([...(mPre.get(id)?.values() ?? [])]).mean, 2) },
      simulated: { normalised: round(s.mean), ci95: round(ci95(s)), preemptionsPerVcpuSec: round(statOf([...(sim.preempt.get(id)?.values() ?? [])]).mean, 2) }
    }
  })
  const pairsOf = (set: PointSet) => points.filter((p) => p.set === set).map((p) => [p.measured.normalised ?? NaN, p.simulated.normalised ?? NaN] as const)
  const cal = pairsOf('calibration')
  const val = pairsOf('validation')
  const md = ctx.metadata
  const fitted: Record<string, Record<string, number>> = {}
  for (const b of [...new Set(ctx.configs.map((c) => c.benchmark))]) {
    if (b === CONTROL_BENCHMARK) continue
    fitted[b] = { csShare: fittedShare(ctx, fit, b), opNs: Math.round(ctx.opNs.get(b)!) }
    const mae = fit[b]?.calibrationMae
    if (mae !== undefined && Number.isFinite(mae)) fitted[b].calibrationMae = round(mae)!
  }
  return {
    engineVersion,
    dataset: {
      id: md.id, hostScheduler: md.host.scheduler, hostHz: Number(md.host.hz ?? 250), hostCores: md.host.cores,
      accel: md.qemu?.accel, guestKernel: md.guest?.kernel, simulatedScheduler: ctx.host.simulatedScheduler,
      quick: ctx.quick, seeds: ctx.seeds.length, simulatedMs: ctx.durationNs / 1e6, fitted
    },
    points,
    summary: {
      calibration: { n: cal.length, mae: round(meanAbsError(cal)), maxAbsErr: round(maxAbsError(cal)) },
      validation: { n: val.length, mae: round(meanAbsError(val)), maxAbsErr: round(maxAbsError(val)), spearman: round(spearman(val)) }
    }
  }
}

/** Both phases with a synchronous runner (tests; the CLI uses the worker pool). */
export function validateSync(metadata: DatasetMetadata, rows: readonly MeasuredRow[], split: readonly SplitRow[], o: ValidationOptions, run: (s: Scenario) => SimResult, engineVersion: string): ValidationReport {
  const ctx = prepare(metadata, rows, split, o)
  const fj = planFit(ctx)
  const fit = chooseFit(ctx, fj, fj.map((j) => run(j.scenario)))
  const jobs = planFinal(ctx, fit)
  return summarise(ctx, fit, jobs, jobs.map((j) => run(j.scenario)), engineVersion)
}
