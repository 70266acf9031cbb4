/**
 * resolveScenario: validate user input with the zod schema from src/shared/scenario.ts, expand a
 * `{ preset: id, ...overrides }` shorthand, and apply derived defaults:
 *  - CFS tunables scaled like Linux 4.13 `sched_tunable_scaling = SCHED_TUNABLESCALING_LOG`
 *    (kernel/sched/fair.c get_update_sysctl_factor: factor = 1 + ilog2(min(ncpus, 8))):
 *    latency 6 ms, min_granularity 0.75 ms, wakeup_granularity 1 ms, each times the factor.
 *  - sockets: shared/scenario.ts defaultSockets (pcpus / 10 sockets of 10 cores when pcpus is a multiple of
 *    10 and >= 20: ASSUMPTION 8x10 for the 80-core host; else 1).
 *  - warmupNs = min(50 ms, 10% of duration); sampleIntervalNs = duration / 100 (>= 1 us).
 * Errors are ScenarioError whose message names the field path and the allowed range/values.
 */
import { ScenarioError, ScenarioInputSchema, WorkloadSchema, defaultSockets, formatZodIssues, type Scenario, type Dist } from '../../shared/scenario'
import { findScenarioPreset, SCENARIO_PRESETS } from './presets'
import { findWorkloadPreset, WORKLOAD_PRESETS } from '../workloads/index'
import { findPolicy, listPolicies } from '../policies/registry'

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Deep merge for preset overrides: objects merge by key, arrays merge by index, scalars replace. */
export function mergeOverrides(base: unknown, over: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(over)) {
    const out = base.slice()
    over.forEach((v, i) => { out[i] = i < base.length ? mergeOverrides(base[i], v) : v })
    return out
  }
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = { ...base }
    for (const [k, v] of Object.entries(over)) out[k] = k in base ? mergeOverrides(base[k], v) : v
    return out
  }
  return over
}

/** log2 scaling factor of the CFS tunables (SCHED_TUNABLESCALING_LOG). */
export function cfsFactor(pcpus: number): number {
  return 1 + Math.floor(Math.log2(Math.min(pcpus, 8)))
}

function checkDist(d: Dist, path: string, issues: { path: string; message: string }[]): void {
  if (d.type === 'uniform' && d.minNs > d.maxNs) issues.push({ path: `${path}.minNs`, message: `must be <= maxNs (${d.maxNs})` })
}

/** `vms.<i>.workload` issues for string workloads that name no preset (input not yet schema-checked). */
function unknownWorkloadIssues(raw: unknown): { path: string; message: string }[] {
  const vms = isPlainObject(raw) ? raw.vms : undefined
  if (vms === null || typeof vms !== 'object') return []
  const out: { path: string; message: string }[] = []
  for (const [i, vm] of Object.entries(vms as Record<string, unknown>)) {
    const w = isPlainObject(vm) ? vm.workload : undefined
    if (typeof w === 'string' && w.length > 0 && !findWorkloadPreset(w)) {
      out.push({ path: `vms.${i}.workload`, message: `unknown workload '${w}' (allowed: ${WORKLOAD_PRESETS.map((p) => p.id).join(', ')} or a workload object)` })
    }
  }
  return out
}

