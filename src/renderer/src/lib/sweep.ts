/**
 * The sweep view's campaign: one workload on a fixed host at several commit levels (total vCPUs /
 * pCPUs, under- to over-committed), each run under the baseline and the other policies (pure).
 */
import type { CampaignInput } from '../../../shared/campaign'
import type { RunSummary } from '../../../shared/ipc/runs'
import type { SweepPoint } from '../charts/sweep'
import { pairedRatioOf, ratioOfMeans } from '../../../shared/stats'
import { hostLabel, type HostShape } from '../../../shared/host-label'

export interface SweepSpec {
  name: string
  workload: string
  pcpus: number
  vmCount: number
  /** Commit levels, e.g. [0.5, 1, 2, 3]. */
  levels: number[]
  policies: string[]
  seeds: number[]
  durationNs: number
}

/** vCPUs of each VM for a commit level: round(level x pCPUs) spread evenly, at least 1 each. */
export function vcpusForLevel(level: number, pcpus: number, vmCount: number): number[] {
  const total = Math.max(vmCount, Math.round(level * pcpus))
  const base = Math.floor(total / vmCount)
  return Array.from({ length: vmCount }, (_, i) => base + (i < total % vmCount ? 1 : 0))
}

/** Label of a commit level's scenario, with the host size when known; `levelOfLabel` reads it back. */
export function levelLabel(level: number, host?: HostShape): string {
  return host ? `commit ${level}x · ${hostLabel(host)}` : `commit ${level}x`
}

export function levelOfLabel(label: string): number | null {
  const m = /commit ([0-9.]+)x/.exec(label)
  return m ? Number(m[1]) : null
}

export function buildSweepCampaign(s: SweepSpec): CampaignInput {
  return {
    name: s.name,
    description: `${s.workload} on ${s.pcpus} pCPUs, ${s.vmCount} VMs, commit levels ${s.levels.join(', ')}`,
    scenarios: s.levels.map((level) => ({
      label: levelLabel(level, { pcpus: s.pcpus, vcpus: vcpusForLevel(level, s.pcpus, s.vmCount) }),
      scenario: {
        name: `${s.workload} ${levelLabel(level)}`,
        host: { pcpus: s.pcpus },
        vms: vcpusForLevel(level, s.pcpus, s.vmCount).map((vcpus, i) => ({ name: `vm${i}`, vcpus, workload: s.workload })),
        durationNs: s.durationNs
      }
    })),
    policies: s.policies,
    seeds: s.seeds
  }
}

/**
 * Ratio of each policy's total ops/s to the baseline's at each commit level, from the campaign's
 * finished runs: paired by seed (mean and 95% CI of the per-seed ratios, as `ecs-lab compare`) when
 * the runs carry seeds and at least two are common, else the ratio of the means. The real commit
 * ratio (after rounding vCPUs) is used on the x axis.
 */
export function sweepPoints(runs: readonly (Pick<RunSummary, 'label' | 'policy' | 'status' | 'opsPerSec'> & { seed?: number })[], baseline: string, pcpus?: number, vmCount?: number): SweepPoint[] {
  const groups = new Map<string, Map<string, { values: number[]; bySeed: Map<number, number> }>>()
  for (const r of runs) {
    if (r.status !== 'done' || r.opsPerSec === null) continue
    const byPolicy = groups.get(r.label) ?? new Map<string, { values: number[]; bySeed: Map<number, number> }>()
    const g = byPolicy.get(r.policy) ?? { values: [], bySeed: new Map<number, number>() }
    g.values.push(r.opsPerSec)
    if (r.seed !== undefined) g.bySeed.set(r.seed, r.opsPerSec)
    byPolicy.set(r.policy, g)
    groups.set(r.label, byPolicy)
  }
  const out: SweepPoint[] = []
  for (const [label, byPolicy] of groups) {
    const level = levelOfLabel(label)
    const base = byPolicy.get(baseline)
    if (level === null || !base) continue
    const commit = pcpus && vmCount ? vcpusForLevel(level, pcpus, vmCount).reduce((a, v) => a + v, 0) / pcpus : level
    for (const [policy, g] of byPolicy) {
      if (policy === baseline) continue
      const paired = pairedRatioOf(g.bySeed, base.bySeed)
      const means = ratioOfMeans(g.values, base.values)
      const r = paired.n >= 2 ? { ratio: paired.mean, ci95: paired.high - paired.mean } : { ratio: means.ratio, ci95: means.high - means.ratio }
      out.push({ policy, commitRatio: Number(commit.toFixed(3)), ratio: r.ratio, ci95: r.ci95 })
    }
  }
  return out.sort((a, b) => a.commitRatio - b.commitRatio)
}

/** The Sweep form's fields, as buildSweepCampaign's spec takes them (seeds as a count from 1). */
export interface SweepForm {
  workload: string
  pcpus: number
  vmCount: number
  levels: number[]
  policies: string[]
  seedCount: number
  durationNs: number
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * The form parameters that made a stored campaign, read back from its spec, or null when the campaign
 * was not made by the Sweep form (or by a campaign file of the same shape): one `{label, scenario}` per
 * commit level (levelOfLabel), all on one host with the same VM count and one preset workload, and
 * policies given by id.
 */
export function sweepFormOf(spec: unknown): SweepForm | null {
  if (!isObj(spec) || !Array.isArray(spec.scenarios) || !spec.scenarios.length || !Array.isArray(spec.policies)) return null
  const levels: number[] = []
  let first: { pcpus: number; vmCount: number; workload: string; durationNs: number } | null = null
  for (const s of spec.scenarios as unknown[]) {
    if (!isObj(s) || typeof s.label !== 'string' || !isObj(s.scenario)) return null
    const level = levelOfLabel(s.label)
    const sc = s.scenario
    const vms = Array.isArray(sc.vms) ? (sc.vms as unknown[]) : []
    const pcpus = isObj(sc.host) ? sc.host.pcpus : undefined
    const workload = isObj(vms[0]) ? vms[0].workload : undefined
    if (level === null || typeof pcpus !== 'number' || !vms.length || typeof workload !== 'string' || typeof sc.durationNs !== 'number') return null
    if (vms.some((v) => !isObj(v) || v.workload !== workload)) return null
    const shape = { pcpus, vmCount: vms.length, workload, durationNs: sc.durationNs }
    if (first && (first.pcpus !== shape.pcpus || first.vmCount !== shape.vmCount || first.workload !== shape.workload || first.durationNs !== shape.durationNs)) return null
    first ??= shape
    levels.push(level)
  }
  const policies = (spec.policies as unknown[]).map((p) => (typeof p === 'string' ? p : isObj(p) && typeof p.id === 'string' && (!isObj(p.params) || !Object.keys(p.params).length) ? p.id : null))
  if (!first || policies.some((p) => p === null)) return null
  const seeds = spec.seeds
  const seedCount = Array.isArray(seeds) ? seeds.length : isObj(seeds) && typeof seeds.count === 'number' ? seeds.count : 1
  return { ...first, levels, policies: policies as string[], seedCount }
}
