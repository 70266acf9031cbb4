/** trace:capture against the real pool and store: a preset window, a stored run's window, and bad windows. */
import { afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServices } from '.'
import { nodeWorkerFactory } from '../sim-host/one-shot'
import { dispatch } from './dispatch'
import { resolveScenario, runScenario } from '../../sim'

const dir = mkdtempSync(join(tmpdir(), 'ecs-trace-'))
const services = createServices({ host: 'web', workerFactory: nodeWorkerFactory, emit: () => {}, dbPath: join(dir, 'lab.sqlite'), poolSize: 1 })

afterAll(async () => {
  await services.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('trace:capture', () => {
  it('captures a window of a preset run with VM names and pCPU count', async () => {
    const env = await dispatch(services.handlers, 'trace:capture', [{ source: { kind: 'preset', preset: 'quick' }, fromNs: 1_000_000, toNs: 2_000_000 }])
    expect(env.ok).toBe(true)
    const cap = (env as { value: import('../../shared/ipc/trace').TraceCapture }).value
    expect(cap.fromNs).toBe(1_000_000)
    expect(cap.toNs).toBe(2_000_000)
    expect(cap.pcpus).toBeGreaterThan(0)
    expect(cap.vms.length).toBeGreaterThan(0)
    expect(cap.records.length).toBeGreaterThan(0)
    expect(cap.records.every((r) => r.t >= 1_000_000 && r.t < 2_000_000)).toBe(true)
  })

  it('a stored run gives the same window as its preset (determinism)', async () => {
    const started = await services.handlers['runs:start']({ source: { kind: 'preset', preset: 'quick' }, policies: ['kvm'], seeds: [3], tags: [], note: '', force: false })
    const id = started.runIds[0]
    for (let i = 0; i < 200; i++) {
      const d = await services.handlers['runs:get'](id)
      if (d.status === 'done') break
      await new Promise((r) => setTimeout(r, 100))
    }
    const a = await services.handlers['trace:capture']({ source: { kind: 'run', runId: id }, fromNs: 500_000, toNs: 1_500_000, maxRecords: 100_000 })
    const b = await services.handlers['trace:capture']({ source: { kind: 'preset', preset: 'quick', policy: 'kvm', seed: 3 }, fromNs: 500_000, toNs: 1_500_000, maxRecords: 100_000 })
    expect(a.runId).toBe(id)
    expect(a.records).toEqual(b.records)
  })

  it('cutting the run at the window end does not change the window (the full run traces the same records)', async () => {
    const full = resolveScenario({ preset: 'quick', policy: { id: 'kvm' }, seed: 2 })
    const ref = runScenario(full, { trace: { fromNs: 3_000_000, toNs: 4_000_000, maxRecords: 100_000, snapshot: true } }).trace!.records
    const cap = await services.handlers['trace:capture']({ source: { kind: 'preset', preset: 'quick', policy: 'kvm', seed: 2 }, fromNs: 3_000_000, toNs: 4_000_000, maxRecords: 100_000 })
    expect(full.durationNs).toBeGreaterThan(4_000_000)
    expect(cap.durationNs).toBe(full.durationNs)
    expect(ref.length).toBeGreaterThan(0)
    expect(cap.records).toEqual(ref)
    // A window inside the warm-up (the cut run's warm-up is shortened too).
    const early = runScenario(full, { trace: { fromNs: 500_000, toNs: 1_000_000, maxRecords: 100_000, snapshot: true } }).trace!.records
    const capEarly = await services.handlers['trace:capture']({ source: { kind: 'preset', preset: 'quick', policy: 'kvm', seed: 2 }, fromNs: 500_000, toNs: 1_000_000, maxRecords: 100_000 })
    expect(full.warmupNs).toBeGreaterThan(1_000_000)
    expect(capEarly.records).toEqual(early)
  })

  it('a window starts with a snapshot of every lane (kind state), then the same records a plain trace has', async () => {
    const src = { kind: 'preset' as const, preset: 'quick', policy: 'kvm', seed: 2 }
    const full = resolveScenario({ preset: 'quick', policy: { id: 'kvm' }, seed: 2 })
    const plain = runScenario(full, { trace: { fromNs: 3_000_000, toNs: 4_000_000, maxRecords: 100_000 } }).trace!.records
    const cap = await services.handlers['trace:capture']({ source: src, fromNs: 3_000_000, toNs: 4_000_000, maxRecords: 100_000 })
    const state = cap.records.filter((x) => x.kind === 'state')
    expect(cap.records.slice(0, state.length)).toEqual(state)
    expect(state.every((x) => x.t === 3_000_000)).toBe(true)
    const vcpus = full.vms.reduce((n, v) => n + v.vcpus, 0)
    const perVcpu = state.filter((x) => x.detail === 'running' || x.detail === 'runnable' || x.detail === 'halted')
    expect(perVcpu.length).toBe(vcpus)
    // every running vCPU sits on a distinct pCPU
    const on = perVcpu.filter((x) => x.detail === 'running').map((x) => x.pcpu)
    expect(new Set(on).size).toBe(on.length)
    expect(cap.records.slice(state.length)).toEqual(plain)
    expect(cap.dropped).toBe(0)
    expect(cap.fullAtNs).toBeNull()
    expect(cap.recordsPerMs).toBeCloseTo(plain.length, 6)
  })

  it('a full buffer keeps the window start complete and says where it filled', async () => {
    const src = { kind: 'preset' as const, preset: 'quick', policy: 'kvm', seed: 2 }
    const all = await services.handlers['trace:capture']({ source: src, fromNs: 3_000_000, toNs: 4_000_000, maxRecords: 100_000 })
    const n = all.records.filter((x) => x.kind !== 'state').length
    const small = await services.handlers['trace:capture']({ source: src, fromNs: 3_000_000, toNs: 4_000_000, maxRecords: Math.floor(n / 2) })
    const kept = small.records.length
    expect(small.records).toEqual(all.records.slice(0, kept))
    expect(small.dropped).toBe(n - Math.floor(n / 2))
    expect(small.fullAtNs).toBe(all.records[kept].t)
    expect(small.recordsPerMs).toBeCloseTo(all.recordsPerMs, 6)
  })

  it('an inline (layout) scenario captures the same window as the preset it came from', async () => {
    const scenario = JSON.parse(JSON.stringify(resolveScenario({ preset: 'quick', policy: { id: 'ecs' }, seed: 5 }))) as Record<string, never>
    const a = await services.handlers['trace:capture']({ source: { kind: 'scenario', scenario, label: 'my layout' }, fromNs: 500_000, toNs: 1_000_000, maxRecords: 100_000 })
    const b = await services.handlers['trace:capture']({ source: { kind: 'preset', preset: 'quick', policy: 'ecs', seed: 5 }, fromNs: 500_000, toNs: 1_000_000, maxRecords: 100_000 })
    expect(a.label).toBe('my layout')
    expect(a.policy).toBe('ecs')
    expect(a.records).toEqual(b.records)
  })

  it('rejects empty, too wide and out-of-run windows with readable messages', async () => {
    const bad = await dispatch(services.handlers, 'trace:capture', [{ source: { kind: 'preset', preset: 'quick' }, fromNs: 5, toNs: 5 }])
    expect(bad.ok).toBe(false)
    expect((bad as { error: { message: string } }).error.message).toMatch(/toNs must be after fromNs/)
    const wide = await dispatch(services.handlers, 'trace:capture', [{ source: { kind: 'preset', preset: 'quick' }, fromNs: 0, toNs: 1e9 }])
    expect((wide as { error: { message: string } }).error.message).toMatch(/at most 100 ms/)
    const late = await dispatch(services.handlers, 'trace:capture', [{ source: { kind: 'preset', preset: 'quick' }, fromNs: 9e12, toNs: 9e12 + 1000 }])
    expect((late as { error: { message: string } }).error.message).toMatch(/starts after the run ends/)
  })
})
