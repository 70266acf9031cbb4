/** compare:* — finished runs side by side: grouped by (scenario, sweep point) x policy, aggregated over seeds. */
import type { Handlers } from '../../shared/ipc'
import type { Comparison, ComparisonGroup, ComparisonSeries, MetricStats } from '../../shared/ipc/compare'
import type { Store } from '../store'
import { runPolicyLabel } from '../policies'
import type { ServiceContext } from './context'
import { runSeries } from './runs'
import { findRun } from './runs'
import { selectRuns, type Selection } from './selection'
import { pairedRatioOf, statOf } from '../../shared/stats'

export const HEADLINE_METRICS = ['total.opsPerSec', 'preemptions.total', 'preemptions.inCriticalSection.total', 'preemptions.lockHolder', 'lockWait.p99Ns']

/** Same statistics as the comparison library (`ecs-lab compare`, reproduce): sample sd and a 95 % Student-t CI. */
function stats(values: number[]): Omit<MetricStats, 'ratio'> {
  const s = statOf(values)
  return { n: values.length, mean: s.mean, stdev: s.sd, min: Math.min(...values), max: Math.max(...values), ciLow: s.low, ciHigh: s.high }
}

/** The coordinates that define a comparison point: everything but policy and seed. */
export function pointOf(params: Record<string, unknown>): { key: string; label: string; params: Record<string, unknown> } {
  const rest: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(params)) if (k !== 'policy' && k !== 'seed') rest[k] = v
  const label = Object.entries(rest).map(([k, v]) => (k === 'scenario' ? String(v) : `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)).join(' ')
  return { key: JSON.stringify(rest), label, params: rest }
}

/**
 * The baseline group to compare `g` with: the baseline policy at the same point, else at a point whose
 * coordinates are a subset of g's (a policy that does not take a swept policy parameter runs once, and
 * is then every sweep value's baseline).
 */
export function baselineFor<T extends { point: string; policy: string; params: Record<string, unknown> }>(groups: readonly T[], g: T, baseline: string): T | undefined {
  const same = groups.find((b) => b.point === g.point && b.policy === baseline)
  if (same) return same
  return groups.find((b) => b.policy === baseline && Object.entries(b.params).every(([k, v]) => JSON.stringify(g.params[k]) === JSON.stringify(v)))
}

export function compareRuns(store: Store, sel: Selection, metrics = HEADLINE_METRICS, baselinePolicy?: string): Comparison {
  const runs = selectRuns(store, sel).filter((r) => r.row.status === 'done')
  const groups = new Map<string, ComparisonGroup & { values: Record<string, number[]>; bySeed: Record<string, Map<number, number>> }>()
  const points: string[] = []
  const policies: string[] = []
  for (const r of runs) {
    const point = pointOf(r.params)
    const policy = String(r.params['policy'] ?? r.row.policy_id)
    if (!points.includes(point.label)) points.push(point.label)
    if (!policies.includes(policy)) policies.push(policy)
    const key = `${point.key}\u0000${policy}`
    let g = groups.get(key)
    if (!g) {
      g = { point: point.label, label: String(point.params['scenario'] ?? r.row.label), params: point.params, policy, runIds: [], metrics: {}, values: {}, bySeed: {} }
      groups.set(key, g)
    }
    g.runIds.push(r.row.id)
    const m = store.metrics.forRun(r.row.id)
    for (const name of metrics) {
      if (m[name] === undefined) continue
      ;(g.values[name] ??= []).push(m[name]!)
      ;(g.bySeed[name] ??= new Map()).set(r.row.seed, m[name]!)
    }
  }
  const list = [...groups.values()]
  for (const g of list) for (const [name, vals] of Object.entries(g.values)) g.metrics[name] = { ...stats(vals), ratio: null }
  if (baselinePolicy) {
    for (const g of list) {
      const base = baselineFor(list, g, baselinePolicy)
      if (!base) continue
      for (const [name, s] of Object.entries(g.metrics)) {
        const b = base.metrics[name]
        // paired by seed when at least two seeds are common (as ecs-lab compare / reproduce), else mean / mean
        const paired = g !== base && base.bySeed[name] ? pairedRatioOf(g.bySeed[name], base.bySeed[name]) : null
        if (paired && paired.n >= 2) {
          s.ratio = paired.mean
          s.ratioCiLow = paired.low
          s.ratioCiHigh = paired.high
          s.ratioMethod = 'paired'
        } else {
          s.ratio = b && b.mean !== 0 ? s.mean / b.mean : null
          if (s.ratio !== null) s.ratioMethod = 'means'
        }
      }
    }
  }
  return {
    metricNames: metrics,
    policies,
    points,
    groups: list.map(({ values: _v, bySeed: _s, ...g }) => g)
  }
}

export function compareHandlers(ctx: ServiceContext): Pick<Handlers, 'compare:summary' | 'compare:series'> {
  return {
    'compare:summary': (sel) => {
      const selection: Selection = sel.runIds ? { runIds: sel.runIds } : { campaignId: sel.campaignId! }
      return compareRuns(ctx.store(), selection, sel.metrics ?? HEADLINE_METRICS, sel.baselinePolicy)
    },
    'compare:series': (ids, names) => {
      const store = ctx.store()
      const out: ComparisonSeries = { intervalNs: 0, lines: [] }
      for (const id of ids) {
        const row = findRun(store, id)
        const s = runSeries(store, row.id)
        out.intervalNs = s.intervalNs
        for (const vm of s.perVm) {
          for (const [name, values] of Object.entries(vm.values)) {
            if (names && !names.includes(name)) continue
            out.lines.push({ runId: row.id, label: row.label, policy: runPolicyLabel(row.policy_id, JSON.parse(row.policy_params_json) as Record<string, unknown>), seed: row.seed, vm: vm.name, name, t: s.t, values })
          }
        }
      }
      return out
    }
  }
}
