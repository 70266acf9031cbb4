/** Policy variants in the renderer: the form's fields from a params schema, and batch results per variant. */
import { describe, expect, it } from 'vitest'
import type { RunResultSummary } from '../../../shared/ipc/runs'
import { aggregateRuns, headlineRatio, TOTAL_VM, type RunForAggregate } from './results'
import { initialValues, paramFields, parseVariantQuery, sameVariant, validateField, variantParams, variantQueryValue } from './policy-params'

/** The shape `z.toJSONSchema` gives ecs's params (trimmed). */
const ecsSchema = {
  type: 'object',
  properties: {
    veto: { default: true, description: 'host veto', type: 'boolean' },
    vetoMode: { default: 'effective', type: 'string', enum: ['effective', 'alternate'] },
    vetoCap: { default: null, description: 'cap', anyOf: [{ type: 'integer', minimum: 1, maximum: 1000000 }, { type: 'null' }] },
    annotate: { default: ['spinlock', 'rwlock', 'mutex'], type: 'array', items: { type: 'string', enum: ['spinlock', 'rwlock', 'mutex'] } },
    boost: { default: 'none', type: 'string', enum: ['none', 'nice'] }
  }
}

describe('policy parameter form', () => {
  const fields = paramFields(ecsSchema)

  it('maps booleans, enums, nullable ranged integers and enum arrays to widgets', () => {
    expect(fields.map((f) => [f.name, f.kind])).toEqual([['veto', 'boolean'], ['vetoMode', 'enum'], ['vetoCap', 'number'], ['annotate', 'multi'], ['boost', 'enum']])
    expect(fields[2]).toMatchObject({ nullable: true, integer: true, min: 1, max: 1000000, default: null })
    expect(fields[3]!.options).toEqual(['spinlock', 'rwlock', 'mutex'])
    expect(paramFields({ properties: {} })).toEqual([])
    expect(paramFields({ properties: { blob: { type: 'object' } } })[0]!.kind).toBe('json')
  })

  it('starts at the defaults and sends only the non-default values', () => {
    const v = initialValues(fields)
    expect(variantParams(ecsSchema, v)).toEqual({})
    expect(variantParams(ecsSchema, { ...v, vetoCap: 4 })).toEqual({ vetoCap: 4 })
    // an enum array comes out in the schema's order, so equal selections are equal variants
    expect(variantParams(ecsSchema, { ...v, annotate: ['mutex', 'spinlock'], boost: 'nice' })).toEqual({ annotate: ['spinlock', 'mutex'], boost: 'nice' })
    expect(variantParams(ecsSchema, { ...v, annotate: ['rwlock', 'spinlock', 'mutex'] })).toEqual({})
  })

  it('validates against the schema with the allowed values in the message', () => {
    const cap = fields[2]!
    expect(validateField(cap, null)).toBeNull()
    expect(validateField(cap, 4)).toBeNull()
    expect(validateField(cap, 0)).toBe('vetoCap: 0 is out of range (allowed: 1 to 1000000 or unbounded)')
    expect(validateField(cap, 1.5)).toMatch(/whole number/)
    expect(validateField(cap, NaN)).toMatch(/expected a number/)
    expect(validateField(fields[4]!, 'loud')).toBe("boost: expected one of 'none', 'nice'")
    expect(validateField(fields[0]!, null)).toMatch(/required/)
  })

  it('round-trips variants through the ?variant= query and reports bad ones', () => {
    const v = { id: 'ecs', params: { vetoCap: 1 } }
    expect(parseVariantQuery([variantQueryValue(v)], ['kvm', 'ecs']).variants).toEqual([v])
    const bad = parseVariantQuery(['nope:{}', 'ecs:{vetoCap', 'ecs:[1]'], ['ecs'])
    expect(bad.variants).toEqual([])
    expect(bad.errors).toHaveLength(3)
    expect(sameVariant({ id: 'ecs', params: { a: 1, b: 2 } }, { id: 'ecs', params: { b: 2, a: 1 } })).toBe(true)
  })
})

