// @vitest-environment happy-dom
/**
 * The timeline store against a mocked window.api: capture args (default window = end of warm-up for a
 * stored run), the model it builds, readable errors, and the two Perfetto exports (Blob downloads).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useTimelineStore } from './timeline'
import type { TraceCapture } from '../../../shared/ipc/trace'
import type { TraceRecord } from '../../../shared/result'

type Fn = ReturnType<typeof vi.fn>
let api: Record<string, Record<string, Fn>>
const saved: { name: string; type: string; text: Promise<string> }[] = []

const r = (t: number, kind: TraceRecord['kind'], pcpu: number, vm: number, vcpu: number, extra: Partial<TraceRecord> = {}): TraceRecord => ({ t, kind, pcpu, vm, vcpu, ...extra })

function capture(fromNs: number, toNs: number): TraceCapture {
  return {
    runId: 'abcdef12', label: 'two VMs', policy: 'kvm', seed: 3, engineVersion: 'e1', pcpus: 2,
    vms: [{ name: 'web', vcpus: 1, workload: 'w' }, { name: 'db', vcpus: 1, workload: 'w' }],
    durationNs: 2e7, warmupNs: 2e6, fromNs, toNs, dropped: 0, fullAtNs: null, recordsPerMs: 1000, wallMs: 5,
    records: [
      r(fromNs + 10, 'cs-enter', 0, 0, 0, { task: 1, cs: 'spinlock' }),
      r(fromNs + 20, 'preempt', 0, 0, 0, { task: 1, cs: 'spinlock', detail: 'tick' }),
      r(fromNs + 20, 'run', 0, 1, 0, { task: 2 }),
      r(fromNs + 30, 'ple-exit', 0, 1, 0, { task: 2 })
    ]
  }
}

beforeEach(() => {
  setActivePinia(createPinia())
  saved.length = 0
  api = {
    trace: { capture: vi.fn(async (a: { fromNs: number; toNs: number }) => capture(a.fromNs, a.toNs)) },
    runs: {
      get: vi.fn(async () => ({ scenario: { warmupNs: 2e6 } })),
      list: vi.fn(async () => ({ total: 1, rows: [{ id: 'abcdef12', label: 'two VMs', policy: 'kvm', seed: 3 }] }))
    },
    layouts: {
      list: vi.fn(async () => [{ id: 'L1', name: 'two VMs' }]),
      get: vi.fn(async () => ({ id: 'L1', name: 'two VMs', scenario: { host: { pcpus: 2 }, vms: [], durationNs: 2e7, warmupNs: 3e6, seed: 1, policy: { id: 'kvm', params: {} } } }))
    }
  }
  ;(window as unknown as { api: unknown }).api = api
  vi.spyOn(URL, 'createObjectURL').mockImplementation((b: Blob | MediaSource) => {
    const blob = b as Blob
    saved.push({ name: '', type: blob.type, text: blob.text() })
    return 'blob:x'
  })
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved[saved.length - 1].name = this.download
  })
})

afterEach(() => vi.restoreAllMocks())

describe('timeline store', () => {
  it('captures a stored run from the end of its warm-up and builds the model', async () => {
    const s = useTimelineStore()
    s.sourceKind = 'run'
    s.runId = 'abcdef12'
    await s.load()
    expect(s.error).toBe('')
    expect(api.trace.capture).toHaveBeenCalledWith({ source: { kind: 'run', runId: 'abcdef12' }, fromNs: 2e6, toNs: 3e6, maxRecords: 200_000 })
    expect(s.fromMs).toBe(2)
    expect(s.model!.pcpuSegments).toEqual([
      { pcpu: 0, start: 2e6, end: 2e6 + 20, vm: 0, vcpu: 0, task: 1 },
      { pcpu: 0, start: 2e6 + 20, end: 3e6, vm: 1, vcpu: 0, task: 2 }
    ])
    expect(s.counts).toMatchObject({ records: 4, preemptInCs: 1, pleExits: 1, yields: 0 })
  })

  it('uses the preset, policy, seed and explicit window', async () => {
    const s = useTimelineStore()
    s.sourceKind = 'preset'
    s.preset = 'overcommit-2x'
    s.policy = 'ecs'
    s.seed = 9
    s.fromMs = 10
    s.widthMs = 0.5
    await s.load()
    expect(api.trace.capture).toHaveBeenCalledWith({ source: { kind: 'preset', preset: 'overcommit-2x', policy: 'ecs', seed: 9 }, fromNs: 1e7, toNs: 1.05e7, maxRecords: 200_000 })
  })

  it('turns bad input and API errors into readable messages', async () => {
    const s = useTimelineStore()
    s.sourceKind = 'run'
    s.runId = 'nope'
    await s.load()
    expect(s.error).toMatch(/Choose a run/)
    s.sourceKind = 'preset'
    s.widthMs = 1000
    await s.load()
    expect(s.error).toMatch(/between 0 and 100 ms/)
    s.widthMs = 1
    api.trace.capture.mockRejectedValueOnce(new Error('trace:capture: invalid arguments: args.0.fromNs: Too small'))
    await s.load()
    expect(s.error).toMatch(/fromNs/)
    expect(s.loading).toBe(false)
    expect(s.model).toBeNull()
  })

  it('exports ftrace text and TEF JSON as downloads named after the run and window', async () => {
    const s = useTimelineStore()
    s.fromMs = 5
    await s.load()
    expect(s.exportFtrace()).toBe('two-VMs-kvm-seed3-5.000ms-6.000ms.trace')
    expect(s.exportJson()).toBe('two-VMs-kvm-seed3-5.000ms-6.000ms.json')
    expect(saved.map((x) => [x.name, x.type])).toEqual([
      ['two-VMs-kvm-seed3-5.000ms-6.000ms.trace', 'text/plain'],
      ['two-VMs-kvm-seed3-5.000ms-6.000ms.json', 'application/json']
    ])
    const ftrace = await saved[0].text
    expect(ftrace.startsWith('# tracer: nop\n')).toBe(true)
    expect(ftrace).toContain('sched_switch: prev_comm=web:v0 prev_pid=10001 prev_prio=120 prev_state=R ==> next_comm=db:v0 next_pid=20001 next_prio=120')
    const tef = JSON.parse(await saved[1].text) as { traceEvents: { ph: string; name: string }[]; otherData: Record<string, unknown> }
    expect(tef.traceEvents.some((e) => e.ph === 'X' && e.name === 'spinlock')).toBe(true)
    expect(tef.otherData).toMatchObject({ policy: 'kvm', seed: 3, runId: 'abcdef12' })
  })

  it('exports only a zoomed range when asked (later records dropped, earlier ones set the initial state)', async () => {
    const s = useTimelineStore()
    s.fromMs = 5
    await s.load()
    expect(s.exportFtrace({ fromNs: 5e6 + 15, toNs: 5e6 + 25 })).toBe('two-VMs-kvm-seed3-5.000ms-5.000ms.trace')
    const text = await saved[0].text
    expect(text.split('\n').filter((l) => l && !l.startsWith('#'))).toHaveLength(1)
    s.exportJson({ fromNs: 5e6 + 25, toNs: 9e9 })
    const tef = JSON.parse(await saved[1].text) as { traceEvents: { ph: string; ts: number; cat?: string; args?: { clipped?: boolean } }[]; otherData: { fromNs: number; toNs: number } }
    expect(tef.otherData).toMatchObject({ fromNs: 5e6 + 25, toNs: 6e6 })
    // The spinlock entered before the range (and preempted inside) is still held: one clipped slice.
    const xs = tef.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'cs')
    expect(xs.map((e) => [e.ts, e.args?.clipped])).toEqual([[(5e6 + 25) / 1000, true]])
    expect(tef.traceEvents.filter((e) => e.ph === 'i')).toHaveLength(1) // the PLE exit at +30
  })

  it('lists finished runs to choose from', async () => {
    const s = useTimelineStore()
    await s.loadRuns()
    expect(api.runs.list).toHaveBeenCalledWith({ status: ['done'], limit: 100, sort: 'created-desc', offset: 0 })
    expect(s.runs.map((x) => x.id)).toEqual(['abcdef12'])
    expect(s.layouts.map((x) => x.id)).toEqual(['L1'])
  })

  it('runs a saved layout as an inline scenario with the chosen policy and seed', async () => {
    const s = useTimelineStore()
    s.sourceKind = 'layout'
    await s.load()
    expect(s.error).toBe('Choose a layout.')
    s.layoutId = 'L1'
    s.policy = 'ecs'
    s.seed = 4
    await s.load()
    expect(api.layouts.get).toHaveBeenCalledWith('L1')
    expect(api.trace.capture).toHaveBeenCalledWith({
      source: { kind: 'scenario', label: 'two VMs', scenario: { host: { pcpus: 2 }, vms: [], durationNs: 2e7, warmupNs: 3e6, seed: 4, policy: { id: 'ecs', params: {} } } },
      fromNs: 3e6, toNs: 4e6, maxRecords: 200_000
    })
  })
})
