/**
 * Comparison runs (pure): the same scenario and seeds under several policies, per-policy statistics
 * over seeds with 95 % Student-t confidence intervals, and ratios to a baseline policy.
 *
 * Split in three so a caller can run the jobs wherever it likes (synchronously here, on worker threads
 * in the CLI / app): `planComparison` -> Scenario[] (one per policy x seed, same seed list for every
 * policy), `summariseComparison` over the results, `compareScenario` = both with runScenario in between.
 *
 * Ratios: `ratio` is mean(policy) / mean(baseline); `pairedRatio` is the mean and CI of the per-seed
 * ratios policy(seed) / baseline(seed) (same seed = same workload draws at the start, so the pairing
 * removes part of the seed-to-seed variance).
 */
import type { Scenario } from '../../shared/scenario'
import type { SimResult } from '../../shared/result'
import { resolveScenario } from '../scenario/resolve'
import { pairedRatioOf, statOf, type Stat } from '../../shared/stats'

export interface PolicyRef {
  id: string
  params?: Record<string, unknown>
  /** Label in tables (default: id, or id + params when params are given). */
  label?: string
}

// statistics live in src/shared/stats.ts (the app's renderer and main use the same functions)
export { statOf, type Stat }

/** Headline metrics of one run, flat (names are stable: the CLI, report and IPC use them). */
export function runMetrics(r: SimResult, s?: Scenario): Record<string, number> {
  const c = r.counters
  const m: Record<string, number> = {}
  const measured = Math.max(1, r.measuredNs)
  let ops = 0
  for (const vm of r.vms) ops += vm.ops
  m['throughput.opsPerSec'] = (ops * 1e9) / measured
  const pcpuNs = r.pcpuBusyNs.length * measured
  r.vms.forEach((vm, i) => {
    m[`vm.${vm.name}.opsPerSec`] = vm.opsPerSec
    // share of all pCPU time used by this VM, and its fair share by CFS weight (all vCPUs runnable)
    m[`vm.${vm.name}.cpuShare`] = vm.cpuTimeNs / pcpuNs
    m[`vm.${vm.name}.vetoExtraNs`] = vm.vetoExtraNs ?? 0
    // the largest extra run time vetoes gave a single vCPU of this VM (concentration; abuse)
    m[`vm.${vm.name}.vetoExtraMaxVcpuNs`] = vm.vcpuVetoExtraNs?.length ? Math.max(...vm.vcpuVetoExtraNs) : 0
    if (s) m[`vm.${vm.name}.weightShare`] = fairShares(s)[i]
  })
  m['preempt.total'] = r.preemptions.total
  m['preempt.inCs'] = r.preemptions.inCriticalSection.total
  for (const [k, v] of Object.entries(r.preemptions.inCriticalSection.byKind)) m[`preempt.inCs.${k}`] = v
  m['preempt.lockHolder'] = r.preemptions.lockHolder
  m['preempt.lockWaiter'] = r.preemptions.lockWaiter
  for (const k of ['preempt.rcuReader', 'preempt.irq', 'preempt.tick', 'preempt.wakeup', 'preempt.yieldTarget', 'preempt.inCsTick', 'preempt.inCsWakeup', 'preempt.inCsYield', 'preempt.inCsBlock',
    'bww.idleWakeups', 'bww.hostWakeups', 'host.vetoes', 'host.vetoFlags', 'host.tickPreemptions', 'ple.exits', 'ple.directedYields', 'mutex.spinInsteadOfSleep', 'rwsem.spinInsteadOfSleep', 'bww.spinWhileOverloaded',
    'veto.extendedStints', 'veto.extraRunNs', 'vcpu.haltBlocks', 'vcpu.wakeups', 'vcpu.halts']) m[k] = c[k] ?? 0
  // the run's regime (issue 11); NaN for results of engines that did not record it
  m['regime.pcpuBusyShare'] = r.regime?.pcpuBusyShare ?? NaN
  m['regime.multiRunnableTickShare'] = r.regime?.multiRunnableTickShare ?? NaN
  m['lock.meanWaitNs'] = (c['lock.waitNs'] ?? 0) / Math.max(1, c['lock.acquisitions'] ?? 0)
  m['vcpu.meanRunnableWaitNs'] = (c['vcpu.stealNs'] ?? 0) / Math.max(1, c['vcpu.runnableWaits'] ?? 0)
  m['veto.meanPaybackWaitNs'] = (c['veto.paybackWaits'] ?? 0) > 0 ? (c['veto.paybackWaitNs'] ?? 0) / c['veto.paybackWaits'] : NaN
  m['veto.meanExtraPerStintNs'] = (c['veto.extendedStints'] ?? 0) > 0 ? (c['veto.extraRunNs'] ?? 0) / c['veto.extendedStints'] : NaN
  return m
}

/**
 * Fair share of all pCPU time per VM when every vCPU is always runnable: CFS weights, each vCPU capped
 * at one pCPU (water-filling over the vCPUs). The reference for "CPU share vs weight".
 */
