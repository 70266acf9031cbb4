import { hostname } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Store } from '../../../src/main/store'
import { canonicalJson, runKey } from '../../../src/main/store/canonical'
import { decodeValues, encodeValues, flattenMetrics, histogramQuantiles } from '../../../src/main/store/result-codec'
import { runSeries } from '../../../src/main/services/runs'
import { fakeResult, tempDir } from './helpers'

function newRun(id: string, seed = 1) {
  return { id, scenario_json: '{}', label: 'quick', policy_id: 'kvm', policy_params_json: '{}', seed, engine_version: 'test', created_at: 1 }
}

describe('experiment store', () => {
  let t: ReturnType<typeof tempDir>
  let store: Store
  beforeEach(() => {
    t = tempDir()
    store = Store.open(join(t.dir, 's.sqlite'))
  })
  afterEach(() => {
    store.close()
    t.cleanup()
  })

  it('keys runs by canonical content: property order does not matter, seed and engine version do', () => {
    const a = { seed: 1, policy: { id: 'kvm', params: {} }, host: { pcpus: 4, hz: 250 } }
    const b = { host: { hz: 250, pcpus: 4 }, policy: { params: {}, id: 'kvm' }, seed: 1 }
    expect(canonicalJson(a)).toBe(canonicalJson(b))
    expect(runKey({ scenario: a, engineVersion: '1' })).toBe(runKey({ scenario: b, engineVersion: '1' }))
    expect(runKey({ scenario: a, engineVersion: '1' })).not.toBe(runKey({ scenario: a, engineVersion: '2' }))
    expect(runKey({ scenario: a, engineVersion: '1' })).not.toBe(runKey({ scenario: { ...a, seed: 2 }, engineVersion: '1' }))
    expect(runKey({ scenario: a, engineVersion: '1' })).toMatch(/^[0-9a-f]{64}$/)
  })

  it('packs series compactly and reads them back exactly', () => {
    const ints = [0, 1, -5, 2147483647]
    expect(encodeValues(ints).encoding).toBe('i32')
    expect(decodeValues('i32', encodeValues(ints).data, 4)).toEqual(ints)
    const floats = [0.5, 1e12, -3.25]
    expect(encodeValues(floats).encoding).toBe('f64')
    expect(decodeValues('f64', encodeValues(floats).data, 3)).toEqual(floats)
  })

  it('stores every numeric leaf of a result as a named metric', () => {
    const m = flattenMetrics(fakeResult(3))
    expect(m['preemptions.inCriticalSection.byKind.mutex']).toBe(2)
    expect(m['counters.ple.exits']).toBe(7)
    expect(m['vms.vm1.opsPerSec']).toBe(2e6 + 3)
    expect(m['total.opsPerSec']).toBe(1e6 + 3 + 2e6 + 3)
    expect(m['events']).toBe(12348)
    expect(m['lockWait.p50Ns']).toBeGreaterThan(0)
    expect(Object.keys(m).some((k) => k.startsWith('series'))).toBe(false)
  })

  it('writes a finished run (summary, metrics, series, status) in one transaction and reads it back', () => {
    store.queueRuns([newRun('aa01')])
    store.claimRun('aa01')
    const written = store.completeRun('aa01', fakeResult(1, 50), 12)
    expect(written.samples).toBe(50 + 2 * 3 * 50)
    const row = store.runs.get('aa01')!
    expect(row.status).toBe('done')
    expect(row.wall_ms).toBe(12)
    const s = runSeries(store, 'aa01')
    expect(s.t).toEqual(fakeResult(1, 50).series.t)
    expect(s.perVm.map((v) => v.name)).toEqual(['vm0', 'vm1'])
    expect(s.perVm[1]!.values['ops']).toEqual(fakeResult(1, 50).series.perVm[1]!.ops)
    expect(store.summary(row).opsPerSec).toBe(3e6 + 2)
  })

  it('leaves no partial rows when writing a result fails half-way', () => {
    store.queueRuns([newRun('aa02')])
    store.claimRun('aa02')
    const original = store.series.putAll
    store.series.putAll = () => {
      throw new Error('disk full (simulated)')
    }
    expect(() => store.completeRun('aa02', fakeResult(), 5)).toThrow(/disk full/)
    store.series.putAll = original
    expect(store.runs.get('aa02')!.status).toBe('running')
    expect(store.results.get('aa02')).toBeUndefined()
    expect(store.metrics.forRun('aa02')).toEqual({})
  })

  it('a cancelled or failed run keeps no result, and a cancelled re-run never deletes a finished result', () => {
    store.queueRuns([newRun('aa03'), newRun('aa04', 2)])
    store.completeRun('aa03', fakeResult(), 5)
    // A forced re-run of aa03 is cancelled: the finished result is kept and the run is done again.
    store.queueRuns([newRun('aa03')], { force: true })
    store.claimRun('aa03')
    expect(store.endRun('aa03', 'cancelled', null, 3)).toBe(false)
    expect(store.endRun('aa04', 'failed', 'Error: boom', 4)).toBe(true)
    expect(store.runs.get('aa03')!.status).toBe('done')
    expect(store.results.get('aa03')).toBeDefined()
    expect(store.series.forRun('aa03').length).toBeGreaterThan(0)
    expect(store.runs.get('aa04')!.error).toBe('Error: boom')
    expect(store.results.get('aa04')).toBeUndefined()
    expect(store.db.pragma('foreign_key_check')).toEqual([])
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok')
  })

  it('plans a campaign once and, on resume, returns only unfinished cells (stale running ones requeued)', () => {
    const c = { id: '0123456789abcdef', name: 'c', description: '', specJson: '{}', plannedRuns: 3, source: 'test' }
    const cells = ['bb01', 'bb02', 'bb03'].map((id, i) => ({ ...newRun(id, i), index: i, params: { seed: i } }))
    expect(store.planCampaign(c, cells)).toEqual({ created: true, pending: ['bb01', 'bb02', 'bb03'], elsewhere: [] })
    store.completeRun('bb01', fakeResult(), 1)
    // claimed by a process of this host that was killed (no such pid)
    store.runs.claim('bb02', { pid: 999_999_999, host: hostname(), token: 'killed' }, Date.now())
    const again = store.planCampaign(c, cells)
    expect(again).toEqual({ created: false, pending: ['bb02', 'bb03'], elsewhere: [] })
    expect(store.runs.get('bb02')!.status).toBe('queued')
    expect(store.campaigns.counts(c.id)).toEqual({ queued: 2, running: 0, done: 1, failed: 0, cancelled: 0 })
  })

  it('lock-wait percentiles are interpolated within their log2 bucket, not rounded to its bound (issue 15)', () => {
    // 100 waits in [512, 1024): p50 is the middle of the bucket, p99 near its top
    const b = new Array(12).fill(0)
    b[9] = 100
    expect(histogramQuantiles(b, [0.5, 0.99])).toEqual([768, 1019])
    // 90 waits in [0, 2) and 10 in [1024, 2048): p50 inside the first bucket, p99 inside the last
    const c = new Array(12).fill(0)
    c[0] = 90
    c[10] = 10
    expect(histogramQuantiles(c, [0.5, 0.99])).toEqual([1, 1946])
  })

  it('a batch that reuses a stored run does not change its name, tags or note (issue 15)', () => {
    const first = store.queueRuns([{ ...newRun('ff01'), label: 'paper comparison', note: 'the paper run' }], { tags: ['paper'] })
    expect(first.existing).toEqual([])
    store.completeRun('ff01', fakeResult(1), 1)
    const again = store.queueRuns([{ ...newRun('ff01'), label: 'later review', note: 'review batch' }, { ...newRun('ff02', 2), label: 'later review', note: 'review batch' }], { tags: ['review'] })
    expect(again.existing).toEqual(['ff01'])
    expect(again.reused).toEqual(['ff01'])
    expect(store.tags.forRun('ff01')).toEqual(['paper'])
    expect(store.runs.get('ff01')!.note).toBe('the paper run')
    expect(store.runs.get('ff01')!.label).toBe('paper comparison')
    // the batch's new run gets its tags and note
    expect(store.tags.forRun('ff02')).toEqual(['review'])
    expect(store.runs.get('ff02')!.note).toBe('review batch')
  })

  it('filters and searches runs, with tags and notes', () => {
    store.queueRuns([newRun('cc01', 1), { ...newRun('cc02', 2), policy_id: 'ecs', label: 'overcommit-2x', note: 'the interesting one' }], { tags: ['paper'] })
    store.tags.set('cc01', ['baseline', 'paper'])
    store.completeRun('cc02', fakeResult(2), 1)
    const list = (f: object) => store.runs.list({ sort: 'created-desc', limit: 100, offset: 0, ...f }).rows.map((r) => r.id).sort()
    expect(list({ policy: ['ecs'] })).toEqual(['cc02'])
    expect(list({ status: ['done'] })).toEqual(['cc02'])
    expect(list({ tags: ['baseline'] })).toEqual(['cc01'])
    expect(list({ tags: ['paper'] })).toEqual(['cc01', 'cc02'])
    expect(list({ search: 'interesting' })).toEqual(['cc02'])
    expect(list({ search: 'cc0' })).toEqual(['cc01', 'cc02'])
    expect(list({ search: '100%_' })).toEqual([])
    expect(list({ seed: 1 })).toEqual(['cc01'])
    expect(store.runs.resolve('cc02')!.id).toBe('cc02')
    expect(() => store.runs.resolve('cc0')).toThrow(/ambiguous/)
  })

  it('text search matches parameter values: policy parameters and campaign sweep coordinates', () => {
    const c = { id: 'fedcba9876543210', name: 'sweep', description: '', specJson: '{}', plannedRuns: 2, source: 'test' }
    store.planCampaign(c, [
      { ...newRun('ee01', 1), index: 0, params: { scenario: 'quick', 'host.hz': 1000, policy: 'kvm', seed: 1 } },
      { ...newRun('ee02', 1), index: 1, params: { scenario: 'quick', 'host.hz': 250, policy: 'kvm', seed: 1 } }
    ])
    store.queueRuns([
      { ...newRun('ee03'), policy_id: 'ecs', policy_params_json: '{"vetoCap":4,"boost":"none"}' },
      { ...newRun('ee04'), policy_id: 'ecs', policy_params_json: '{"vetoCap":40,"boost":"nice"}' }
    ])
    const list = (search: string) => store.runs.list({ sort: 'created-desc', limit: 100, offset: 0, search }).rows.map((r) => r.id).sort()
    expect(list('vetoCap=4')).toEqual(['ee03'])
    expect(list('vetoCap: 40')).toEqual(['ee04'])
    expect(list('vetoCap')).toEqual(['ee03', 'ee04'])
    expect(list('boost=nice')).toEqual(['ee04'])
    expect(list('nice')).toEqual(['ee04'])
    expect(list('host.hz=1000')).toEqual(['ee01'])
    expect(list('host.hz=250')).toEqual(['ee02'])
    expect(list('host.hz')).toEqual(['ee01', 'ee02'])
    expect(list('host.hz=300')).toEqual([])
  })

  it('text search matches the variant label as shown and the names of the run\'s campaigns', () => {
    const c = { id: 'abcdefabcdef0123', name: 'paper comparison 2026', description: '', specJson: '{}', plannedRuns: 1, source: 'test' }
    store.planCampaign(c, [{ ...newRun('ff01', 1), index: 0, params: { policy: 'kvm', seed: 1 } }])
    store.queueRuns([{ ...newRun('ff02'), policy_id: 'ecs', policy_params_json: '{"vetoCap":4}' }, newRun('ff03')])
    const list = (search: string) => store.runs.list({ sort: 'created-desc', limit: 100, offset: 0, search }).rows.map((r) => r.id).sort()
    expect(list('ecs {vetoCap: 4}')).toEqual(['ff02'])
    expect(list('paper comparison')).toEqual(['ff01'])
    expect(list('no such campaign')).toEqual([])
  })

  it('lets a second connection (the app) read a consistent snapshot while a write transaction is open', () => {
    store.queueRuns([newRun('dd01'), newRun('dd02', 2)])
    store.completeRun('dd01', fakeResult(), 1)
    const reader = Store.open(store.path, { mustExist: true })
    try {
      store.db.exec('BEGIN IMMEDIATE')
      store.db.prepare("UPDATE runs SET status = 'done' WHERE id = 'dd02'").run()
      // WAL: the reader is not blocked and sees the last committed state.
      expect(reader.runs.get('dd02')!.status).toBe('queued')
      expect(reader.runs.list({ sort: 'created-desc', limit: 10, offset: 0, status: ['done'] }).total).toBe(1)
      store.db.exec('ROLLBACK')
    } finally {
      reader.close()
    }
  })

  it('deletes runs with their results, series, tags and campaign links', () => {
    store.queueRuns([newRun('ee01')], { tags: ['x'] })
    store.completeRun('ee01', fakeResult(), 1)
    expect(store.deleteRuns(['ee01'])).toBe(1)
    for (const table of ['results', 'metrics', 'series', 'run_tags', 'campaign_runs']) {
      expect((store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n, table).toBe(0)
    }
  })
})
