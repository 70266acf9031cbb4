/**
 * Client-side filtering of the saved-runs table on what the server filter does not cover: the
 * workload, the commit ratio, and any scenario parameter or result metric (pure).
 */
import type { RunDetail, RunSummary } from '../../../shared/ipc/runs'
import { flatten } from './flatten'

/** What the table knows about a run once its detail is loaded. */
export interface RunFacts {
  workloads: string[]
  commitRatio: number
  pcpus: number
  /** Scenario parameters (`host.pcpus`, `vms.0.vcpus`, ...), policy params as `policy.params.x`. */
  params: Record<string, string | number | boolean | null>
  /** Result metrics by name (`counters.x`, `vms.web.opsPerSec`, ...). */
  metrics: Record<string, number>
}

export function factsOf(d: RunDetail): RunFacts {
  const vms = d.scenario?.vms ?? []
  const total = vms.reduce((a, v) => a + v.vcpus, 0)
  const pcpus = d.scenario?.host?.pcpus ?? NaN
  return {
    workloads: vms.map((v) => (typeof v.workload === 'string' ? v.workload : (v.workload.title ?? 'custom'))),
    commitRatio: pcpus > 0 ? total / pcpus : NaN,
    pcpus,
    params: { ...flatten(d.scenario ?? {}), ...flatten({ policy: { id: d.policy, params: d.policyParams } }) },
    metrics: d.metrics ?? {}
  }
}

export type Op = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'contains'
export const OPS: readonly Op[] = ['=', '!=', '<', '<=', '>', '>=', 'contains']

export interface FieldCondition {
  /** `param:host.pcpus`, `metric:counters.ple.exits`, `workload`, `commitRatio`, `policy` (the id), `variant` (`ecs {vetoCap: 4}`). */
  field: string
  op: Op
  value: string
}

/** The value of a condition's field for a run, or undefined if unknown (detail not loaded). */
export function fieldValue(field: string, run: RunSummary, facts: RunFacts | undefined): string | number | boolean | null | undefined {
  if (field === 'policy') return run.policy
  if (field === 'variant') return run.policyLabel ?? run.policy
  if (field === 'status') return run.status
  if (field === 'seed') return run.seed
  if (field === 'opsPerSec') return run.opsPerSec
  if (field === 'inCsPreemptions') return run.inCsPreemptions
  if (!facts) return undefined
  if (field === 'workload') return facts.workloads.join(',')
  if (field === 'commitRatio') return facts.commitRatio
  if (field.startsWith('param:')) return facts.params[field.slice(6)]
  if (field.startsWith('metric:')) return facts.metrics[field.slice(7)]
  return undefined
}

export function matches(cond: FieldCondition, run: RunSummary, facts: RunFacts | undefined): boolean {
  const v = fieldValue(cond.field, run, facts)
  if (v === undefined) return false
  const want = cond.value.trim()
  if (cond.op === 'contains') return String(v).toLowerCase().includes(want.toLowerCase())
  const wn = Number(want)
  const vn = typeof v === 'number' ? v : Number(v)
  const numeric = want !== '' && Number.isFinite(wn) && Number.isFinite(vn)
  switch (cond.op) {
    case '=': return numeric ? vn === wn : String(v) === want
    case '!=': return numeric ? vn !== wn : String(v) !== want
    case '<': return numeric && vn < wn
    case '<=': return numeric && vn <= wn
    case '>': return numeric && vn > wn
    case '>=': return numeric && vn >= wn
  }
  return false
}

/** Whether conditions need run details (anything beyond the summary row). */
export function needsFacts(conds: readonly FieldCondition[]): boolean {
  return conds.some((c) => !['policy', 'variant', 'status', 'seed', 'opsPerSec', 'inCsPreemptions'].includes(c.field))
}

/** Field names offered by the filter builder, from the loaded facts. */
export function fieldOptions(facts: Iterable<RunFacts>): string[] {
  const params = new Set<string>()
  const metrics = new Set<string>()
  for (const f of facts) {
    Object.keys(f.params).forEach((k) => params.add(k))
    Object.keys(f.metrics).forEach((k) => metrics.add(k))
  }
  return [
    'workload', 'commitRatio', 'policy', 'variant', 'status', 'seed', 'opsPerSec', 'inCsPreemptions',
    ...[...params].sort().map((p) => `param:${p}`),
    ...[...metrics].sort().map((m) => `metric:${m}`)
  ]
}