export function fairShares(s: Scenario): number[] {
  const P = s.host.pcpus
  const share = s.vms.map(() => 0)
  let open = s.vms.map((_, i) => i)
  let left = P
  while (open.length > 0 && left > 1e-12) {
    const wsum = open.reduce((a, i) => a + s.vms[i].vcpus * s.vms[i].weight, 0)
    // per-vCPU allotment if nobody is capped
    const capped = open.filter((i) => (left * s.vms[i].weight) / wsum >= 1 - share[i] / s.vms[i].vcpus)
    if (capped.length === 0) {
      for (const i of open) share[i] += (left * s.vms[i].vcpus * s.vms[i].weight) / wsum
      left = 0
      break
    }
    for (const i of capped) {
      left -= s.vms[i].vcpus - share[i]
      share[i] = s.vms[i].vcpus
    }
    open = open.filter((i) => !capped.includes(i))
  }
  return share.map((x) => x / P)
}

export interface ComparisonJob {
  policy: string
  label: string
  seed: number
  scenario: Scenario
}

/** One resolved scenario per (policy, seed); throws ScenarioError on an invalid policy or params. */
export function planComparison(input: unknown, policies: readonly (string | PolicyRef)[], seeds: readonly number[]): ComparisonJob[] {
  const refs = policies.map(toRef)
  const jobs: ComparisonJob[] = []
  const base = resolveScenario(input)
  for (const p of refs) {
    for (const seed of seeds) {
      const scenario = resolveScenario({ ...base, seed, policy: { id: p.id, params: p.params ?? {} } })
      jobs.push({ policy: p.id, label: p.label!, seed, scenario })
    }
  }
  return jobs
}

export function toRef(p: string | PolicyRef): PolicyRef {
  if (typeof p === 'string') return { id: p, label: p }
  const label = p.label ?? (p.params && Object.keys(p.params).length > 0 ? `${p.id} ${JSON.stringify(p.params)}` : p.id)
  return { ...p, label }
}

/** Seeds 1..n (the default seed list). */
export function seedList(n: number, first = 1): number[] {
  return Array.from({ length: Math.max(1, Math.floor(n)) }, (_, i) => first + i)
}

export interface PolicySummary {
  policy: string
  label: string
  seeds: number[]
  metrics: Record<string, Stat>
  /** Per-seed values of each metric, in `seeds` order. */
  values: Record<string, number[]>
  /** mean(policy) / mean(baseline), per metric. */
  ratio: Record<string, number>
  /** per-seed ratios policy/baseline: mean and CI, per metric. */
  pairedRatio: Record<string, Stat>
}

export interface ComparisonResult {
  scenarioName?: string
  baseline: string
  seeds: number[]
  policies: PolicySummary[]
  /** Engine events and simulated ns summed over all runs (for throughput-of-the-simulator notes). */
  events: number
}

/**
 * Per-policy statistics and ratios to `baseline` (a label among the jobs; default the first policy).
 * `results[i]` belongs to `jobs[i]`.
 */
export function summariseComparison(jobs: readonly ComparisonJob[], results: readonly SimResult[], baseline?: string): ComparisonResult {
  if (jobs.length !== results.length) throw new Error(`summariseComparison: ${jobs.length} jobs but ${results.length} results`)
  const labels: string[] = []
  for (const j of jobs) if (!labels.includes(j.label)) labels.push(j.label)
  const base = baseline ?? labels[0]
  if (!labels.includes(base)) throw new Error(`baseline ${base} is not among the compared policies (${labels.join(', ')})`)
  const per = new Map<string, { policy: string; bySeed: Map<number, Record<string, number>> }>()
  let events = 0
  jobs.forEach((j, i) => {
    let e = per.get(j.label)
    if (!e) per.set(j.label, (e = { policy: j.policy, bySeed: new Map() }))
    e.bySeed.set(j.seed, runMetrics(results[i], j.scenario))
    events += results[i].events
  })
  const baseRuns = per.get(base)!.bySeed
  const summaries: PolicySummary[] = labels.map((label) => {
    const e = per.get(label)!
    const seeds = [...e.bySeed.keys()]
    const names = new Set<string>()
    for (const m of e.bySeed.values()) for (const k of Object.keys(m)) names.add(k)
    const metrics: Record<string, Stat> = {}
    const values: Record<string, number[]> = {}
    const ratio: Record<string, number> = {}
    const pairedRatio: Record<string, Stat> = {}
    for (const name of names) {
      values[name] = seeds.map((s) => e.bySeed.get(s)![name])
      metrics[name] = statOf(values[name])
      const bvals = [...baseRuns.values()].map((m) => m[name])
      const bmean = statOf(bvals).mean
      ratio[name] = bmean !== 0 && Number.isFinite(bmean) ? metrics[name].mean / bmean : NaN
      pairedRatio[name] = pairedRatioOf(
        new Map(seeds.map((s) => [s, e.bySeed.get(s)![name]])),
        new Map([...baseRuns].map(([s, m]) => [s, m[name]]))
      )
    }
    return { policy: e.policy, label, seeds, metrics, values, ratio, pairedRatio }
  })
  return { scenarioName: jobs[0]?.scenario.name, baseline: base, seeds: [...baseRuns.keys()], policies: summaries, events }
}

/** Run every (policy, seed) synchronously with `run` (e.g. runScenario) and summarise. */
export function compareScenario(
  input: unknown,
  policies: readonly (string | PolicyRef)[],
  seeds: readonly number[],
  run: (s: Scenario) => SimResult,
  baseline?: string
): ComparisonResult {
  const jobs = planComparison(input, policies, seeds)
  return summariseComparison(jobs, jobs.map((j) => run(j.scenario)), baseline ?? toRef(policies[0]).label)
}