function result(ops: number, inCs: number): RunResultSummary {
  return {
    engineVersion: 'x', policy: 'p', policyParams: {}, seed: 1, simulatedNs: 1e9, warmupNs: 0, measuredNs: 1e9, events: 1, digest: 'd',
    vms: [{ name: 'vm0', vcpus: 4, workload: 'w', ops, opsPerSec: ops, opsPerVcpuPerSec: 0, cpuTimeNs: 0, stealNs: 0 }],
    preemptions: { total: 10, inCriticalSection: { total: inCs, byKind: { spinlock: inCs, rwlock: 0, mutex: 0, rwsem: 0, rcu: 0, irq: 0 } }, lockHolder: 1, lockWaiter: 0 },
    counters: {}, lockWaitHistogram: { unit: 'ns', buckets: [inCs] }, pcpuBusyNs: [], pcpuIdleNs: []
  }
}

describe('batch results with policy variants', () => {
  const runs: RunForAggregate[] = [
    { id: 'e1', policy: 'ecs', policyLabel: 'ecs', seed: 1, result: result(150, 1) },
    { id: 'e2', policy: 'ecs', policyLabel: 'ecs', seed: 2, result: result(170, 1) },
    { id: 'k1', policy: 'kvm', policyLabel: 'kvm', seed: 1, result: result(100, 5) },
    { id: 'k2', policy: 'kvm', policyLabel: 'kvm', seed: 2, result: result(100, 7) },
    { id: 'c1', policy: 'ecs', policyLabel: 'ecs {vetoCap: 1}', seed: 1, result: result(120, 3) },
    { id: 'c2', policy: 'ecs', policyLabel: 'ecs {vetoCap: 1}', seed: 2, result: result(110, 3) }
  ]

  it('aggregates each variant separately, the kvm baseline first', () => {
    const agg = aggregateRuns(runs)
    expect(agg.baseline).toBe('kvm')
    expect(agg.policies).toEqual(['kvm', 'ecs', 'ecs {vetoCap: 1}'])
    const total = (p: string) => agg.throughput.find((c) => c.policy === p && c.vm === TOTAL_VM)!.summary
    expect(total('ecs').mean).toBe(160)
    expect(total('ecs {vetoCap: 1}').mean).toBe(115)
    expect(total('ecs').n).toBe(2)
    const ratio = (p: string) => agg.ratios.find((r) => r.policy === p && r.vm === TOTAL_VM)!
    expect(ratio('ecs').ratio).toBeCloseTo(1.6)
    expect(ratio('ecs {vetoCap: 1}').ratio).toBeCloseTo(1.15)
    expect(ratio('ecs {vetoCap: 1}').method).toBe('paired')
    expect(agg.preemptions.map((p) => [p.policy, p.inCs])).toEqual([['kvm', 6], ['ecs', 1], ['ecs {vetoCap: 1}', 3]])
    expect(agg.lockWait.map((l) => l.policy)).toEqual(['kvm', 'ecs', 'ecs {vetoCap: 1}'])
    expect(headlineRatio(agg)!.policy).toBe('ecs')
  })

  it('takes a variant as the baseline when asked, and falls back to the id without labels', () => {
    const agg = aggregateRuns(runs, 'ecs')
    expect(agg.policies[0]).toBe('ecs')
    expect(agg.ratios.find((r) => r.policy === 'ecs {vetoCap: 1}' && r.vm === TOTAL_VM)!.ratio).toBeCloseTo((120 / 150 + 110 / 170) / 2)
    expect(aggregateRuns(runs, 'ecs {vetoCap: 1}').baseline).toBe('ecs {vetoCap: 1}')
    // without labels (older callers) the runs of one id pool together
    expect(aggregateRuns(runs.map(({ policyLabel: _l, ...r }) => r)).policies).toEqual(['kvm', 'ecs'])
  })
})
