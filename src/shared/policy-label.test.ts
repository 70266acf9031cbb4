import { describe, expect, it } from 'vitest'
import { canonicalJson } from './canonical-json'
import { defaultsFromSchema, formatParamValue, nonDefaultParams, policyLabel, policyRefKey, policyRefLabel } from './policy-label'

const ecsDefaults = { veto: true, vetoMode: 'effective', vetoCap: null, plePass: true, blockedWaiterSpin: true, annotate: ['spinlock', 'rwlock', 'mutex', 'rwsem', 'rcu', 'irq'], boost: 'none', overloaded: 'steal-time' }

describe('policy variant labels', () => {
  it('is the bare id without params or with every param at its default', () => {
    expect(policyLabel('kvm')).toBe('kvm')
    expect(policyLabel('kvm', {})).toBe('kvm')
    expect(policyLabel('ecs', { ...ecsDefaults }, ecsDefaults)).toBe('ecs')
    expect(policyLabel('ecs', null, ecsDefaults)).toBe('ecs')
  })

  it('lists only the non-default params, keys sorted, as short literals', () => {
    expect(policyLabel('ecs', { ...ecsDefaults, vetoCap: 4 }, ecsDefaults)).toBe('ecs {vetoCap: 4}')
    expect(policyLabel('ecs', { vetoCap: 4 })).toBe('ecs {vetoCap: 4}')
    expect(policyLabel('ecs', { ...ecsDefaults, overloaded: 'live', boost: 'nice' }, ecsDefaults)).toBe("ecs {boost: 'nice', overloaded: 'live'}")
    expect(policyLabel('ecs', { ...ecsDefaults, annotate: ['spinlock', 'mutex'] }, ecsDefaults)).toBe("ecs {annotate: ['spinlock','mutex']}")
    expect(policyLabel('ecs', { ...ecsDefaults, veto: false }, ecsDefaults)).toBe('ecs {veto: false}')
    // null differs from a numeric default
    expect(policyLabel('x', { cap: null }, { cap: 3 })).toBe('x {cap: null}')
  })

  it('is stable: the same variant gives the same label and key whatever the key order', () => {
    const a = { boost: 'nice', vetoCap: 2 }
    const b = { vetoCap: 2, boost: 'nice' }
    expect(policyLabel('ecs', a)).toBe(policyLabel('ecs', b))
    expect(policyRefKey({ id: 'ecs', params: a })).toBe(policyRefKey({ id: 'ecs', params: b }))
    expect(policyRefKey({ id: 'ecs', params: { ...ecsDefaults } }, ecsDefaults)).toBe('ecs')
    expect(policyRefLabel('kvm')).toBe('kvm')
    expect(policyRefLabel({ id: 'ecs', params: { vetoCap: 1 } })).toBe('ecs {vetoCap: 1}')
    expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[1,{"c":2,"d":1}]}')
    expect(nonDefaultParams({ z: 1, a: 2, u: undefined })).toEqual({ a: 2, z: 1 })
    expect(Object.keys(nonDefaultParams({ z: 1, a: 2 }))).toEqual(['a', 'z'])
    expect(formatParamValue({ k: 'v' })).toBe("{k: 'v'}")
  })

  it('reads defaults from a policy params JSON Schema', () => {
    expect(defaultsFromSchema({ properties: { vetoCap: { default: null, anyOf: [] }, boost: { default: 'none' }, x: { type: 'number' } } })).toEqual({ vetoCap: null, boost: 'none' })
    expect(defaultsFromSchema(undefined)).toEqual({})
  })
})
