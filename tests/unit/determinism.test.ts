/**
 * Determinism goldens: the same scenario and seed give an identical result (including the event digest
 * and the trace hash) on every run, in this process and in a worker_threads Worker.
 */
import { describe, expect, it } from 'vitest'
import { Worker } from 'node:worker_threads'
import { join } from 'node:path'
import { resolveScenario, runScenario } from '../../src/sim/index'
import { hashTrace } from '../../src/sim/core/trace'

const input = { preset: 'quick', durationNs: 10_000_000, host: { noise: { tasksPerPcpu: 1 } }, vms: [{ workload: 'mixed-kernel' }, { workload: 'rcu-ipi' }] }
const trace = { fromNs: 0, toNs: 10_000_000, maxRecords: 200_000 }

describe('determinism', () => {
  it('same scenario + seed => identical result and trace hash', () => {
    const a = runScenario(resolveScenario(input), { trace })
    const b = runScenario(resolveScenario(input), { trace })
    expect(a.events).toBeGreaterThan(1000)
    expect(b.digest).toBe(a.digest)
    expect(hashTrace(b.trace!.records)).toBe(hashTrace(a.trace!.records))
    expect(JSON.stringify(b)).toBe(JSON.stringify(a))
  })

  it('a different seed gives a different run; results are plain JSON (structured-clone-able)', () => {
    const a = runScenario(resolveScenario(input))
    const c = runScenario(resolveScenario({ ...input, seed: 2 }))
    expect(c.digest).not.toBe(a.digest)
    expect(structuredClone(a)).toEqual(a)
    expect(JSON.parse(JSON.stringify(a))).toEqual(a)
  })

  it('EEVDF host: same scenario + seed => identical result and trace; another seed differs; CFS unaffected', () => {
    const ev = { ...input, host: { ...input.host, scheduler: 'eevdf' } }
    const a = runScenario(resolveScenario(ev), { trace })
    const b = runScenario(resolveScenario(ev), { trace })
    expect(a.scheduler).toBe('eevdf')
    expect(a.events).toBeGreaterThan(1000)
    expect(JSON.stringify(b)).toBe(JSON.stringify(a))
    expect(hashTrace(b.trace!.records)).toBe(hashTrace(a.trace!.records))
    expect(runScenario(resolveScenario({ ...ev, seed: 2 })).digest).not.toBe(a.digest)
    expect(runScenario(resolveScenario(input)).digest).not.toBe(a.digest)
  })

  it('runs many simulations in one process without interference (no global state)', () => {
    const s1 = resolveScenario(input)
    const s2 = resolveScenario({ preset: 'quick', durationNs: 10_000_000 })
    const solo = runScenario(s1)
    runScenario(s2)
    expect(runScenario(s1).digest).toBe(solo.digest)
  })

  it('measurement does not perturb the run: warm-up and sampling interval leave the trajectory unchanged', () => {
    const base = { preset: 'overcommit-1.5x', durationNs: 30_000_000, host: { pcpus: 8 }, vms: [{ vcpus: 8 }, { vcpus: 4 }] }
    const a = runScenario(resolveScenario({ ...base, warmupNs: 5_000_000, sampleIntervalNs: 1_000_000 }))
    const b = runScenario(resolveScenario({ ...base, warmupNs: 12_000_000, sampleIntervalNs: 1_000_000 }))
    const c = runScenario(resolveScenario({ ...base, warmupNs: 12_000_000, sampleIntervalNs: 3_000_000 }))
    expect(b.events).toBe(a.events)
    expect(b.series).toEqual(a.series)
    const total = (r: typeof a) => r.series.perVm.map((v) => v.ops.reduce((x, y) => x + y, 0))
    expect(total(c)).toEqual(total(a))
    expect(c.events).toBe(a.events - 30 + 10) // only the sample events differ
  })

  it('gives the same digest and trace hash inside a worker_threads Worker', async () => {
    const local = runScenario(resolveScenario(input), { trace })
    const code = `
      require('tsx/cjs')
      const { parentPort, workerData } = require('node:worker_threads')
      const sim = require(workerData.index)
      const { hashTrace } = require(workerData.trace)
      const r = sim.runScenario(sim.resolveScenario(workerData.input), { trace: workerData.trace2 })
      parentPort.postMessage({ digest: r.digest, hash: hashTrace(r.trace.records), events: r.events })
    `
    const w = new Worker(code, {
      eval: true,
      workerData: { index: join(__dirname, '../../src/sim/index.ts'), trace: join(__dirname, '../../src/sim/core/trace.ts'), input, trace2: trace }
    })
    const msg = await new Promise<{ digest: string; hash: string; events: number }>((resolve, reject) => {
      w.once('message', resolve)
      w.once('error', reject)
    })
    await w.terminate()
    expect(msg.digest).toBe(local.digest)
    expect(msg.events).toBe(local.events)
    expect(msg.hash).toBe(hashTrace(local.trace!.records))
  })
})
