/**
 * The app's figures (src/shared/charts: the same builders the renderer draws with vue-echarts) fed
 * from the store, for `ecs-lab figure`. Each function turns a run selection into the builders' plain
 * data; runs are grouped by policy, and by comparison point (scenario + sweep values) when a selection
 * spans several.
 */
import { buildFigure, commitSweepData, lockWaitData, preemptionsData, ratioData, throughputData, timeSeriesData, type Figure, type FigureKind, type FigureStyle, type RunForFigure } from '../../shared/charts'
import type { Scenario } from '../../shared/scenario'
import type { Store } from '../store'
import { pointOf } from './compare'
import { runSeries } from './runs'
import { selectRuns, type Selection, type SelectedRun } from './selection'

export const APP_FIGURE_KINDS: readonly FigureKind[] = ['throughput', 'ratio', 'preemptions', 'lock-wait', 'time-series', 'commit-sweep']

interface Loaded {
  run: SelectedRun
  policy: string
  point: string
  forFigure: RunForFigure
  scenario: Scenario
}

function load(store: Store, sel: Selection): Loaded[] {
  const out: Loaded[] = []
  for (const run of selectRuns(store, sel)) {
    if (run.row.status !== 'done') continue
    const res = store.results.get(run.row.id)
    if (!res) continue
    out.push({
      run,
      policy: String(run.params['policy'] ?? run.row.policy_id),
      point: '',
      forFigure: { policy: '', seed: run.row.seed, result: JSON.parse(res.summary_json) as RunForFigure['result'] },
      scenario: JSON.parse(run.row.scenario_json) as Scenario
    })
  }
  return out
}

export interface AppFigureOptions {
  style: FigureStyle
  /** Ratio figures: policy / baseline (defaults: the second and the first policy of the selection). */
  policy?: string
  baseline?: string
  /** time-series: which series (ops | preemptions | inCsPreemptions). */
  series?: 'ops' | 'preemptions' | 'inCsPreemptions'
}

export class FigureUnavailable extends Error {}

