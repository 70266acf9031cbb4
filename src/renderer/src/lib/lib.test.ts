import { describe, expect, it } from 'vitest'
import { commitLabel, commitRatio, placeVcpus } from './placement'
import { summarize, tQuantile975 } from './stats'
import { comparePaths, flatten, paramDiff } from './flatten'
import { buildSweepCampaign, levelOfLabel, sweepFormOf, sweepPoints, vcpusForLevel } from './sweep'
import { CampaignSchema } from '../../../shared/campaign'
import { factsOf, fieldOptions, matches, needsFacts } from './run-query'
import type { RunDetail, RunSummary } from '../../../shared/ipc/runs'
import { formatNs, formatRatio, formatSi, log2BucketLabel } from './format'
import { schemaHint } from './schema-hints'

describe('placement', () => {
  it('spreads unpinned vCPUs round-robin: vCPU i -> pCPU i mod P', () => {
    const p = placeVcpus(4, 1, [{ name: 'a', vcpus: 4 }, { name: 'b', vcpus: 4 }])
    expect(p.perPcpu.map((l) => l.map((v) => `${v.vm}.${v.vcpu}`))).toEqual([['0.0', '1.0'], ['0.1', '1.1'], ['0.2', '1.2'], ['0.3', '1.3']])
    expect(p.commitRatio).toBe(2)
    expect(p.maxStack).toBe(2)
  })

  it('places pinned vCPUs exactly and spreads the rest over the least-loaded pCPUs', () => {
    const p = placeVcpus(4, undefined, [{ name: 'a', vcpus: 2, pinning: [0, 0] }, { name: 'b', vcpus: 2 }])
    expect(p.perPcpu[0]).toEqual([{ vm: 0, vcpu: 0, pinned: true }, { vm: 0, vcpu: 1, pinned: true }])
    expect(p.perPcpu[1]).toEqual([{ vm: 1, vcpu: 0, pinned: false }])
    expect(p.perPcpu[2]).toEqual([{ vm: 1, vcpu: 1, pinned: false }])
  })

  it('reports pins outside the host and uses the engine default for sockets', () => {
    const p = placeVcpus(40, 3, [{ name: 'a', vcpus: 1, pinning: [99] }])
    expect(p.badPins).toEqual([{ vm: 0, vcpu: 0, pcpu: 99 }])
    expect(p.sockets).toBe(4)
    expect(placeVcpus(6, undefined, []).sockets).toBe(1)
    // an 8-pCPU host is one socket, not eight one-core sockets
    expect(placeVcpus(8, undefined, []).sockets).toBe(1)
  })

  it('labels commit ratios as the paper does', () => {
    expect(commitRatio(80, [{ vcpus: 80 }, { vcpus: 80 }])).toBe(2)
    expect(commitLabel(0.5)).toBe('under-committed')
    expect(commitLabel(1)).toBe('fully committed')
    expect(commitLabel(2)).toBe('over-committed')
    expect(commitLabel(NaN)).toBe('invalid')
  })
})

describe('stats', () => {
  it('gives the mean and a Student-t 95% CI', () => {
    const s = summarize([1, 2, 3])
    expect(s.mean).toBe(2)
    expect(s.stdev).toBe(1)
    expect(s.ci95).toBeCloseTo(4.303 / Math.sqrt(3), 6)
    expect(summarize([5]).ci95).toBe(0)
    expect(summarize([]).n).toBe(0)
    expect(tQuantile975(100)).toBe(1.96)
  })
})

describe('flatten and parameter diff', () => {
  it('flattens to dotted leaves and diffs columns', () => {
    expect(flatten({ host: { pcpus: 8 }, vms: [{ name: 'a' }], e: [] })).toEqual({ 'host.pcpus': 8, 'vms.0.name': 'a', e: '[]' })
    const rows = paramDiff([{ a: 1, b: { c: 2 } }, { a: 1, b: { c: 3 }, d: true }], false)
    expect(rows.map((r) => [r.path, r.differs])).toEqual([['a', false], ['b.c', true], ['d', true]])
    expect(paramDiff([{ a: 1, b: 2 }, { a: 1, b: 3 }], true).map((r) => r.path)).toEqual(['b'])
  })

  it('sorts numeric path segments numerically', () => {
    expect(['vms.10.x', 'vms.2.x', 'host'].sort(comparePaths)).toEqual(['host', 'vms.2.x', 'vms.10.x'])
  })
})

