import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Store } from '../../../src/main/store'
import { mergeStores } from '../../../src/main/store/merge'
import { openDatabase } from '../../../src/main/store/db'
import { fakeResult, fileHash, tempDir } from './helpers'

const run = (id: string, seed = 1) => ({ id, scenario_json: '{}', label: 'q', policy_id: 'kvm', policy_params_json: '{}', seed, engine_version: 'e', created_at: 1 })
const campaign = { id: 'aaaaaaaaaaaaaaaa', name: 'c', description: '', specJson: '{}', plannedRuns: 3, source: 's' }

describe('db merge', () => {
  let t: ReturnType<typeof tempDir>
  beforeEach(() => {
    t = tempDir()
  })
  afterEach(() => t.cleanup())

  function shard(name: string, build: (s: Store) => void): string {
    const path = join(t.dir, name)
    const s = Store.open(path)
    build(s)
    s.close()
    return path
  }

  it('a finished copy of a run wins over a failed or queued one, whatever the input order', async () => {
    const a = shard('a.sqlite', (s) => {
      s.planCampaign(campaign, [{ ...run('r1'), index: 0, params: { seed: 1 } }, { ...run('r2', 2), index: 1, params: { seed: 2 } }])
      s.endRun('r1', 'failed', 'Error: crash', 1)
      s.completeRun('r2', fakeResult(2), 1)
      s.tags.add('r2', ['from-a'])
    })
    const b = shard('b.sqlite', (s) => {
      s.planCampaign(campaign, [{ ...run('r1'), index: 0, params: { seed: 1 } }, { ...run('r3', 3), index: 2, params: { seed: 3 } }])
      s.completeRun('r1', fakeResult(1), 1)
      s.completeRun('r3', fakeResult(3), 1)
    })
    const hashes = [fileHash(a), fileHash(b)]
    const out = join(t.dir, 'out.sqlite')
    const reports = await mergeStores([a, b, a], out)
    expect(reports.map((r) => [r.runs, r.added, r.replaced, r.duplicates])).toEqual([[2, 2, 0, 0], [2, 1, 1, 0], [2, 0, 0, 2]])
    expect([fileHash(a), fileHash(b)]).toEqual(hashes)
    const m = Store.open(out, { mustExist: true })
    try {
      expect(m.runs.counts()).toMatchObject({ done: 3, failed: 0 })
      expect(m.results.get('r1')!.digest).toBe('d1')
      expect(Object.keys(m.metrics.forRun('r1')).length).toBeGreaterThan(10)
      expect(m.series.forRun('r1')).toHaveLength(7)
      expect(m.campaigns.links(campaign.id).map((l) => l.run_id)).toEqual(['r1', 'r2', 'r3'])
      expect(m.tags.forRun('r2')).toEqual(['from-a'])
      expect(m.db.pragma('foreign_key_check')).toEqual([])
    } finally {
      m.close()
    }
    // Merging a done copy into a store whose copy failed: order reversed.
    const out2 = join(t.dir, 'out2.sqlite')
    await mergeStores([b, a], out2)
    const m2 = Store.open(out2, { mustExist: true })
    expect(m2.runs.get('r1')!.status).toBe('done')
    m2.close()
  })

  it('keeps a same-named layout from a later shard, renamed with its shard, with its versions and run links', async () => {
    const layout = (s: Store, id: string, scenario: string, runId: string) => {
      s.layouts.insert({ id, name: 'my layout', description: '', latest_version: 1, created_at: 1, updated_at: 1 })
      s.layouts.insertVersion({ layout_id: id, version: 1, scenario_json: scenario, note: '', created_at: 1 })
      s.queueRuns([{ ...run(runId), layout_id: id, layout_version: 1 } as ReturnType<typeof run>])
      s.completeRun(runId, fakeResult(1), 1)
    }
    const a = shard('shard-0.sqlite', (s) => layout(s, 'L-a', '{"a":1}', 'ra'))
    const b = shard('shard-1.sqlite', (s) => layout(s, 'L-b', '{"b":2}', 'rb'))
    const out = join(t.dir, 'out.sqlite')
    const reports = await mergeStores([a, b], out)
    expect(reports.map((r) => r.layouts)).toEqual([1, 1])
    const s = Store.open(out)
    try {
      expect(s.layouts.list().map((l) => [l.id, l.name, l.run_count])).toEqual([
        ['L-a', 'my layout', 1],
        ['L-b', 'my layout (shard-1.sqlite)', 1]
      ])
      expect(s.layouts.version('L-b', 1)!.scenario_json).toBe('{"b":2}')
      expect(s.runs.get('rb')!.layout_id).toBe('L-b')
      expect(s.runs.get('ra')!.layout_id).toBe('L-a')
    } finally {
      s.close()
    }
    // merging the same shard again adds nothing (the layout is there under its new name)
    const again = await mergeStores([b], out)
    expect(again[0].layouts).toBe(0)
  })

  it('reads older-schema inputs through a migrated snapshot, never migrating the input itself', async () => {
    const old = join(t.dir, 'old.sqlite')
    const db = openDatabase(old, { targetVersion: 1 })
    db.prepare(`INSERT INTO runs (id, scenario_json, label, policy_id, policy_params_json, seed, engine_version, status, created_at)
      VALUES ('r9', '{}', 'x', 'kvm', '{}', 1, 'e', 'queued', 1)`).run()
    db.close()
    const h = fileHash(old)
    const out = join(t.dir, 'o.sqlite')
    await mergeStores([old], out)
    expect(fileHash(old)).toBe(h)
    const m = Store.open(out, { mustExist: true })
    expect(m.runs.get('r9')!.note).toBe('')
    m.close()
  })

  it('refuses to merge a store into itself or from a non-store file, before writing anything', async () => {
    const a = shard('a.sqlite', (s) => s.queueRuns([run('r1')]))
    await expect(mergeStores([a], a)).rejects.toThrow(/also an input/)
    const out = join(t.dir, 'never.sqlite')
    await expect(mergeStores([a, join(t.dir, 'missing.sqlite')], out)).rejects.toThrow(/cannot open/)
    expect(existsSync(out)).toBe(false)
  })
})
