/**
 * The app's side of the store through the IPC contract: every call goes through dispatch (argument
 * validation with the channel's zod schema), with events collected as the renderer would get them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Store } from '../../../src/main/store'
import { tinyCampaign } from './helpers'
import { ipcServices, until } from './ipc-services'

describe('store services over the IPC contract', () => {
  const { dbPath, events, call, finished, open, close } = ipcServices('ecs-svc-')

  beforeAll(open)
  afterAll(close)

  let layoutId = ''
  it('layouts: create, new version on save, read an old version, reject bad input without storing', async () => {
    const l = await call<{ id: string; version: number }>('layouts:create', { name: 'tiny', scenario: { preset: 'quick', durationNs: 3_000_000, warmupNs: 300_000, sampleIntervalNs: 300_000 } })
    layoutId = l.id
    expect(l.version).toBe(1)
    const v2 = await call<{ version: number; versions: unknown[]; scenario: { host: { hz: number } } }>('layouts:update', { id: l.id, scenario: { preset: 'quick', durationNs: 3_000_000, warmupNs: 300_000, sampleIntervalNs: 300_000, host: { hz: 1000 } }, note: 'hz 1000' })
    expect(v2.version).toBe(2)
    expect(v2.versions).toHaveLength(2)
    expect(v2.scenario.host.hz).toBe(1000)
    expect((await call<{ scenario: { host: { hz: number } } }>('layouts:get', l.id, 1)).scenario.host.hz).toBe(250)
    await expect(call('layouts:create', { name: 'bad', scenario: { preset: 'quick', host: { pcpus: 0 } } })).rejects.toThrow(/host\.pcpus: .*allowed: >= 1/)
    await expect(call('layouts:create', { name: 'tiny', scenario: { preset: 'quick' } })).rejects.toMatchObject({ code: 'conflict' })
    await expect(call('layouts:update', { id: l.id, scenario: { preset: 'quick' }, expectedVersion: 1 })).rejects.toMatchObject({ code: 'conflict' })
    await expect(call('layouts:create', { name: '', scenario: {} })).rejects.toMatchObject({ code: 'invalid-argument' })
    const list = await call<{ name: string; latestVersion: number }[]>('layouts:list')
    expect(list.map((x) => [x.name, x.latestVersion])).toEqual([['tiny', 2]])
  })

  let runIds: string[] = []
  it('runs: a layout x policies x seeds batch with live progress, then list/get/series/tags/notes', async () => {
    const res = await call<{ runIds: string[]; started: string[]; reused: string[] }>('runs:start', { source: { kind: 'layout', layoutId }, policies: ['kvm', 'kvm-nople'], seeds: [1, 2], tags: ['smoke'] })
    runIds = res.runIds
    expect(res.started).toHaveLength(4)
    await finished(runIds)
    expect(events.filter((e) => e.channel === 'runs:progress').length).toBeGreaterThanOrEqual(4)
    expect(events.filter((e) => e.channel === 'runs:finished').map((e) => e.payload['status'])).toEqual(['done', 'done', 'done', 'done'])
    const list = await call<{ total: number; rows: { id: string; layoutVersion: number; tags: string[] }[] }>('runs:list', { tags: ['smoke'], status: ['done'] })
    expect(list.total).toBe(4)
    expect(list.rows[0]!.layoutVersion).toBe(2)
    const detail = await call<{ result: { vms: unknown[] }; metrics: Record<string, number>; scenario: { host: { hz: number } } }>('runs:get', runIds[0])
    expect(detail.result.vms).toHaveLength(2)
    expect(detail.metrics['total.opsPerSec']).toBeGreaterThan(0)
    expect(detail.scenario.host.hz).toBe(1000)
    const series = await call<{ t: number[]; perVm: { name: string; values: Record<string, number[]> }[] }>('runs:series', runIds[0])
    expect(series.t).toHaveLength(10)
    expect(series.perVm[0]!.values['ops']).toHaveLength(10)
    expect(await call('runs:setTags', runIds[0], ['smoke', 'keep'])).toEqual({ tags: ['keep', 'smoke'] })
    await call('runs:setNote', runIds[0], 'looks right')
    expect((await call<{ total: number }>('runs:list', { search: 'looks' })).total).toBe(1)
    expect(await call('runs:tags')).toEqual([{ tag: 'keep', count: 1 }, { tag: 'smoke', count: 4 }])
    await expect(call('runs:list', { status: ['finished'] })).rejects.toThrow(/args\.0\.status\.0/)
  })

  it('runs: bulk tagging adds tags to many runs (never replacing one) and removes a tag from many', async () => {
    expect(await call('runs:addTags', runIds, ['bulk', 'keep'])).toEqual({ updated: 4 })
    expect(await call('runs:tags')).toEqual([{ tag: 'bulk', count: 4 }, { tag: 'keep', count: 4 }, { tag: 'smoke', count: 4 }])
    // removing only touches the named tag; runs that did not have it do not count as updated
    expect(await call('runs:removeTags', runIds.slice(0, 2), ['bulk', 'never-set'])).toEqual({ updated: 2 })
    expect(await call('runs:removeTags', runIds.slice(0, 2), ['bulk'])).toEqual({ updated: 0 })
    expect(await call('runs:tags')).toEqual([{ tag: 'bulk', count: 2 }, { tag: 'keep', count: 4 }, { tag: 'smoke', count: 4 }])
    expect(await call('runs:removeTags', runIds, ['bulk', 'keep'])).toEqual({ updated: 4 })
    expect(await call('runs:tags')).toEqual([{ tag: 'smoke', count: 4 }])
    // the same validation as adding: tag rules, at least one run and one tag, existing runs only
    await expect(call('runs:removeTags', runIds, ['has space'])).rejects.toThrow(/runs:removeTags: invalid arguments: args\.1\.0: tags have no spaces or commas/)
    await expect(call('runs:removeTags', [], ['smoke'])).rejects.toThrow(/args\.0: .*>=1/)
    await expect(call('runs:removeTags', runIds, [])).rejects.toThrow(/args\.1: .*>=1/)
    await expect(call('runs:removeTags', ['ffffffffff'], ['smoke'])).rejects.toMatchObject({ code: 'not-found' })
    expect(await call('runs:tags')).toEqual([{ tag: 'smoke', count: 4 }])
  })

  it('runs: starting the same batch reuses finished runs; re-run runs one again', async () => {
    const again = await call<{ started: string[]; reused: string[] }>('runs:start', { source: { kind: 'layout', layoutId }, policies: ['kvm', 'kvm-nople'], seeds: [1, 2] })
    expect(again.started).toEqual([])
    expect(again.reused.sort()).toEqual([...runIds].sort())
    const before = events.length
    const rerun = await call<{ started: string[] }>('runs:rerun', runIds[1]!.slice(0, 10))
    expect(rerun.started).toEqual([runIds[1]])
    await until(() => events.slice(before).some((e) => e.channel === 'runs:finished'))
    expect((await call<{ status: string }>('runs:get', runIds[1])).status).toBe('done')
  })

  it('runs: cancel stops a long run within a second and leaves it without a result', async () => {
    const res = await call<{ runIds: string[] }>('runs:start', { source: { kind: 'preset', preset: 'quick', overrides: { durationNs: 60_000_000_000 } }, policies: ['kvm'], seeds: [7] })
    const id = res.runIds[0]!
    await until(() => events.some((e) => e.channel === 'runs:progress' && e.payload['runId'] === id && (e.payload['simulatedNs'] as number) > 0))
    const t0 = Date.now()
    expect(await call('runs:cancel', id)).toEqual({ cancelled: true })
    await finished([id])
    expect(Date.now() - t0).toBeLessThan(1000)
    const d = await call<{ status: string; result: unknown; metrics: object }>('runs:get', id)
    expect(d).toMatchObject({ status: 'cancelled', result: null, metrics: {} })
    await expect(call('runs:delete', [id])).resolves.toEqual({ deleted: 1 })
  })

  it('campaigns: validate, start with progress events, list and get; a bad file stores nothing', async () => {
    const bad = await call<{ ok: boolean; errors: string[] }>('campaigns:validate', { text: 'name: x\nscenarios: [quick]\npolicies: [nope]\n' })
    expect(bad.ok).toBe(false)
    expect(bad.errors[0]).toMatch(/unknown policy 'nope'/)
    await expect(call('campaigns:start', { text: 'name: x\nscenarios: [nope]\npolicies: [kvm]\n' })).rejects.toMatchObject({ code: 'invalid-argument' })
    expect(await call('campaigns:list')).toEqual([])
    const text = tinyCampaign({ name: 'app-campaign', seeds: 1 })
    const ok = await call<{ ok: true; runs: number; id: string }>('campaigns:validate', { text })
    expect(ok).toMatchObject({ ok: true, runs: 2 })
    const started = await call<{ id: string; total: number; pending: number }>('campaigns:start', { text })
    expect(started).toEqual({ id: ok.id, total: 2, pending: 2 })
    await until(() => events.some((e) => e.channel === 'campaigns:progress' && e.payload['finished'] === true))
    const list = await call<{ id: string; counts: { done: number } }[]>('campaigns:list')
    expect(list).toMatchObject([{ id: ok.id, counts: { done: 2 } }])
    const detail = await call<{ runs: { params: Record<string, unknown> }[] }>('campaigns:get', ok.id)
    expect(detail.runs.map((r) => r.params['policy'])).toEqual(['kvm', 'kvm-nople'])
  })

  it('campaigns can sweep a layout saved in the app (by name and version)', async () => {
    const text = 'name: over-layout\nscenarios: [{ layout: tiny }, { layout: tiny, version: 1, label: tiny-v1 }]\npolicies: [kvm]\nsweep:\n  vms.1.vcpus: [2, 3]\n'
    const v = await call<{ ok: boolean; runs: number; scenarios: string[] }>('campaigns:validate', { text })
    expect(v).toMatchObject({ ok: true, runs: 4, scenarios: ['tiny', 'tiny-v1'] })
    const missing = await call<{ ok: boolean; errors: string[] }>('campaigns:validate', { text: 'name: x\nscenarios: [{ layout: nope }]\npolicies: [kvm]\n' })
    expect(missing.errors[0]).toMatch(/scenarios\.0\.layout: no layout named 'nope'/)
  })

  it('compare and export read finished runs side by side', async () => {
    const c = await call<{ policies: string[]; groups: { policy: string; metrics: Record<string, { n: number; ratio: number | null }> }[] }>('compare:summary', { runIds, baselinePolicy: 'kvm' })
    expect(c.policies).toEqual(['kvm', 'kvm-nople'])
    expect(c.groups.find((g) => g.policy === 'kvm')!.metrics['total.opsPerSec']).toMatchObject({ n: 2, ratio: 1 })
    // the other policy ran the same two seeds: its ratio is paired by seed, with a CI around it
    const nople = c.groups.find((g) => g.policy === 'kvm-nople')!.metrics['total.opsPerSec'] as { ratio: number; ratioMethod?: string; ratioCiLow?: number; ratioCiHigh?: number }
    expect(nople.ratioMethod).toBe('paired')
    expect(nople.ratioCiLow!).toBeLessThanOrEqual(nople.ratio)
    expect(nople.ratioCiHigh!).toBeGreaterThanOrEqual(nople.ratio)
    await expect(call('compare:summary', {})).rejects.toThrow(/exactly one of runIds or campaignId/)
    const s = await call<{ lines: unknown[] }>('compare:series', runIds.slice(0, 2), ['ops'])
    expect(s.lines).toHaveLength(4)
    const ex = await call<{ content: string; rows: number; columns: string[]; filename: string }>('export:runs', { selection: { runIds }, format: 'csv', shape: 'metrics', metrics: ['total.opsPerSec'] })
    expect(ex.rows).toBe(4)
    expect(ex.content.split('\n')[0]).toBe(ex.columns.join(','))
    expect(ex.columns).toContain('metric')
  })

  it('sim:runQuick still works through the pool, and the store is consistent at the end', async () => {
    const r = await call<{ vms: unknown[] }>('sim:runQuick', { preset: 'quick' })
    expect(r.vms).toHaveLength(2)
    const store = Store.open(dbPath, { mustExist: true })
    expect(store.db.pragma('foreign_key_check')).toEqual([])
    expect(store.runs.counts().running).toBe(0)
    store.close()
  })
})
