/**
 * Policy variants through the IPC contract: `runs:start` with `{ id, params }` refs, the variant label
 * on every stored run (id + non-default params), compare/export grouping by it, the catalog's parameter
 * schemas, and a bad parameter value rejected with the field and the allowed values named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PresetCatalog } from '../../../src/shared/scenario'
import { ipcServices } from './ipc-services'

describe('policy variants over the IPC contract', () => {
  const { call, finished, open, close } = ipcServices('ecs-variants-')

  beforeAll(open)
  afterAll(close)

  it('the catalog lists each policy with its parameters (JSON Schema with defaults)', async () => {
    const c = await call<PresetCatalog>('presets:list')
    const ecs = c.policies.find((p) => p.id === 'ecs')!
    const props = ecs.params!['properties'] as Record<string, { default?: unknown }>
    expect(props['vetoCap']!.default).toBeNull()
    expect(props['boost']!.default).toBe('none')
    expect(c.policies.find((p) => p.id === 'kvm')!.params!['properties']).toEqual({})
  })

  it('a bad parameter comes back naming the field and the allowed values, and stores nothing', async () => {
    const source = { kind: 'preset', preset: 'quick', overrides: { durationNs: 2_000_000 } }
    await expect(call('runs:start', { source, policies: [{ id: 'ecs', params: { vetoCap: 0 } }], seeds: [1] })).rejects.toThrow(/policy\.params\.vetoCap: .*allowed: >= 1/)
    await expect(call('runs:start', { source, policies: [{ id: 'ecs', params: { boost: 'loud' } }], seeds: [1] })).rejects.toThrow(/policy\.params\.boost: .*"none"\|"nice"/)
    await expect(call('runs:start', { source, policies: [{ id: 'ecs', params: { bogus: 1 } }], seeds: [1] })).rejects.toMatchObject({ code: 'invalid-argument' })
    expect((await call<{ total: number }>('runs:list')).total).toBe(0)
  })

  it('runs of one id with different params are stored, labelled and compared as separate policies', async () => {
    const source = { kind: 'preset', preset: 'quick', overrides: { durationNs: 2_000_000, warmupNs: 200_000, sampleIntervalNs: 200_000 } }
    const res = await call<{ runIds: string[] }>('runs:start', { source, policies: ['kvm', 'ecs', { id: 'ecs', params: { vetoCap: 1 } }, { id: 'ecs', params: { annotate: ['spinlock', 'mutex'], boost: 'nice' } }], seeds: [1, 2] })
    expect(res.runIds).toHaveLength(8)
    await finished(res.runIds)
    const list = await call<{ rows: { id: string; policy: string; policyLabel: string }[] }>('runs:list', { limit: 100 })
    const labels = [...new Set(list.rows.map((r) => r.policyLabel))].sort()
    expect(labels).toEqual(['ecs', "ecs {annotate: ['spinlock','mutex'], boost: 'nice'}", 'ecs {vetoCap: 1}', 'kvm'])
    // the server-side policy filter is by id: every ecs variant
    expect((await call<{ total: number }>('runs:list', { policy: ['ecs'] })).total).toBe(6)
    const c = await call<{ policies: string[]; groups: { policy: string; runIds: string[]; metrics: Record<string, { ratio: number | null }> }[] }>('compare:summary', { runIds: res.runIds, baselinePolicy: 'kvm' })
    expect([...c.policies].sort()).toEqual(labels)
    expect(c.groups.every((g) => g.runIds.length === 2)).toBe(true)
    expect(c.groups.find((g) => g.policy === 'ecs {vetoCap: 1}')!.metrics['total.opsPerSec']!.ratio).toBeGreaterThan(0)
    const s = await call<{ lines: { policy: string }[] }>('compare:series', [res.runIds[4]], ['ops'])
    expect(s.lines[0]!.policy).toBe('ecs {vetoCap: 1}')
    const ex = await call<{ content: string }>('export:runs', { selection: { runIds: res.runIds }, format: 'csv', shape: 'metrics', metrics: ['total.opsPerSec'] })
    expect(ex.content).toContain('ecs {vetoCap: 1}')
  })
})