describe('sweep campaign', () => {
  it('splits vCPUs evenly per commit level and builds a valid campaign', () => {
    expect(vcpusForLevel(2, 8, 2)).toEqual([8, 8])
    expect(vcpusForLevel(1.5, 8, 2)).toEqual([6, 6])
    expect(vcpusForLevel(0.1, 8, 2)).toEqual([1, 1])
    expect(vcpusForLevel(1, 5, 2)).toEqual([3, 2])
    const c = buildSweepCampaign({ name: 's', workload: 'cpu-bound', pcpus: 8, vmCount: 2, levels: [0.5, 2], policies: ['kvm', 'ecs'], seeds: [1, 2], durationNs: 1e7 })
    expect(CampaignSchema.safeParse(c).success).toBe(true)
    expect(c.scenarios).toHaveLength(2)
    expect(levelOfLabel('commit 0.5x')).toBe(0.5)
  })

  it('reads the form parameters back from a campaign the form made, and refuses other campaigns', () => {
    const spec = buildSweepCampaign({ name: 's', workload: 'mutex-rwsem', pcpus: 6, vmCount: 3, levels: [0.5, 1.5, 3], policies: ['kvm', 'ecs-alternate'], seeds: [1, 2, 3, 4], durationNs: 7e6 })
    expect(sweepFormOf(spec)).toEqual({ workload: 'mutex-rwsem', pcpus: 6, vmCount: 3, levels: [0.5, 1.5, 3], policies: ['kvm', 'ecs-alternate'], seedCount: 4, durationNs: 7e6 })
    expect(sweepFormOf({ ...spec, seeds: { from: 1, count: 2 } })?.seedCount).toBe(2)
    // not the form's shape: a preset campaign, policy parameters, mixed hosts, no commit level in a label
    expect(sweepFormOf({ name: 'x', scenarios: ['overcommit-2x'], policies: ['kvm'] })).toBeNull()
    expect(sweepFormOf({ ...spec, policies: [{ id: 'ecs', params: { vetoCap: 2 } }] })).toBeNull()
    const mixed = structuredClone(spec) as unknown as { scenarios: { scenario: { host: { pcpus: number } } }[] }
    mixed.scenarios[1]!.scenario.host.pcpus = 8
    expect(sweepFormOf(mixed)).toBeNull()
    expect(sweepFormOf({ ...spec, scenarios: [{ label: 'baseline', scenario: (spec.scenarios[0] as { scenario: unknown }).scenario }] })).toBeNull()
    expect(sweepFormOf(null)).toBeNull()
  })

  it('turns finished runs into policy/baseline ratios per commit level', () => {
    const runs = [
      { label: 'commit 1x', policy: 'kvm', status: 'done' as const, opsPerSec: 100 },
      { label: 'commit 1x', policy: 'ecs', status: 'done' as const, opsPerSec: 150 },
      { label: 'commit 2x', policy: 'kvm', status: 'done' as const, opsPerSec: 50 },
      { label: 'commit 2x', policy: 'ecs', status: 'done' as const, opsPerSec: 125 },
      { label: 'commit 2x', policy: 'ecs', status: 'failed' as const, opsPerSec: null }
    ]
    expect(sweepPoints(runs, 'kvm').map(({ policy, commitRatio, ratio }) => ({ policy, commitRatio, ratio }))).toEqual([{ policy: 'ecs', commitRatio: 1, ratio: 1.5 }, { policy: 'ecs', commitRatio: 2, ratio: 2.5 }])
    // one seed each: no confidence interval
    expect(sweepPoints(runs, 'kvm')[0].ci95).toBeNaN()
  })

  it('pairs sweep ratios by seed when the runs carry seeds', () => {
    const row = (policy: string, seed: number, opsPerSec: number) => ({ label: 'commit 2x', policy, seed, status: 'done' as const, opsPerSec })
    const p = sweepPoints([row('kvm', 1, 100), row('kvm', 2, 300), row('ecs', 1, 200), row('ecs', 2, 600)], 'kvm')
    expect(p).toHaveLength(1)
    expect(p[0].ratio).toBeCloseTo(2, 12)
    expect(p[0].ci95).toBeCloseTo(0, 12)
  })
})

describe('run query', () => {
  const summary = { id: 'abc123', policy: 'kvm', status: 'done', seed: 1, opsPerSec: 10, inCsPreemptions: 2 } as RunSummary
  const detail = {
    ...summary,
    policyParams: {},
    scenario: { host: { pcpus: 4 }, vms: [{ name: 'a', vcpus: 4, workload: 'spinlock-heavy' }, { name: 'b', vcpus: 4, workload: { title: 'mine' } }] },
    metrics: { 'counters.ple.exits': 7 }
  } as unknown as RunDetail

  it('derives workload, commit ratio, parameters and metrics', () => {
    const f = factsOf(detail)
    expect(f.workloads).toEqual(['spinlock-heavy', 'mine'])
    expect(f.commitRatio).toBe(2)
    expect(f.params['host.pcpus']).toBe(4)
    expect(f.params['policy.id']).toBe('kvm')
    expect(fieldOptions([f])).toContain('metric:counters.ple.exits')
  })

  it('matches conditions numerically or as text', () => {
    const f = factsOf(detail)
    expect(matches({ field: 'commitRatio', op: '>', value: '1' }, summary, f)).toBe(true)
    expect(matches({ field: 'param:host.pcpus', op: '=', value: '4' }, summary, f)).toBe(true)
    expect(matches({ field: 'metric:counters.ple.exits', op: '<', value: '5' }, summary, f)).toBe(false)
    expect(matches({ field: 'workload', op: 'contains', value: 'SPIN' }, summary, f)).toBe(true)
    expect(matches({ field: 'policy', op: '!=', value: 'ecs' }, summary, undefined)).toBe(true)
    expect(matches({ field: 'workload', op: '=', value: 'x' }, summary, undefined)).toBe(false)
    expect(needsFacts([{ field: 'policy', op: '=', value: 'kvm' }])).toBe(false)
    expect(needsFacts([{ field: 'commitRatio', op: '=', value: '1' }])).toBe(true)
  })
})

describe('format', () => {
  it('formats numbers, times and buckets', () => {
    expect(formatSi(1234)).toBe('1.23k')
    expect(formatSi(null)).toBe('–')
    expect(formatNs(1500)).toBe('1.5 µs')
    expect(formatNs(24e6)).toBe('24 ms')
    expect(formatRatio(2.414)).toBe('2.41×')
    expect(log2BucketLabel(0)).toBe('0–2 ns')
    expect(log2BucketLabel(10)).toBe('≥1.02 µs')
  })
})

describe('schema hints', () => {
  it('reads field descriptions from the shared schema', () => {
    expect(schemaHint('host.pcpus')).toBe('Physical CPUs of the host.')
    expect(schemaHint('host.ple.gap')).toMatch(/ple_gap/)
    expect(schemaHint('vms.0.pinning')).toMatch(/pCPU per vCPU/)
    expect(schemaHint('nope.x')).toBeUndefined()
  })
})
