/**
 * The command line end to end, in-process (src/cli/main.ts) with tiny campaigns: run, resume,
 * list/show, runs list, export, figure, shards + db merge, and bad input leaving the store unchanged.
 */
import Database from 'better-sqlite3'
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LATEST_VERSION } from '../../../src/main/store/migrations'
import { runCli, storeContent } from './cli-helpers'
import { fileHash, tempDir, tinyCampaign } from './helpers'

describe('ecs-lab CLI (store, campaigns, export, figures)', () => {
  const t = tempDir('ecs-cli-')
  const file = join(t.dir, 'tiny.yaml')
  const db = join(t.dir, 'full.sqlite')
  let campaignId = ''

  beforeAll(() => {
    writeFileSync(file, tinyCampaign({ hz: [250, 1000], seeds: 2 }))
  })
  afterAll(() => t.cleanup())

  it('campaign run stores every cell and prints a summary table; a second run resumes with nothing to do', async () => {
    const r = await runCli(['campaign', 'run', file, '--db', db, '--workers', '2'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/campaign tiny \(([0-9a-f]{16})\): 8 runs, 8 to run on 2 worker\(s\)/)
    campaignId = /\(([0-9a-f]{16})\)/.exec(r.stderr)![1]!
    expect(r.stderr).toMatch(/\[8\/8\] done/)
    expect(r.stdout).toMatch(/scenario \/ point\s+policy\s+runs\s+ops\/s/)
    expect(r.stdout).toMatch(/quick host\.hz=1000\s+kvm-nople\s+2/)
    const again = await runCli(['campaign', 'run', file, '--db', db])
    expect(again.code).toBe(0)
    expect(again.stderr).toMatch(/8 runs, 8 already done, 0 to run/)
  })

  it('campaign list / show and runs list with filters', async () => {
    const list = await runCli(['campaign', 'list', '--db', db])
    expect(list.stdout).toMatch(new RegExp(`${campaignId}\\s+tiny\\s+.*\\s8\\s+8\\s+0`))
    const show = await runCli(['campaign', 'show', campaignId.slice(0, 6), '--db', db, '--runs'])
    expect(show.code, show.stderr).toBe(0)
    expect(show.stdout).toMatch(/8 of 8 planned here: 8 done/)
    expect(show.stdout).toMatch(/host\.hz=1000/)
    const runs = await runCli(['runs', 'list', '--db', db, '--policy', 'kvm', '--status', 'done', '--json'])
    const parsed = JSON.parse(runs.stdout) as { total: number; rows: { policy: string; opsPerSec: number }[] }
    expect(parsed.total).toBe(4)
    expect(parsed.rows.every((x) => x.policy === 'kvm' && x.opsPerSec > 0)).toBe(true)
    const one = await runCli(['runs', 'show', (parsed.rows[0] as unknown as { id: string }).id.slice(0, 8), '--db', db])
    expect(one.stdout).toMatch(/total\.opsPerSec/)
    const bad = await runCli(['runs', 'list', '--db', db, '--status', 'finished'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/--status \(status\.0\): .*"queued"\|"running"\|"done"\|"failed"\|"cancelled"/)
  })

  it('export writes tidy CSV (run x metric) and JSON (run x VM x sample) with parameters as columns', async () => {
    const csvPath = join(t.dir, 'm.csv')
    const r = await runCli(['export', '--campaign', campaignId, '--db', db, '--metrics', 'total.opsPerSec,preemptions.total', '--out', csvPath])
    expect(r.code, r.stderr).toBe(0)
    const lines = readFileSync(csvPath, 'utf8').trim().split('\n')
    expect(lines[0]).toBe('run_id,campaign_id,scenario,policy,seed,engine_version,status,param.host.hz,scenario.host.hz,metric,value')
    expect(lines).toHaveLength(1 + 8 * 2)
    const samples = await runCli(['export', '--campaign', campaignId, '--db', db, '--shape', 'samples', '--format', 'json'])
    const rows = JSON.parse(samples.stdout) as Record<string, unknown>[]
    expect(rows).toHaveLength(8 * 2 * 10) // 8 runs x 2 VMs x 10 samples
    expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(['run_id', 'policy', 'seed', 'param.host.hz', 'vm', 't_ns', 'ops', 'preemptions', 'inCsPreemptions']))
    const bad = await runCli(['export', '--campaign', campaignId, '--db', db, '--shape', 'wide'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/--shape: .*"metrics"\|"samples"/)
  })

  it('figure renders the app figures and metric charts to SVG, PNG and CSV headlessly', async () => {
    const dir = join(t.dir, 'figs')
    const r = await runCli(['figure', '--campaign', campaignId, '--db', db, '--out-dir', dir])
    expect(r.code, r.stderr).toBe(0)
    const files = readdirSync(dir)
    expect(files).toEqual(expect.arrayContaining([
      'throughput.svg', 'throughput.png', 'throughput.csv', 'ratio.svg', 'preemptions.png', 'lock-wait.svg', 'time-series.svg',
      'metric-total-opsPerSec.svg', 'metric-total-opsPerSec.png', 'series-over-time.svg'
    ]))
    expect(r.stderr).toMatch(/skipped commit-sweep .*same commit ratio/)
    // paper-1col: 3.5 in x 72 pt
    expect(readFileSync(join(dir, 'throughput.svg'), 'utf8')).toMatch(/^<svg[^>]*width="252"/)
    expect(readFileSync(join(dir, 'metric-total-opsPerSec.svg'), 'utf8')).toMatch(/^<svg[^>]*width="900"/)
    expect(readFileSync(join(dir, 'throughput.png')).subarray(1, 4).toString()).toBe('PNG')
    expect(readFileSync(join(dir, 'throughput.csv'), 'utf8').split(/\r?\n/)[0]).toBe('vm,policy,mean,ci_low,ci_high,n')
    const one = await runCli(['figure', '--campaign', campaignId, '--db', db, '--kind', 'ratio', '--baseline', 'kvm', '--style', 'screen-light', '--out', join(t.dir, 'ratio.png'), '--dpi', '96'])
    expect(one.code, one.stderr).toBe(0)
    const bad = await runCli(['figure', '--campaign', campaignId, '--db', db, '--kind', 'metric', '--metric', 'nope', '--out', join(t.dir, 'x.svg')])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/--metric: no metric named nope/)
    expect((await runCli(['figure', '--campaign', campaignId, '--db', db, '--kind', 'pie', '--out', join(t.dir, 'x.svg')])).stderr).toMatch(/--kind: expected one of throughput, ratio/)
    expect((await runCli(['figure', '--campaign', campaignId, '--db', db, '--kind', 'commit-sweep', '--out', join(t.dir, 'x.svg')])).stderr).toMatch(/--kind commit-sweep: all runs have the same commit ratio/)
  })

  it('shards run separately and db merge combines them without duplicates, equal to the full run', async () => {
    const s0 = join(t.dir, 's0.sqlite')
    const s1 = join(t.dir, 's1.sqlite')
    expect((await runCli(['campaign', 'run', file, '--db', s0, '--shard', '0/2', '--workers', '1'])).stderr).toMatch(/shard 0\/2: 4 runs/)
    expect((await runCli(['campaign', 'run', file, '--db', s1, '--shard', '1/2', '--workers', '1'])).code).toBe(0)
    const merged = join(t.dir, 'merged.sqlite')
    const before = [fileHash(s0), fileHash(s1)]
    const r = await runCli(['db', 'merge', s0, s1, s0, '--into', merged])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/merged\.sqlite: 8 runs \(8 done\)/)
    expect(r.stdout).toMatch(/s0\.sqlite\s+4\s+0\s+0\s+4/) // the repeated input adds nothing
    expect([fileHash(s0), fileHash(s1)]).toEqual(before)
    const full = storeContent(db)
    const m = storeContent(merged)
    expect(m['runs']).toEqual(full['runs'])
    expect(m['metrics']).toEqual(full['metrics'])
    expect(m['series']).toEqual(full['series'])
    expect(m['campaign_runs']).toEqual(full['campaign_runs'])
  })

  it('runs delete asks for --yes, then deletes a run and its rows', async () => {
    const copy = join(t.dir, 'del.sqlite')
    expect((await runCli(['db', 'merge', db, '--into', copy])).code).toBe(0)
    const id = (JSON.parse((await runCli(['runs', 'list', '--db', copy, '--json', '--limit', '1'])).stdout) as { rows: { id: string }[] }).rows[0]!.id
    const dry = await runCli(['runs', 'delete', id.slice(0, 8), '--db', copy])
    expect(dry.code).toBe(1)
    expect(dry.stdout).toMatch(/1 run\(s\) would be deleted: add --yes/)
    expect((await runCli(['runs', 'delete', id.slice(0, 8), '--db', copy, '--yes'])).stdout).toMatch(/deleted 1 run/)
    expect((JSON.parse((await runCli(['runs', 'list', '--db', copy, '--json'])).stdout) as { total: number }).total).toBe(7)
  })

  describe('bad input: clear error, non-zero exit, store unchanged', () => {
    const cases: [string, string, RegExp][] = [
      ['malformed campaign', 'name: x\nscenarios: [quick\n', /not valid YAML or JSON/],
      ['unknown preset', 'name: x\nscenarios: [overcommit-9x]\npolicies: [kvm]\n', /unknown preset 'overcommit-9x' \(allowed: /],
      ['unknown policy', 'name: x\nscenarios: [quick]\npolicies: [ecs-turbo]\n', /unknown policy 'ecs-turbo' \(allowed: /],
      ['out-of-range value', 'name: x\nscenarios: [{ preset: quick, overrides: { host: { hz: 333 } } }]\npolicies: [kvm]\n', /host\.hz: /],
      ['schema violation', 'name: x\nscenarios: [quick]\npolicies: [kvm]\nseeds: { from: 1, count: 0 }\n', /seeds/]
    ]
    for (const [what, text, message] of cases) {
      it(what, async () => {
        const bad = join(t.dir, `bad-${what.replace(/\W/g, '-')}.yaml`)
        writeFileSync(bad, text)
        const before = storeContent(db)
        const r = await runCli(['campaign', 'run', bad, '--db', db])
        expect(r.code).toBe(1)
        expect(r.stderr).toMatch(/^ecs-lab: .*bad-/)
        expect(r.stderr).toMatch(message)
        expect(storeContent(db)).toEqual(before)
      })
    }

    it('a file that is not SQLite', async () => {
      const notDb = join(t.dir, 'results.csv')
      writeFileSync(notDb, 'a,b\n1,2\n'.repeat(100))
      const h = fileHash(notDb)
      const r = await runCli(['campaign', 'run', file, '--db', notDb])
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(/results\.csv is not an SQLite database/)
      expect(fileHash(notDb)).toBe(h)
      expect((await runCli(['runs', 'list', '--db', notDb])).stderr).toMatch(/not an SQLite database/)
    })

    it('a database from a newer eCS Lab', async () => {
      const newer = join(t.dir, 'newer.sqlite')
      const d = new Database(newer)
      d.exec('CREATE TABLE t (x INTEGER)')
      d.pragma(`user_version = ${LATEST_VERSION + 1}`)
      d.close()
      const h = fileHash(newer)
      const r = await runCli(['campaign', 'run', file, '--db', newer])
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(new RegExp(`schema version ${LATEST_VERSION + 1}, newer than this eCS Lab supports`))
      expect(fileHash(newer)).toBe(h)
      const merge = await runCli(['db', 'merge', newer, '--into', join(t.dir, 'm2.sqlite')])
      expect(merge.code).toBe(1)
      expect(existsSync(join(t.dir, 'm2.sqlite'))).toBe(false)
    })

    it('a campaign over saved layouts needs an existing store', async () => {
      const f = join(t.dir, 'layout-campaign.yaml')
      writeFileSync(f, 'name: l\nscenarios: [{ layout: mine }]\npolicies: [kvm]\n')
      const missing = join(t.dir, 'no-store.sqlite')
      expect((await runCli(['campaign', 'run', f, '--db', missing])).stderr).toMatch(/no-store\.sqlite does not exist/)
      expect(existsSync(missing)).toBe(false)
      const before = storeContent(db)
      expect((await runCli(['campaign', 'run', f, '--db', db])).stderr).toMatch(/scenarios\.0\.layout: no layout named 'mine' in the store/)
      expect(storeContent(db)).toEqual(before)
    })

    it('bad options', async () => {
      expect((await runCli(['campaign', 'run', file, '--db', db, '--workers', '0'])).stderr).toMatch(/--workers: expected an integer from 1 to 256, got "0"/)
      expect((await runCli(['campaign', 'run', file, '--db', db, '--shard', '2/2'])).stderr).toMatch(/--shard: i must be between 0 and N-1 \(1\), got 2/)
      expect((await runCli(['campaign', 'show', 'ffffffffffffffff', '--db', db])).stderr).toMatch(/campaign ffffffffffffffff not found/)
      expect((await runCli(['runs', 'list', '--db', join(t.dir, 'absent.sqlite')])).stderr).toMatch(/does not exist/)
      expect(existsSync(join(t.dir, 'absent.sqlite'))).toBe(false)
    })
  })
})
