/**
 * Issue 14 probe 3 (and 9's all-zero weights): a workload whose operations take 0 ns never advances
 * simulated time. Validation rejects it naming the field; the engine, given one anyway, stops with a
 * clear error instead of looping; and a trace capture (any pool job) can be cancelled, freeing the
 * only pool slot for the next job.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveScenario, runScenario, SimStallError } from '../../../src/sim'
import type { Scenario } from '../../../src/shared/scenario'
import { runCli } from '../store/cli-helpers'
import { tempDir } from '../store/helpers'
import { ipcServices } from '../store/ipc-services'

const base = (workload: unknown) => ({ preset: 'quick', durationNs: 2_000_000, warmupNs: 100_000, sampleIntervalNs: 200_000, vms: [{ workload }, { workload }] })

describe('validation', () => {
  it.each([
    ['computeNs fixed 0, no sections', { computeNs: { type: 'fixed', ns: 0 } }, /vms\.0\.workload\.computeNs: an operation takes 0 ns/],
    ['computeNs uniform 0..0, 0-ns sections', { computeNs: { type: 'uniform', minNs: 0, maxNs: 0 }, sections: [{ kind: 'spinlock', holdNs: { type: 'fixed', ns: 0 } }, { kind: 'mutex', holdNs: { type: 'uniform', minNs: 0, maxNs: 0 } }] }, /vms\.0\.workload\.computeNs: an operation takes 0 ns \(computeNs is always 0 and so is every section's holdNs\)/],
    ['all section weights 0', { sections: [{ kind: 'spinlock', weight: 0 }, { kind: 'mutex', weight: 0 }] }, /vms\.0\.workload\.sections: every section has weight 0/]
  ])('rejects %s, naming the field', (_name, workload, message) => {
    expect(() => resolveScenario(base(workload))).toThrow(message)
  })

  it('still accepts zero compute when a section takes time, and a zero-weight section beside a weighted one', () => {
    expect(() => resolveScenario(base({ computeNs: { type: 'fixed', ns: 0 }, sections: [{ kind: 'spinlock', holdNs: { type: 'fixed', ns: 100 } }] }))).not.toThrow()
    expect(() => resolveScenario(base({ sections: [{ kind: 'spinlock', weight: 0 }, { kind: 'mutex', weight: 1 }] }))).not.toThrow()
  })

  it('ecs-lab run refuses a zero-time scenario file with the field', async () => {
    const t = tempDir('ecs-zero-')
    try {
      const file = join(t.dir, 'zero.json')
      writeFileSync(file, JSON.stringify(base({ computeNs: { type: 'fixed', ns: 0 } })))
      const r = await runCli(['run', file])
      expect(r.code).toBe(2) // the CLI's exit code for an invalid scenario
      expect(r.stderr).toMatch(/vms\.0\.workload\.computeNs: an operation takes 0 ns/)
    } finally {
      t.cleanup()
    }
  })
})

describe('engine stall guard', () => {
  it('stops a run whose simulated time does not advance, with a clear error', () => {
    // Bypass validation the way a future code path might: patch a resolved scenario.
    const s = resolveScenario(base('spinlock-heavy')) as Scenario
    const zero = { ...s, vms: s.vms.map((v) => ({ ...v, workload: { tasksPerVcpu: 1, computeNs: { type: 'fixed' as const, ns: 0 }, sections: [], irq: { ratePerSec: 0, handlerNs: { type: 'fixed' as const, ns: 1 }, softirqNs: { type: 'fixed' as const, ns: 0 } } } })) }
    let err: unknown
    try {
      runScenario(zero)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(SimStallError)
    expect((err as Error).message).toMatch(/simulated time stopped advancing at \d+ ns: 5000000 events without time passing/)
  })
})

describe('trace capture is cancellable (one pool slot)', () => {
  const app = ipcServices('ecs-zero-trace-', { poolSize: 1 })
  beforeAll(() => app.open())
  afterAll(() => app.close())

  it('trace:cancel ends a long capture and the slot serves the next job', async () => {
    // A heavy window far into a long run: takes many seconds unless cancelled.
    const capture = app.call('trace:capture', {
      source: { kind: 'scenario', scenario: { preset: 'overcommit-2x', durationNs: 20_000_000_000 }, label: 'long' },
      fromNs: 19_000_000_000, toNs: 19_001_000_000
    })
    const settled = capture.then(() => 'done', (e: Error & { code?: string }) => e.code ?? e.message)
    await new Promise((r) => setTimeout(r, 500))
    const res = await app.call<{ cancelled: number }>('trace:cancel')
    expect(res.cancelled).toBe(1)
    expect(await settled).toBe('cancelled')
    const quick = await app.call<{ events: number }>('sim:runQuick', { preset: 'quick' })
    expect(quick.events).toBeGreaterThan(0)
  })
})