export function resolveScenario(input: unknown): Scenario {
  let raw: unknown = input
  if (isPlainObject(input) && 'preset' in input) {
    const { preset, ...rest } = input
    if (typeof preset !== 'string') throw new ScenarioError([{ path: 'preset', message: 'must be a string' }])
    const base = findScenarioPreset(preset)
    if (!base) throw new ScenarioError([{ path: 'preset', message: `unknown preset '${preset}' (allowed: ${SCENARIO_PRESETS.map((p) => p.id).join(', ')})` }])
    raw = mergeOverrides(base as Json, rest)
  }
  const parsed = ScenarioInputSchema.safeParse(raw)
  // Names the schema cannot check (workload presets) are checked on the raw input too, so a bad
  // workload name is reported with the schema's errors rather than on the next attempt.
  if (!parsed.success) throw new ScenarioError([...formatZodIssues(parsed.error), ...unknownWorkloadIssues(raw)])
  const s = parsed.data
  const issues: { path: string; message: string }[] = []
  const h = s.host
  const sockets = h.sockets ?? defaultSockets(h.pcpus)
  if (h.pcpus % sockets !== 0) issues.push({ path: 'host.sockets', message: `must divide host.pcpus (${h.pcpus})` })
  const f = cfsFactor(h.pcpus)
  const cfs = {
    latencyNs: h.cfs.latencyNs ?? 6_000_000 * f,
    minGranularityNs: h.cfs.minGranularityNs ?? 750_000 * f,
    wakeupGranularityNs: h.cfs.wakeupGranularityNs ?? 1_000_000 * f,
    migrationCostNs: h.cfs.migrationCostNs
  }
  const warmupNs = s.warmupNs ?? Math.min(50_000_000, Math.floor(s.durationNs / 10))
  if (warmupNs >= s.durationNs) issues.push({ path: 'warmupNs', message: `must be < durationNs (${s.durationNs})` })
  const sampleIntervalNs = s.sampleIntervalNs ?? Math.max(1_000, Math.floor(s.durationNs / 100))
  if (s.durationNs / sampleIntervalNs > 100_000) issues.push({ path: 'sampleIntervalNs', message: `too small: at most 100000 samples per run (>= ${Math.ceil(s.durationNs / 100_000)})` })
  const names = new Set<string>()
  s.vms.forEach((vm, i) => {
    if (names.has(vm.name)) issues.push({ path: `vms.${i}.name`, message: `duplicate VM name '${vm.name}'` })
    names.add(vm.name)
    if (typeof vm.workload === 'string') {
      issues.push(...unknownWorkloadIssues({ vms: { [i]: vm } }))
    } else {
      const waiterModes = new Map<string, string>()
      vm.workload.sections.forEach((sec, j) => {
        checkDist(sec.holdNs, `vms.${i}.workload.sections.${j}.holdNs`, issues)
        if (sec.waiters !== undefined) {
          if (sec.kind !== 'mutex') issues.push({ path: `vms.${i}.workload.sections.${j}.waiters`, message: `only for kind 'mutex' (this section is '${sec.kind}')` })
          else {
            const prev = waiterModes.get(sec.lock)
            if (prev !== undefined && prev !== sec.waiters) issues.push({ path: `vms.${i}.workload.sections.${j}.waiters`, message: `mutex '${sec.lock}' already has waiters '${prev}' in an earlier section (one mode per lock)` })
            waiterModes.set(sec.lock, sec.waiters)
          }
        } else if (sec.kind === 'mutex' && waiterModes.has(sec.lock) && waiterModes.get(sec.lock) !== 'spin') {
          issues.push({ path: `vms.${i}.workload.sections.${j}.waiters`, message: `mutex '${sec.lock}' has waiters '${waiterModes.get(sec.lock)}' in an earlier section; give every section of a lock the same mode` })
        }
        if (sec.nested) checkDist(sec.nested.holdNs, `vms.${i}.workload.sections.${j}.nested.holdNs`, issues)
      })
      checkDist(vm.workload.computeNs, `vms.${i}.workload.computeNs`, issues)
    }
    if (vm.pinning) {
      if (vm.pinning.length !== vm.vcpus) issues.push({ path: `vms.${i}.pinning`, message: `must have one pCPU per vCPU (length ${vm.vcpus}), got ${vm.pinning.length}` })
      vm.pinning.forEach((p, j) => { if (p >= h.pcpus) issues.push({ path: `vms.${i}.pinning.${j}`, message: `pCPU ${p} out of range (allowed: 0..${h.pcpus - 1})` }) })
    }
  })
  const totalVcpus = s.vms.reduce((a, v) => a + v.vcpus, 0)
  if (totalVcpus > 65536) issues.push({ path: 'vms', message: `at most 65536 vCPUs in total, got ${totalVcpus}` })
  const def = findPolicy(s.policy.id)
  let params: Record<string, unknown> = s.policy.params
  if (!def) issues.push({ path: 'policy.id', message: `unknown policy '${s.policy.id}' (allowed: ${listPolicies().map((p) => p.id).join(', ')})` })
  else {
    const pr = def.paramsSchema.safeParse(s.policy.params)
    if (!pr.success) issues.push(...formatZodIssues(pr.error, 'policy.params'))
    else params = pr.data as Record<string, unknown>
  }
  if (issues.length) throw new ScenarioError(issues)
  return {
    ...s,
    host: hostOf(h, sockets, cfs, f),
    vms: s.vms.map((vm) => ({ ...vm })),
    warmupNs,
    sampleIntervalNs,
    policy: { id: s.policy.id, params }
  }
}

/** The workload object a VM runs (preset id resolved, defaults applied). */
export function workloadOf(w: Scenario['vms'][number]['workload']): import('../../shared/scenario').Workload {
  if (typeof w === 'string') return WorkloadSchema.parse(findWorkloadPreset(w))
  return w
}

/** The resolved host: CFS keeps no scheduler field (its canonical form, and so store keys, as before); EEVDF gets its tunables. */
function hostOf<H extends { scheduler?: 'cfs' | 'eevdf'; eevdf?: { baseSliceNs?: number } }, C>(h: H, sockets: number, cfs: C, f: number) {
  const { scheduler, eevdf, ...rest } = h
  if (scheduler !== 'eevdf') return { ...rest, sockets, cfs }
  return { ...rest, sockets, cfs, scheduler: 'eevdf' as const, eevdf: { baseSliceNs: eevdf?.baseSliceNs ?? 750_000 * f } }
}
