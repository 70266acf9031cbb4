import { Worker } from 'node:worker_threads'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Store } from '../../../src/main/store'
import { executeRuns } from '../../../src/main/services/run-executor'
import { tempDir } from './helpers'
import { resolveScenario } from '../../../src/sim'
import { nodeWorkerFactory } from '../../../src/main/sim-host/one-shot'
import { SimPool, defaultPoolSize, type PoolOutcome } from '../../../src/main/sim-host/pool'
import type { Scenario } from '../../../src/shared/scenario'
import type { WorkerProgress } from '../../../src/main/sim-host/protocol'

/**
 * A stand-in worker speaking the pool protocol; `scenario.name` picks its behaviour:
 * ok | throw (uncaught exception) | exit (process.exit) | engine-error | slow (honours cancel) | stubborn (ignores it).
 */
const FAKE_WORKER = `
const { parentPort } = require('node:worker_threads')
parentPort.on('message', (req) => {
  if (req.type !== 'start') return
  const mode = req.scenario.name
  const flag = new Int32Array(req.cancelFlag)
  const post = (m) => parentPort.postMessage(m)
  if (mode === 'throw') throw new Error('fake engine blew up')
  if (mode === 'exit') process.exit(3)
  if (mode === 'engine-error') return post({ type: 'error', seq: req.seq, error: { name: 'ScenarioError', message: 'bad' }, cancelled: false })
  if (mode === 'slow' || mode === 'stubborn') {
    const start = Date.now()
    let last = 0
    while (Date.now() - start < 20000) {
      if (mode === 'slow' && Atomics.load(flag, 0) !== 0) return post({ type: 'error', seq: req.seq, error: { name: 'SimCancelledError', message: 'simulation cancelled' }, cancelled: true })
      const now = Date.now()
      if (now - last >= req.progressIntervalMs) {
        last = now
        const el = now - start
        post({ type: 'progress', seq: req.seq, progress: { simulatedNs: el * 1000, totalNs: 20000000, events: el, elapsedMs: el, etaMs: 20000 - el } })
      }
    }
  }
  post({ type: 'log', level: 'info', message: 'fake run ' + mode })
  post({ type: 'result', seq: req.seq, result: { seed: req.scenario.seed, policy: 'fake' }, wallMs: 1 })
})
`
const fakeFactory = () => new Worker(FAKE_WORKER, { eval: true })
const scenario = (name: string, seed = 1) => ({ name, seed }) as unknown as Scenario

