/**
 * The paper-reproduction matrix (pure): which scenarios, policies and seeds `ecs-lab reproduce` runs.
 *
 *  - headline: every kernel workload preset, under-committed (1 VM x P vCPUs on P pCPUs) and
 *    over-committed (2 VMs x P vCPUs; and the benchmark VM next to a CPU-bound VM), under the baseline
 *    `kvm`, full `ecs`, its variants and the prior-work `pmtlock`;
 *  - sweep: commit ratios 1x-4x (VMs of P vCPUs; 1.5x = one P-vCPU VM + one P/2-vCPU VM, as the
 *    scenario presets), `kvm` vs `ecs`;
 *  - eevdf: the headline points (shared 1x / 2x and the co-runner layout) on an EEVDF host
 *    (host.scheduler 'eevdf', Linux 6.6), `kvm` vs `ecs` (this project's port of the veto to EEVDF);
 *  - abuse: a misbehaving VM that stays inside an annotated critical section almost all the time, next
 *    to a CPU-bound VM, under `kvm` and each veto mode / cap (what the victim's CPU share becomes).
 *
 * The layouts follow ecs-model.md §5.4 (the paper's are UNKNOWN). Sizes (pCPUs, durations, seeds) are
 * parameters so a test can run the same matrix on a few pCPUs for a few ms.
 */
import type { ScenarioInput, WorkloadInput } from '../../shared/scenario'
import type { PolicyRef } from '../analysis/compare'

export interface ReproduceConfig {
  pcpus: number
  sockets: number
  durationNs: number
  warmupNs: number
  seeds: number
  /** Workload presets of the headline and sweep parts. */
  workloads: string[]
  /** Commit ratios of the sweep (1 and 2 come from the headline part when listed). */
  commitRatios: number[]
  headlinePolicies: PolicyRef[]
  sweepPolicies: PolicyRef[]
  abusePolicies: PolicyRef[]
  /** Policies of the EEVDF part (empty: no EEVDF part). */
  eevdfPolicies: PolicyRef[]
  /** Host HZ (250 = Kconfig default; ecs-model.md §4.8: the eCS host's HZ is UNKNOWN). */
  hz: 100 | 250 | 300 | 1000
}

export const KERNEL_WORKLOADS = ['spinlock-heavy', 'mutex-rwsem', 'rcu-ipi', 'mixed-kernel']

const HEADLINE_POLICIES: PolicyRef[] = [
  { id: 'kvm', label: 'kvm' },
  { id: 'ecs', label: 'ecs' },
  { id: 'ecs-alternate', label: 'ecs-alternate' },
  { id: 'ecs-host', label: 'ecs-host' },
  { id: 'ecs-guest', label: 'ecs-guest' },
  { id: 'pmtlock', label: 'pmtlock' },
  // what-if, not released code: the guest's overloaded hint reads the pCPU's current run queue
  { id: 'ecs', params: { overloaded: 'live' }, label: 'ecs (live overloaded)' }
]

const ABUSE_POLICIES: PolicyRef[] = [
  { id: 'kvm', label: 'kvm' },
  { id: 'ecs', label: 'ecs (every in-CS tick)' },
  { id: 'ecs-alternate', label: 'ecs-alternate' },
  { id: 'ecs', params: { vetoCap: 1 }, label: 'ecs, cap k=1' },
  { id: 'ecs', params: { vetoCap: 4 }, label: 'ecs, cap k=4' },
  { id: 'ecs', params: { boost: 'nice' }, label: 'ecs, nice boost' }
]

/**
 * Full reproduction: the 80-pCPU host of the paper. 500 ms measured per run after a 50 ms warm-up
 * (about 20 CFS periods of 24 ms), 5 seeds: 690 runs (about 620 s on 2 workers of a shared 2-core machine, engine 0.7.0,
 * docs/REPORT.md).
 */
export function fullConfig(): ReproduceConfig {
  return {
    pcpus: 80, sockets: 8, durationNs: 550_000_000, warmupNs: 50_000_000, seeds: 5,
    workloads: KERNEL_WORKLOADS, commitRatios: [1, 1.5, 2, 3, 4],
    headlinePolicies: HEADLINE_POLICIES, sweepPolicies: HEADLINE_POLICIES.slice(0, 2), abusePolicies: ABUSE_POLICIES,
    eevdfPolicies: HEADLINE_POLICIES.slice(0, 2), hz: 250
  }
}

/** Quick: the same matrix shape on a 40-pCPU host (4 sockets), 160 ms measured, 3 seeds, sweep 1x/2x/4x (about 24 s on 2 cores). */
export function quickConfig(): ReproduceConfig {
  return { ...fullConfig(), pcpus: 40, sockets: 4, durationNs: 200_000_000, warmupNs: 40_000_000, seeds: 3, commitRatios: [1, 2, 4] }
}

/**
 * The abusive guest: a task loop that sits in rcu_read_lock() sections of 20 ms (exp) separated by
 * 1 us of work, so preempt_count > 0 about 99.99 % of the time. Not a realistic workload: a
 * deliberately misbehaving (or malicious) guest, which a guest-supplied hint cannot rule out.
 */