/** Builds one app figure for the selection, or throws FigureUnavailable saying why it does not apply. */
export function appFigure(store: Store, sel: Selection, kind: FigureKind, opts: AppFigureOptions): Figure {
  const runs = load(store, sel)
  if (runs.length === 0) throw new FigureUnavailable('no finished runs in the selection')
  // Compact point labels for legends: the scenario only when there are several, sweep keys by their
  // last segment (host.hz=250 -> hz=250).
  const scenarios = new Set(runs.map((r) => String(r.run.params['scenario'] ?? r.run.row.label)))
  for (const r of runs) {
    const p = pointOf(r.run.params).params
    r.point = Object.entries(p)
      .filter(([k]) => k !== 'scenario' || scenarios.size > 1)
      .map(([k, v]) => (k === 'scenario' ? String(v) : `${k.split('.').pop()}=${typeof v === 'string' ? v : JSON.stringify(v)}`))
      .join(' ') || String(p['scenario'] ?? '')
  }
  const points = [...new Set(runs.map((r) => r.point))]
  const policies = [...new Set(runs.map((r) => r.policy))]
  const label = (r: Loaded) => (points.length > 1 ? `${r.policy} · ${r.point}` : r.policy)
  const forFigure = (rs: Loaded[], name = label) => rs.map((r) => ({ policy: name(r), result: r.forFigure.result }))
  const baseline = opts.baseline ?? policies[0]!
  const policy = opts.policy ?? policies.find((p) => p !== baseline)
  switch (kind) {
    case 'throughput':
      return buildFigure('throughput', throughputData(forFigure(runs), { title: 'Throughput per VM and policy' }), opts.style)
    case 'preemptions':
      return buildFigure('preemptions', preemptionsData(forFigure(runs), { title: 'Preemptions by critical-section kind' }), opts.style)
    case 'lock-wait':
      return buildFigure('lock-wait', lockWaitData(forFigure(runs), { title: 'Lock wait time', normalize: true }), opts.style)
    case 'ratio': {
      if (!policy || !policies.includes(baseline)) throw new FigureUnavailable(`a ratio needs two policies (have: ${policies.join(', ')}; --policy / --baseline choose them)`)
      // A baseline run without a swept policy parameter serves every value of it (see baselineFor).
      const groups: Record<string, RunForFigure[]> = {}
      const paramsOf = (r: Loaded) => pointOf(r.run.params).params
      const subset = (a: Record<string, unknown>, b: Record<string, unknown>) => Object.entries(a).every(([k, v]) => JSON.stringify(b[k]) === JSON.stringify(v))
      const targets = runs.filter((r) => r.policy !== baseline)
      for (const r of targets) (groups[r.point] ??= []).push({ policy: r.policy, seed: r.forFigure.seed, result: r.forFigure.result })
      for (const b of runs.filter((r) => r.policy === baseline)) {
        const points = new Set(targets.filter((t) => subset(paramsOf(b), paramsOf(t))).map((t) => t.point))
        if (points.size === 0) points.add(b.point)
        for (const p of points) (groups[p] ??= []).push({ policy: b.policy, seed: b.forFigure.seed, result: b.forFigure.result })
      }
      return buildFigure('ratio', ratioData(groups, policy, baseline, `${policy} / ${baseline}`), opts.style)
    }
    case 'commit-sweep': {
      if (!policy || !policies.includes(baseline)) throw new FigureUnavailable(`a commit sweep needs two policies (have: ${policies.join(', ')})`)
      const commitOf = (s: Scenario) => s.vms.reduce((a, v) => a + v.vcpus, 0) / s.host.pcpus
      const commits = new Set(runs.map((r) => commitOf(r.scenario)))
      if (commits.size < 2) throw new FigureUnavailable('all runs have the same commit ratio (total vCPUs / pCPUs)')
      // One line per sweep point without the scenario (the scenarios are what sets the commit level).
      const lineOf = (r: Loaded) => pointOf(Object.fromEntries(Object.entries(r.run.params).filter(([k]) => k !== 'scenario'))).label || `${policy} / ${baseline}`
      const lines = new Map<string, Map<number, { policy: number[]; baseline: number[] }>>()
      for (const r of runs) {
        const total = r.forFigure.result.vms.reduce((a, v) => a + v.opsPerSec, 0)
        const byCommit = lines.get(lineOf(r)) ?? new Map()
        const level = byCommit.get(commitOf(r.scenario)) ?? { policy: [], baseline: [] }
        if (r.policy === policy) level.policy.push(total)
        else if (r.policy === baseline) level.baseline.push(total)
        byCommit.set(commitOf(r.scenario), level)
        lines.set(lineOf(r), byCommit)
      }
      return buildFigure('commit-sweep', commitSweepData(
        [...lines.entries()].map(([name, levels]) => ({
          name,
          levels: [...levels.entries()].filter(([, l]) => l.policy.length && l.baseline.length).sort((a, b) => a[0] - b[0]).map(([commit, l]) => ({ commit, policy: l.policy, baseline: l.baseline }))
        })),
        `${policy} / ${baseline} vs commit level`
      ), opts.style)
    }
    case 'time-series': {
      const r = runs[0]!
      const s = runSeries(store, r.run.row.id)
      if (s.t.length === 0) throw new FigureUnavailable(`run ${r.run.row.id.slice(0, 12)} has no stored series`)
      const series = { intervalNs: s.intervalNs, t: s.t, perVm: s.perVm.map((v) => ({ name: v.name, ...v.values })) }
      return buildFigure('time-series', timeSeriesData(series, opts.series ?? 'ops', { title: `${label(r)}, seed ${r.run.row.seed}`, warmupNs: r.scenario.warmupNs }), opts.style)
    }
  }
}
