/** Comparison runs: Student-t CIs, ratios to the baseline, determinism, fair shares. */
import { describe, expect, it } from 'vitest'
import { compareScenario, fairShares, statOf } from './compare'
import { runScenario } from '../index'
import { resolveScenario } from '../scenario/resolve'

describe('statOf', () => {
  it('mean, sample sd and the 95 % Student-t interval', () => {
    const s = statOf([1, 2, 3])
    expect(s.mean).toBe(2)
    expect(s.sd).toBeCloseTo(1, 12)
    expect(s.high - s.mean).toBeCloseTo(4.303 / Math.sqrt(3), 6) // t(0.975, 2) = 4.303
    expect(statOf([5])).toEqual({ n: 1, mean: 5, sd: 0, low: 5, high: 5 })
    expect(statOf([]).n).toBe(0)
  })
})

describe('compareScenario', () => {
  it('runs every policy on the same seeds; the baseline ratio is 1 and results are deterministic', () => {
    const input = { preset: 'quick', durationNs: 10_000_000, warmupNs: 1_000_000 }
    const c = compareScenario(input, ['kvm', 'ecs', { id: 'ecs', params: { vetoCap: 1 }, label: 'ecs-k1' }], [1, 2, 3], (s) => runScenario(s))
    expect(c.baseline).toBe('kvm')
    expect(c.seeds).toEqual([1, 2, 3])
    expect(c.policies.map((p) => p.label)).toEqual(['kvm', 'ecs', 'ecs-k1'])
    const kvm = c.policies[0]
    expect(kvm.ratio['throughput.opsPerSec']).toBe(1)
    expect(kvm.pairedRatio['throughput.opsPerSec'].mean).toBe(1)
    const ecs = c.policies[1]
    expect(ecs.metrics['throughput.opsPerSec'].n).toBe(3)
    expect(ecs.metrics['throughput.opsPerSec'].low).toBeLessThanOrEqual(ecs.metrics['throughput.opsPerSec'].mean)
    expect(ecs.ratio['throughput.opsPerSec']).toBeCloseTo(ecs.metrics['throughput.opsPerSec'].mean / kvm.metrics['throughput.opsPerSec'].mean, 12)
    const again = compareScenario(input, ['kvm', 'ecs', { id: 'ecs', params: { vetoCap: 1 }, label: 'ecs-k1' }], [1, 2, 3], (s) => runScenario(s))
    expect(again).toEqual(c)
  })

  it('rejects an unknown policy or invalid params before running anything', () => {
    let ran = 0
    expect(() => compareScenario({ preset: 'quick' }, ['kvm', 'nope'], [1], (s) => { ran++; return runScenario(s) })).toThrow(/unknown policy/)
    expect(() => compareScenario({ preset: 'quick' }, ['kvm', { id: 'ecs', params: { vetoMode: 'x' } }], [1], (s) => { ran++; return runScenario(s) })).toThrow()
    expect(ran).toBe(0)
  })
})

describe('fairShares', () => {
  it('splits pCPU time by weight with each vCPU capped at one pCPU', () => {
    const s = (vms: { vcpus: number; weight?: number }[], pcpus: number) => resolveScenario({ host: { pcpus, sockets: 1 }, vms: vms.map((v, i) => ({ name: `vm${i}`, vcpus: v.vcpus, workload: 'cpu-bound', weight: v.weight ?? 1024 })), durationNs: 1_000_000 })
    expect(fairShares(s([{ vcpus: 4 }, { vcpus: 4 }], 4))).toEqual([0.5, 0.5])
    expect(fairShares(s([{ vcpus: 2 }], 4))).toEqual([0.5]) // under-committed: capped at its vCPUs
    const w = fairShares(s([{ vcpus: 4, weight: 3072 }, { vcpus: 4 }], 4))
    expect(w[0]).toBeCloseTo(0.75, 12)
    const cap = fairShares(s([{ vcpus: 1, weight: 100000 }, { vcpus: 4 }], 4))
    expect(cap[0]).toBeCloseTo(0.25, 12) // one vCPU cannot use more than one pCPU
    expect(cap[1]).toBeCloseTo(0.75, 12)
  })
})
