import { describe, expect, it } from 'vitest'
import { compareDiff, defaultBaseline, deltaTo, flattenCompact, formatPercent, withInterpolatedPercentiles, type CompareItem } from './compare'
import { paramDiff } from './flatten'

const ANN = ['spinlock', 'rwlock', 'mutex', 'rwsem', 'rcu', 'irq']
const ECS_DEFAULTS = { veto: true, vetoCap: null, annotate: ANN, boost: 'none' }

function item(policy: string, params: Record<string, unknown>, seed: number, pcpus = 8): CompareItem {
  const scenario = { name: 'x', host: { pcpus, hz: 250, sockets: 1 }, vms: [{ name: 'a', vcpus: 8, workload: 'spinlock-heavy' }], durationNs: 2e7, seed, policy: { id: policy, params } }
  return { scenario, policy, policyParams: params, seed, engineVersion: '1' }
}
const defaults = (id: string) => (id === 'ecs' ? ECS_DEFAULTS : id === 'kvm' ? {} : undefined)

describe('compareDiff', () => {
  const runs = [item('kvm', {}, 1), item('ecs', { ...ECS_DEFAULTS }, 1), item('ecs', { ...ECS_DEFAULTS, vetoCap: 4, annotate: ['spinlock', 'mutex'] }, 2)]

  it('lists scenario fields once (no scenario.policy.* next to policy.*)', () => {
    const paths = compareDiff(runs, { differencesOnly: false, showDefaults: true, policyDefaults: defaults }).map((r) => r.path)
    expect(paths.filter((p) => p.includes('scenario'))).toEqual([])
    expect(paths.filter((p) => p === 'seed')).toHaveLength(1)
    expect(paths).toContain('host.pcpus')
    expect(paths.slice(0, 2)).toEqual(['policy', 'policy.params.annotate'])
    // the old diff repeated every policy field under scenario.policy.* and split annotate into 6 rows
    const old = paramDiff(runs.map((r) => ({ policy: { id: r.policy, params: r.policyParams }, seed: r.seed, scenario: r.scenario })), false).map((r) => r.path)
    expect(old.some((p) => p.startsWith('scenario.policy.'))).toBe(true)
  })

  it('collapses a list of names into one row', () => {
    const rows = compareDiff(runs, { differencesOnly: true, showDefaults: false, policyDefaults: defaults })
    const ann = rows.filter((r) => r.path.startsWith('policy.params.annotate'))
    expect(ann).toHaveLength(1)
    expect(ann[0]!.values).toEqual([null, ANN.join(', '), 'spinlock, mutex'])
  })

  it('hides rows where every run is at its default unless asked', () => {
    const all = compareDiff(runs, { differencesOnly: false, showDefaults: false, policyDefaults: defaults }).map((r) => r.path)
    expect(all).not.toContain('host.hz') // 250 is the host default
    expect(all).toContain('policy.params.vetoCap') // one run sets it
    // kvm has no eCS parameters; eCS runs at their default: no row
    expect(all).not.toContain('policy.params.veto')
    const two = [runs[1]!, item('ecs', { ...ECS_DEFAULTS }, 5)]
    const rows = compareDiff(two, { differencesOnly: false, showDefaults: false, policyDefaults: defaults }).map((r) => r.path)
    expect(rows.some((p) => p.startsWith('policy.params.'))).toBe(false)
    expect(compareDiff(two, { differencesOnly: false, showDefaults: true, policyDefaults: defaults }).map((r) => r.path)).toContain('host.hz')
  })

  it('differences only keeps just the differing rows', () => {
    const rows = compareDiff(runs, { differencesOnly: true, showDefaults: false, policyDefaults: defaults })
    expect(rows.every((r) => r.differs)).toBe(true)
    expect(rows.map((r) => r.path)).toEqual(['policy', 'policy.params.annotate', 'policy.params.blockedWaiterSpin', 'policy.params.boost', 'policy.params.veto', 'policy.params.vetoCap', 'seed'].filter((p) => rows.some((r) => r.path === p)))
  })
})

describe('baseline and deltas', () => {
  it('defaults to the first kvm run', () => {
    expect(defaultBaseline([{ id: 'a', policy: 'ecs' }, { id: 'b', policy: 'kvm' }])).toBe('b')
    expect(defaultBaseline([{ id: 'a', policy: 'ecs' }])).toBe('a')
    expect(defaultBaseline([])).toBeNull()
  })
  it('delta and percent against the baseline', () => {
    expect(deltaTo(200, 210)).toEqual({ value: 210, delta: 10, percent: 5 })
    expect(deltaTo(0, 3)).toEqual({ value: 3, delta: 3, percent: null })
    expect(deltaTo(undefined, 3)).toEqual({ value: 3, delta: null, percent: null })
    expect(deltaTo(3, undefined).value).toBeNull()
    expect(formatPercent(5)).toBe('+5.00 %')
    expect(formatPercent(-12.34)).toBe('−12.3 %')
    expect(formatPercent(null)).toBe('—')
  })
  it('recomputes the lock-wait percentiles from the histogram', () => {
    const h = new Array<number>(20).fill(0)
    h[19] = 10
    const m = withInterpolatedPercentiles({ 'lockWait.p99Ns': 1048576, x: 1 }, h)
    expect(m['lockWait.p99Ns']).toBeLessThan(1048576)
    expect(m['lockWait.p99Ns']).toBeGreaterThan(524288)
    expect(m.x).toBe(1)
  })
  it('flattenCompact keeps lists of objects indexed', () => {
    expect(flattenCompact({ vms: [{ n: 1 }, { n: 2 }], a: ['x', 'y'] })).toEqual({ 'vms.0.n': 1, 'vms.1.n': 2, a: 'x, y' })
  })
})