describe('simulation worker pool', () => {
  let pool: SimPool | undefined
  afterEach(async () => {
    await pool?.close()
    pool = undefined
  })

  it('defaults to cores - 1 workers, at least 1, and rejects a bad size', () => {
    expect(defaultPoolSize()).toBeGreaterThanOrEqual(1)
    expect(() => new SimPool({ factory: fakeFactory, size: 0 })).toThrow(/pool size/)
  })

  it('runs jobs and re-emits worker logs', async () => {
    const logs: string[] = []
    pool = new SimPool({ factory: fakeFactory, size: 2, log: (_l, m) => logs.push(m) })
    const outs = await Promise.all([1, 2, 3].map((s) => pool!.submit({ id: `r${s}`, scenario: scenario('ok', s) }).promise))
    expect(outs.map((o) => o.status)).toEqual(['done', 'done', 'done'])
    expect(outs.map((o) => (o as Extract<PoolOutcome, { status: 'done' }>).result.seed)).toEqual([1, 2, 3])
    expect(logs.some((l) => l.includes('fake run ok'))).toBe(true)
  })

  it('fails only the run of a worker that throws, and replaces the worker', async () => {
    pool = new SimPool({ factory: fakeFactory, size: 1 })
    const crash = pool.submit({ id: 'crash', scenario: scenario('throw') })
    const next = pool.submit({ id: 'next', scenario: scenario('ok') })
    const o = await crash.promise
    expect(o.status).toBe('failed')
    expect(o.status === 'failed' && o.error.message).toMatch(/simulation worker crashed: .*fake engine blew up/)
    expect((await next.promise).status).toBe('done')
  })

  it('fails only the run of a worker that exits, and replaces the worker', async () => {
    pool = new SimPool({ factory: fakeFactory, size: 1 })
    const died = await pool.submit({ id: 'exit', scenario: scenario('exit') }).promise
    expect(died.status === 'failed' && died.error.message).toMatch(/exited with code 3/)
    expect((await pool.submit({ id: 'after', scenario: scenario('ok') }).promise).status).toBe('done')
  })

  it('fails the jobs of a worker script that cannot even load, without a respawn loop', async () => {
    let spawned = 0
    pool = new SimPool({ factory: () => (spawned++, new Worker('throw new Error("broken build")', { eval: true })), size: 1 })
    const a = await pool.submit({ id: 'a', scenario: scenario('ok') }).promise
    expect(a.status === 'failed' && a.error.message).toMatch(/broken build/)
    const b = await pool.submit({ id: 'b', scenario: scenario('ok') }).promise
    expect(b.status).toBe('failed')
    await new Promise((r) => setTimeout(r, 300))
    expect(spawned).toBeLessThanOrEqual(4)
  })

  it('reports an engine error as a failed run', async () => {
    pool = new SimPool({ factory: fakeFactory, size: 1 })
    const o = await pool.submit({ id: 'e', scenario: scenario('engine-error') }).promise
    expect(o).toMatchObject({ status: 'failed', error: { name: 'ScenarioError', message: 'bad' } })
  })

  it('forwards progress with simulated time, events and ETA, and cancels a cooperative run', async () => {
    pool = new SimPool({ factory: fakeFactory, size: 1, progressIntervalMs: 50 })
    const progress: WorkerProgress[] = []
    let handle!: ReturnType<SimPool['submit']>
    const first = new Promise<void>((resolve) => {
      handle = pool!.submit({ id: 'slow', scenario: scenario('slow'), onProgress: (p) => { progress.push(p); if (progress.length === 3) resolve() } })
    })
    await first
    const t0 = Date.now()
    handle.cancel()
    const o = await handle.promise
    expect(o.status).toBe('cancelled')
    expect(Date.now() - t0).toBeLessThan(1000)
    expect(progress[0]).toEqual(expect.objectContaining({ simulatedNs: expect.any(Number), totalNs: 20000000, events: expect.any(Number), etaMs: expect.any(Number) }))
  })

  it('terminates and replaces a worker that ignores cancel, within a second', async () => {
    pool = new SimPool({ factory: fakeFactory, size: 1, progressIntervalMs: 50, cancelGraceMs: 300 })
    let started!: () => void
    const running = new Promise<void>((r) => (started = r))
    const h = pool.submit({ id: 'stubborn', scenario: scenario('stubborn'), onProgress: () => started() })
    await running
    const t0 = Date.now()
    h.cancel()
    expect((await h.promise).status).toBe('cancelled')
    expect(Date.now() - t0).toBeLessThan(1000)
    expect((await pool.submit({ id: 'after', scenario: scenario('ok') }).promise).status).toBe('done')
  })

  it('drops a queued job on cancel without running it', async () => {
    pool = new SimPool({ factory: fakeFactory, size: 1 })
    const a = pool.submit({ id: 'a', scenario: scenario('ok') })
    let startedB = false
    const b = pool.submit({ id: 'b', scenario: scenario('ok'), onStart: () => (startedB = true) })
    b.cancel()
    expect(await b.promise).toMatchObject({ status: 'cancelled', worker: null })
    expect((await a.promise).status).toBe('done')
    expect(startedB).toBe(false)
  })

  it('runs the real engine in a worker thread and cancels it mid-run', async () => {
    pool = new SimPool({ factory: nodeWorkerFactory, size: 1 })
    const quick = resolveScenario({ preset: 'quick', durationNs: 2_000_000, warmupNs: 200_000 })
    const done = await pool.submit({ id: 'q', scenario: quick }).promise
    expect(done.status).toBe('done')
    expect(done.status === 'done' && done.result.vms.length).toBe(2)
    const long = resolveScenario({ preset: 'quick', durationNs: 60_000_000_000 })
    let got!: () => void
    const progressed = new Promise<void>((r) => (got = r))
    const h = pool.submit({ id: 'long', scenario: long, onProgress: () => got() })
    await progressed
    const t0 = Date.now()
    h.cancel()
    expect((await h.promise).status).toBe('cancelled')
    expect(Date.now() - t0).toBeLessThan(1000)
  })

  it('stores a crashed run as failed with its error, and the other runs of the batch as done', async () => {
    const t = tempDir()
    const store = Store.open(join(t.dir, 'x.sqlite'))
    try {
      pool = new SimPool({ factory: fakeFactory, size: 1 })
      const runs = ['ok', 'exit', 'ok', 'throw', 'ok'].map((mode, i) => ({ id: `abc00${i}`, scenario: scenario(mode, i), label: mode }))
      store.queueRuns(runs.map((r) => ({ id: r.id, scenario_json: '{}', label: r.label, policy_id: 'fake', policy_params_json: '{}', seed: r.scenario.seed, engine_version: 'test', created_at: 1 })))
      const tally = await executeRuns(store, pool, runs).promise
      expect(tally).toMatchObject({ done: 3, failed: 2, cancelled: 0 })
      const rows = runs.map((r) => store.runs.get(r.id)!)
      expect(rows.map((r) => r.status)).toEqual(['done', 'failed', 'done', 'failed', 'done'])
      expect(rows[1]!.error).toMatch(/WorkerCrash: simulation worker crashed: the simulation worker exited with code 3/)
      expect(rows[3]!.error).toMatch(/fake engine blew up/)
      expect(store.results.get(rows[1]!.id)).toBeUndefined()
    } finally {
      store.close()
      t.cleanup()
    }
  })
})