export const ABUSIVE_WORKLOAD: WorkloadInput = {
  computeNs: { type: 'fixed', ns: 1_000 },
  sections: [{ kind: 'rcu-read', weight: 1, holdNs: { type: 'exp', meanNs: 20_000_000 } }]
}

export type Part = 'headline' | 'sweep' | 'abuse' | 'eevdf'

export interface MatrixPoint {
  /** Unique key: part/workload/commit[/co]. */
  key: string
  part: Part
  workload: string
  commit: number
  /** 'shared': every VM runs the workload; 'co-runner': VM `bench` runs it next to a CPU-bound VM `hog`. */
  layout: 'shared' | 'co-runner'
  /** Throughput metric of the point (runMetrics name): all VMs, or the benchmark VM only. */
  throughputMetric: string
  scenario: ScenarioInput
  policies: PolicyRef[]
}

function vmsFor(commit: number, P: number, workload: string | WorkloadInput): { name: string; vcpus: number; workload: string | WorkloadInput }[] {
  const out: { name: string; vcpus: number; workload: string | WorkloadInput }[] = []
  let left = commit * P
  let i = 0
  while (left > 0.5) {
    const n = Math.min(P, Math.round(left))
    out.push({ name: `vm${i}`, vcpus: n, workload })
    left -= n
    i++
  }
  return out
}

function scenarioFor(c: ReproduceConfig, name: string, vms: { name: string; vcpus: number; workload: string | WorkloadInput }[]): ScenarioInput {
  return {
    name,
    host: { pcpus: c.pcpus, sockets: c.sockets, hz: c.hz },
    vms: vms as ScenarioInput['vms'],
    durationNs: c.durationNs,
    warmupNs: c.warmupNs,
    sampleIntervalNs: Math.max(1_000_000, Math.round(c.durationNs / 50)),
    policy: { id: 'kvm', params: {} }
  } as ScenarioInput
}

export function buildMatrix(c: ReproduceConfig): MatrixPoint[] {
  const pts: MatrixPoint[] = []
  for (const w of c.workloads) {
    for (const commit of [1, 2]) {
      pts.push({ key: `headline/${w}/${commit}`, part: 'headline', workload: w, commit, layout: 'shared', throughputMetric: 'throughput.opsPerSec', scenario: scenarioFor(c, `${w}-${commit}x`, vmsFor(commit, c.pcpus, w)), policies: c.headlinePolicies })
    }
    // [WLI]'s layout (ecs-model.md §3.3): one VM runs the benchmark, the other VM is CPU-bound
    pts.push({
      key: `headline/${w}/2/co`, part: 'headline', workload: w, commit: 2, layout: 'co-runner', throughputMetric: 'vm.bench.opsPerSec',
      scenario: scenarioFor(c, `${w}-2x-co-runner`, [{ name: 'bench', vcpus: c.pcpus, workload: w }, { name: 'hog', vcpus: c.pcpus, workload: 'cpu-bound' }]), policies: c.headlinePolicies
    })
    for (const commit of c.commitRatios) {
      if (commit === 1 || commit === 2) continue // shared with the headline part
      pts.push({ key: `sweep/${w}/${commit}`, part: 'sweep', workload: w, commit, layout: 'shared', throughputMetric: 'throughput.opsPerSec', scenario: scenarioFor(c, `${w}-${commit}x`, vmsFor(commit, c.pcpus, w)), policies: c.sweepPolicies })
    }
  }
  if (c.eevdfPolicies.length > 0) {
    const eevdf = (s: ScenarioInput): ScenarioInput => ({ ...s, name: `${s.name}-eevdf`, host: { ...s.host, scheduler: 'eevdf' } })
    for (const w of c.workloads) {
      for (const commit of [1, 2]) {
        pts.push({ key: `eevdf/${w}/${commit}`, part: 'eevdf', workload: w, commit, layout: 'shared', throughputMetric: 'throughput.opsPerSec', scenario: eevdf(scenarioFor(c, `${w}-${commit}x`, vmsFor(commit, c.pcpus, w))), policies: c.eevdfPolicies })
      }
      pts.push({
        key: `eevdf/${w}/2/co`, part: 'eevdf', workload: w, commit: 2, layout: 'co-runner', throughputMetric: 'vm.bench.opsPerSec',
        scenario: eevdf(scenarioFor(c, `${w}-2x-co-runner`, [{ name: 'bench', vcpus: c.pcpus, workload: w }, { name: 'hog', vcpus: c.pcpus, workload: 'cpu-bound' }])), policies: c.eevdfPolicies
      })
    }
  }
  const abuse = scenarioFor(c, 'abuse-2x', [
    { name: 'abuser', vcpus: c.pcpus, workload: ABUSIVE_WORKLOAD },
    { name: 'victim', vcpus: c.pcpus, workload: 'cpu-bound' }
  ])
  pts.push({ key: 'abuse/abusive+cpu-bound/2', part: 'abuse', workload: 'abusive + cpu-bound', commit: 2, layout: 'co-runner', throughputMetric: 'vm.victim.opsPerSec', scenario: abuse, policies: c.abusePolicies })
  return pts
}

/** Number of simulation runs the matrix needs. */
export function matrixRuns(c: ReproduceConfig, pts = buildMatrix(c)): number {
  return pts.reduce((a, p) => a + p.policies.length * c.seeds, 0)
}
