/**
 * Resumability, with real processes: a spawned `ecs-lab campaign run` is SIGKILLed mid-campaign while
 * this process reads the store as the app would; the same command then finishes it, and the store
 * ends identical (results, metrics, series) to one written by an uninterrupted run.
 */
import Database from 'better-sqlite3'
import { spawn, spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { storeContent } from './cli-helpers'
import { CLI, ROOT, tempDir, tinyCampaign } from './helpers'

function cli(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 })
}

/** What a reader must never see: a finished run without its whole result, or a result of an unfinished run. */
function checkConsistent(db: Database.Database): { done: number } {
  const done = db.prepare("SELECT id FROM runs WHERE status = 'done'").all() as { id: string }[]
  for (const { id } of done) {
    expect(db.prepare('SELECT count(*) AS n FROM results WHERE run_id = ?').get(id)).toEqual({ n: 1 })
    expect((db.prepare('SELECT count(*) AS n FROM series WHERE run_id = ?').get(id) as { n: number }).n).toBe(1 + 2 * 3)
    expect((db.prepare('SELECT count(*) AS n FROM metrics WHERE run_id = ?').get(id) as { n: number }).n).toBeGreaterThan(20)
  }
  const orphans = db.prepare("SELECT count(*) AS n FROM results r JOIN runs u ON u.id = r.run_id WHERE u.status <> 'done'").get() as { n: number }
  expect(orphans.n).toBe(0)
  return { done: done.length }
}

describe('campaign resume after SIGKILL', () => {
  const t = tempDir('ecs-resume-')
  afterAll(() => t.cleanup())
  // 16 runs of ~100 ms each: long enough to be killed in the middle.
  const file = join(t.dir, 'c.yaml')
  writeFileSync(file, tinyCampaign({ name: 'killme', durationNs: 150_000_000, seeds: 4, hz: [250, 1000] }))

  it('keeps completed runs, leaves no partial rows, and ends identical to an uninterrupted run', async () => {
    const killedDb = join(t.dir, 'killed.sqlite')
    const child = spawn(process.execPath, [CLI, 'campaign', 'run', file, '--db', killedDb, '--workers', '2', '--no-progress'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += String(d)))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal === 'SIGKILL' ? -9 : code)))

    // Read concurrently, as the app would, until a few runs are done; then kill.
    let reader: Database.Database | undefined
    let seen = 0
    const deadline = Date.now() + 60_000
    let reads = 0
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20))
      try {
        reader ??= new Database(killedDb, { readonly: true, fileMustExist: true })
        const tables = reader.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'run_tags'").get() as { n: number }
        if (tables.n === 0) continue // migrations not committed yet
        const { done } = checkConsistent(reader)
        reads++
        seen = done
        if (done >= 3) break
      } catch (err) {
        if (/ENOENT|unable to open|does not exist|SQLITE_CANTOPEN/i.test(String(err))) continue
        throw err
      }
    }
    expect(seen, stderr).toBeGreaterThanOrEqual(3)
    child.kill('SIGKILL')
    expect(await exited).toBe(-9)
    expect(reads).toBeGreaterThan(0)
    checkConsistent(reader!)
    const doneAtKill = (reader!.prepare("SELECT id FROM runs WHERE status = 'done' ORDER BY id").all() as { id: string }[]).map((r) => r.id)
    const total = (reader!.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n
    reader!.close()
    expect(total).toBe(16)
    expect(doneAtKill.length).toBeLessThan(16)

    // Resume: the same command finishes the remaining cells only.
    const resumed = cli(['campaign', 'run', file, '--db', killedDb, '--workers', '2', '--no-progress'])
    expect(resumed.status, resumed.stderr).toBe(0)
    expect(resumed.stderr).toMatch(new RegExp(`16 runs, ${doneAtKill.length} already done, ${16 - doneAtKill.length} to run`))

    const refDb = join(t.dir, 'ref.sqlite')
    const ref = cli(['campaign', 'run', file, '--db', refDb, '--workers', '2', '--no-progress'])
    expect(ref.status, ref.stderr).toBe(0)

    const a = storeContent(killedDb)
    const b = storeContent(refDb)
    expect((a['runs'] as { status: string }[]).every((r) => r.status === 'done')).toBe(true)
    for (const k of ['runs', 'results', 'metrics', 'series', 'campaign_runs', 'campaigns']) expect(a[k], k).toEqual(b[k])
    const db = new Database(killedDb, { readonly: true })
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(db.pragma('foreign_key_check')).toEqual([])
    db.close()
  })
})
