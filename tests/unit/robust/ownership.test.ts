/**
 * Issue 14 probe 1, with real processes on one SQLite store: two `ecs-lab campaign run` of the same
 * campaign (stopped, continued, interrupted, killed), and the app's services beside the CLI. Finished
 * results must never be lost, and two live processes must share the work instead of both doing it.
 */
import Database from 'better-sqlite3'
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createServices } from '../../../src/main/services'
import { nodeWorkerFactory } from '../../../src/main/sim-host/one-shot'
import { storeContent } from '../store/cli-helpers'
import { CLI, ROOT, tempDir } from '../store/helpers'

const t = tempDir('ecs-own-')
afterAll(() => t.cleanup())

// 6 runs (2 policies x 3 seeds) of a small preset: long enough to be caught running.
const CAMPAIGN = [
  'name: shared',
  'scenarios:',
  '  - preset: quick',
  '    overrides: { durationNs: 120000000, warmupNs: 12000000, sampleIntervalNs: 12000000 }',
  'policies: [kvm, kvm-nople]',
  'seeds: { from: 1, count: 3 }'
].join('\n') + '\n'
const file = join(t.dir, 'shared.yaml')
writeFileSync(file, CAMPAIGN)

interface Proc { child: ChildProcess; stderr: () => string; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }

function campaign(db: string, workers: number, env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, [CLI, 'campaign', 'run', file, '--db', db, '--workers', String(workers), '--no-progress'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env }
  })
  let err = ''
  child.stderr!.on('data', (d) => (err += String(d)))
  child.stdout!.resume()
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  return { child, stderr: () => err, exit }
}

function counts(db: string): Record<string, number> {
  let reader: Database.Database | undefined
  try {
    reader = new Database(db, { readonly: true, fileMustExist: true })
    const out: Record<string, number> = {}
    for (const r of reader.prepare('SELECT status, count(*) AS n FROM runs GROUP BY status').all() as { status: string; n: number }[]) out[r.status] = r.n
    out['results'] = (reader.prepare('SELECT count(*) AS n FROM results').get() as { n: number }).n
    return out
  } catch {
    return {}
  } finally {
    reader?.close()
  }
}

async function waitFor(what: string, cond: () => boolean, ms = 180_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** Every finished run has its whole result; no result belongs to an unfinished run. */
function expectAllSixDone(db: string): void {
  const c = counts(db)
  expect(c['done']).toBe(6)
  expect(c['results']).toBe(6)
  const content = storeContent(db)
  expect((content['metrics'] as unknown[]).length).toBeGreaterThan(6 * 20)
  expect((content['series'] as unknown[]).length).toBe(6 * (1 + 2 * 3))
}

const doneLines = (s: string) => s.split('\n').filter((l) => /^\[\d+\/\d+\] done /.test(l)).length

describe('two campaign processes on one store', { timeout: 300_000 }, () => {
  it('STOP one mid-run, the other finishes all 6, CONT + INT the first: no finished result is lost', async () => {
    const db = join(t.dir, 'stop.sqlite')
    const a = campaign(db, 1)
    await waitFor('A to be running a cell', () => (counts(db)['running'] ?? 0) > 0)
    a.child.kill('SIGSTOP')
    // B takes over A's cell once A's heartbeat is stale (1.5 s here instead of the default minute).
    const b = campaign(db, 2, { ECS_LAB_OWNER_STALE_MS: '1500' })
    const bExit = await b.exit
    expect(bExit.code, b.stderr()).toBe(0)
    expectAllSixDone(db)
    const before = storeContent(db)

    a.child.kill('SIGCONT')
    a.child.kill('SIGINT')
    const aExit = await a.exit
    expect([0, 130], a.stderr()).toContain(aExit.code)
    expectAllSixDone(db)
    const after = storeContent(db)
    for (const k of ['runs', 'results', 'metrics', 'series']) expect(after[k], k).toEqual(before[k])
  })

  it('two live processes share the campaign: each cell is simulated once', async () => {
    const db = join(t.dir, 'share.sqlite')
    const a = campaign(db, 1)
    const b = campaign(db, 1)
    const [ea, eb] = await Promise.all([a.exit, b.exit])
    expect(ea.code, a.stderr()).toBe(0)
    expect(eb.code, b.stderr()).toBe(0)
    expect(doneLines(a.stderr()) + doneLines(b.stderr()), `${a.stderr()}\n---\n${b.stderr()}`).toBe(6)
    expectAllSixDone(db)
  })

  it('a killed owner (dead pid on this host) is taken over at once, without waiting for its heartbeat to go stale', async () => {
    const db = join(t.dir, 'killed.sqlite')
    const a = campaign(db, 1)
    await waitFor('A to be running a cell', () => (counts(db)['running'] ?? 0) > 0)
    a.child.kill('SIGKILL')
    await a.exit
    const started = Date.now()
    const b = campaign(db, 2) // default staleness: one minute
    const bExit = await b.exit
    expect(bExit.code, b.stderr()).toBe(0)
    expect(b.stderr()).not.toMatch(/waiting for/)
    expect(Date.now() - started).toBeLessThan(60_000)
    expectAllSixDone(db)
  })
})

describe('the app and the CLI on one store', { timeout: 300_000 }, () => {
  it('quitting the app (which cancels its runs) never deletes results the CLI stored for the same runs', async () => {
    const db = join(t.dir, 'app.sqlite')
    // The CLI runs the campaign; the app starts the same campaign while the CLI is at it, on one
    // worker, so it still has cells queued when the CLI is done. Then the app quits.
    const cli = campaign(db, 2)
    await waitFor('the CLI to be running a cell', () => (counts(db)['running'] ?? 0) > 0)
    const services = createServices({ host: 'web', workerFactory: nodeWorkerFactory, emit: () => {}, dbPath: db, poolSize: 1 })
    let closed = false
    try {
      const started = await services.handlers['campaigns:start']({ text: CAMPAIGN, source: 'shared.yaml' })
      expect(started.total).toBe(6)
      const e = await cli.exit
      expect(e.code, cli.stderr()).toBe(0)
      await services.close() // quitting the app cancels its runs
      closed = true
      expectAllSixDone(db)
    } finally {
      if (!closed) await services.close()
    }
  })
})
