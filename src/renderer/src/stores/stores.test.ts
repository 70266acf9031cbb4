// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import { useSettingsStore } from './settings'
import { useLayoutsStore } from './layouts'
import { useRunsStore } from './runs'
import { useNoticesStore } from './notices'
import { useCampaignsStore } from './campaigns'
import { useCompareStore } from './compare'
import { usePresetsStore } from './presets'
import { useDocsStore } from './docs'
import { useValidationStore } from './validation'
import { useQuickRunStore } from './quick-run'
import { errorMessage } from '../api'
import type { Layout } from '../../../shared/ipc/layouts'
import type { RunDetail, RunFinishedEvent, RunProgressEvent } from '../../../shared/ipc/runs'

type Fn = ReturnType<typeof vi.fn>
let api: Record<string, Record<string, Fn>>
const listeners: Record<string, ((p: unknown) => void)[]> = {}

function on(name: string) {
  return vi.fn((cb: (p: unknown) => void) => {
    ;(listeners[name] ??= []).push(cb)
    return () => { listeners[name] = listeners[name].filter((x) => x !== cb) }
  })
}

const layout: Layout = {
  id: 'L1', name: 'two VMs', description: '', latestVersion: 1, createdAt: 1, updatedAt: 1, runCount: 0, version: 1, versions: [{ version: 1, note: '', createdAt: 1 }],
  scenario: {
    host: { pcpus: 4, sockets: 1, hz: 250, cpuGhz: 2.4, cfs: { latencyNs: 6e6, minGranularityNs: 75e4, wakeupGranularityNs: 1e6, migrationCostNs: 5e5 }, ple: { gap: 128, window: 4096, grow: 2, shrink: 0, windowMax: 1073741823 } },
    vms: [{ name: 'vm0', vcpus: 4, workload: 'spinlock-heavy', weight: 1024 }, { name: 'vm1', vcpus: 4, workload: 'spinlock-heavy', weight: 1024 }],
    durationNs: 2e7, seed: 1
  } as unknown as Layout['scenario']
}

function detail(id: string, policy: string, seed: number, ops: number): RunDetail {
  return {
    id, label: 'two VMs', policy, policyParams: {}, policyLabel: policy, seed, engineVersion: 'e', status: 'done', error: null, createdAt: 1, startedAt: 1, finishedAt: 2, wallMs: 1,
    layoutId: 'L1', layoutVersion: 1, note: '', tags: [], opsPerSec: ops, inCsPreemptions: 1, host: { pcpus: 4, vcpus: [4, 4] }, scenario: layout.scenario, metrics: { opsPerSec: ops }, campaigns: [],
    result: {
      engineVersion: 'e', policy, policyParams: {}, seed, simulatedNs: 2e7, warmupNs: 2e6, measuredNs: 1.8e7, events: 10, digest: 'd',
      vms: [{ name: 'vm0', vcpus: 4, workload: 'w', ops: 1, opsPerSec: ops, opsPerVcpuPerSec: 1, cpuTimeNs: 1, stealNs: 1 }],
      preemptions: { total: 4, inCriticalSection: { total: 1, byKind: { spinlock: 1, rwlock: 0, mutex: 0, rwsem: 0, rcu: 0, irq: 0 } }, lockHolder: 1, lockWaiter: 0 },
      counters: {}, lockWaitHistogram: { unit: 'ns', buckets: [1] }, pcpuBusyNs: [], pcpuIdleNs: []
    }
  }
}

beforeEach(() => {
  setActivePinia(createPinia())
  for (const k of Object.keys(listeners)) delete listeners[k]
  localStorage.clear()
  api = {
    presets: { list: vi.fn(async () => ({ scenarios: [], workloads: [{ id: 'spinlock-heavy', title: 'S', description: '', mimics: '' }], policies: [{ id: 'kvm', title: 'K', description: '' }] })) },
    app: { info: vi.fn(async () => ({ version: '1', engineVersion: '1', host: 'web' })) },
    layouts: {
      list: vi.fn(async () => [layout]),
      get: vi.fn(async () => layout),
      create: vi.fn(async (a: { name: string }) => ({ ...layout, id: 'L2', name: a.name })),
      update: vi.fn(async () => ({ ...layout, version: 2, latestVersion: 2 })),
      delete: vi.fn(async () => ({ deleted: true }))
    },
    runs: {
      start: vi.fn(async () => ({ runIds: ['aa0001', 'bb0001'], started: ['aa0001', 'bb0001'], reused: [] })),
      get: vi.fn(async (id: string) => detail(id, id.startsWith('aa') ? 'kvm' : 'ecs', 1, id.startsWith('aa') ? 100 : 200)),
      series: vi.fn(async (id: string) => ({ runId: id, intervalNs: 1e6, t: [1e6], perVm: [{ name: 'vm0', values: { ops: [1] } }] })),
      cancel: vi.fn(async () => ({ cancelled: true })),
      list: vi.fn(async () => ({ total: 1, rows: [detail('aa0001', 'kvm', 1, 100)] })),
      tags: vi.fn(async () => [{ tag: 'x', count: 1 }]),
      delete: vi.fn(async (ids: string[]) => ({ deleted: ids.length })),
      rerun: vi.fn(async () => ({ runIds: ['aa0001'], started: [], reused: ['aa0001'] })),
      setTags: vi.fn(async (_id: string, tags: string[]) => ({ tags })),
      setNote: vi.fn(async (_id: string, note: string) => ({ note })),
      onProgress: on('runs:progress'),
      onFinished: on('runs:finished')
    },
    campaigns: {
      validate: vi.fn(async () => ({ ok: true })),
      start: vi.fn(async () => ({ id: 'c'.repeat(16), total: 4, pending: 4 })),
      get: vi.fn(async (id: string) => ({ id, name: 'c', runs: [] })),
      list: vi.fn(async () => []),
      onProgress: on('campaigns:progress')
    },
    compare: { series: vi.fn(async () => ({ intervalNs: 1e6, lines: [] })) }
  }
  Object.defineProperty(window, 'api', { value: api, configurable: true, writable: true })
})

describe('useSettingsStore', () => {
  it('toggles and remembers the theme and applies it to the document', async () => {
    const s = useSettingsStore()
    s.setTheme('dark')
    await nextTick()
    expect(document.documentElement.dataset.theme).toBe('dark')
    expect(localStorage.getItem('ecs-lab.theme')).toBe('dark')
    s.toggleTheme()
    await nextTick()
    expect(s.effectiveTheme).toBe('light')
    expect(document.documentElement.dataset.theme).toBe('light')
  })
})

describe('useLayoutsStore', () => {
  it('opens a layout into a draft, validates it live and tracks unsaved changes', async () => {
    await usePresetsStore().load()
    const s = useLayoutsStore()
    await s.open('L1')
    expect(s.draft?.host.pcpus).toBe(4)
    expect(s.dirty).toBe(false)
    expect(s.valid).toBe(true)
    expect(s.placement?.commitRatio).toBe(2)
    s.draft!.vms[0].vcpus = 0
    expect(s.dirty).toBe(true)
    expect(s.issues['vms.0.vcpus']?.[0]).toMatch(/>= 1/)
    s.draft!.vms[0].vcpus = 8
    expect(s.placement?.commitRatio).toBe(3)
    // the picture uses a VM's pin list only when the VM is pinned
    s.draft!.vms[0].vcpus = 4
    s.draft!.vms[1].pinning = [0, 0, 0, 0]
    expect(s.placement?.maxStack).toBe(2)
    s.draft!.vms[1].pinned = true
    expect(s.placement?.maxStack).toBe(4)
    expect(s.placement?.perPcpu[0].every((v) => v.vm === 1)).toBe(true)
  })

  it('saves a new version of the open layout with optimistic concurrency', async () => {
    const s = useLayoutsStore()
    await s.open('L1')
    s.draft!.host.pcpus = 8
    const l = await s.save('more pCPUs')
    expect(api.layouts.update).toHaveBeenCalledWith(expect.objectContaining({ id: 'L1', note: 'more pCPUs', expectedVersion: 1 }))
    expect(l?.version).toBe(2)
  })

  it('creates a new layout and maps server validation errors to fields', async () => {
    const s = useLayoutsStore()
    s.newDraft()
    api.layouts.create.mockRejectedValueOnce(Object.assign(new Error('host.pcpus: must be a multiple of sockets'), { code: 'invalid-argument' }))
    expect(await s.save()).toBeNull()
    expect(s.issues['host.pcpus']).toEqual(['must be a multiple of sockets'])
    s.draft!.host.pcpus = 16
    expect(s.issues['host.pcpus']).toBeUndefined()
  })

  it('exports and imports layout files', async () => {
    const s = useLayoutsStore()
    await s.open('L1')
    const f = s.exportFile()!
    expect(f.filename).toBe('two-vms.layout.json')
    expect(s.importFile('nope', 'x.json')).toMatch(/not JSON/)
    expect(s.importFile('{"a":1}', 'x.json')).toMatch(/no scenario/)
    expect(s.importFile(f.text, 'two.layout.json')).toBeNull()
    expect(s.current).toBeNull()
    expect(s.name).toBe('two VMs')
    expect(s.draft?.vms).toHaveLength(2)
  })

  it('duplicates and deletes', async () => {
    const s = useLayoutsStore()
    await s.duplicate('L1')
    expect(api.layouts.create).toHaveBeenCalledWith(expect.objectContaining({ name: 'two VMs (copy)' }))
    await s.open('L1')
    expect(await s.remove('L1')).toBe(true)
    expect(s.draft).toBeNull()
  })

  it('creates a layout from a preset and opens it; a failure leaves a readable error and null', async () => {
    const s = useLayoutsStore()
    const l = await s.createFromPreset('overcommit-2x', 'from preset')
    expect(api.layouts.create).toHaveBeenCalledWith({ name: 'from preset', description: '', scenario: { preset: 'overcommit-2x' }, note: 'from preset overcommit-2x' })
    expect(l?.id).toBe('L2')
    expect(s.current?.id).toBe('L2')
    expect(api.layouts.list).toHaveBeenCalled()
    api.layouts.create.mockRejectedValueOnce(Object.assign(new Error('unknown preset "x"'), { code: 'invalid-argument' }))
    expect(await s.createFromPreset('x', 'bad')).toBeNull()
    expect(s.error).toBe('unknown preset "x" (invalid input)')
    expect(s.loading).toBe(false)
  })
})

describe('useRunsStore', () => {
  it('follows a batch through progress and finished events, then loads its results', async () => {
    const s = useRunsStore()
    const off = s.subscribe()
    await s.start({ source: { kind: 'layout', layoutId: 'L1' }, policies: ['kvm', 'ecs'], seeds: [1] }, 'two VMs')
    expect(s.batchCounts.queued).toBe(2)
    const progress: RunProgressEvent = { runId: 'aa0001', worker: 0, simulatedNs: 5e6, totalNs: 2e7, events: 1, elapsedMs: 10, etaMs: 30 }
    listeners['runs:progress'].forEach((cb) => cb(progress))
    expect(s.live.aa0001.status).toBe('running')
    expect(s.live.aa0001.progress?.simulatedNs).toBe(5e6)
    const fin = (runId: string): RunFinishedEvent => ({ runId, status: 'done', error: null, wallMs: 40 })
    listeners['runs:finished'].forEach((cb) => cb(fin('aa0001')))
    expect(s.batchFinished).toBe(false)
    listeners['runs:finished'].forEach((cb) => cb(fin('bb0001')))
    expect(s.batchFinished).toBe(true)
    await vi.waitFor(() => expect(s.batchDetails).toHaveLength(2))
    expect(s.batchSeries).toHaveLength(2)
    // a late progress event does not resurrect a finished run
    listeners['runs:progress'].forEach((cb) => cb(progress))
    expect(s.live.aa0001.status).toBe('done')
    off()
    expect(listeners['runs:progress']).toHaveLength(0)
  })

  it('keeps the result of a run that finished before its start call answered', async () => {
    const s = useRunsStore()
    const off = s.subscribe()
    const fin = (runId: string): RunFinishedEvent => ({ runId, status: 'done', error: null, wallMs: 1 })
    // an earlier batch left both ids finished; the new start's answer arrives after aa0001 finished again
    listeners['runs:finished'].forEach((cb) => { cb(fin('aa0001')); cb(fin('bb0001')) })
    api.runs.start.mockImplementationOnce(async () => {
      listeners['runs:finished'].forEach((cb) => cb(fin('aa0001')))
      return { runIds: ['aa0001', 'bb0001'], started: ['aa0001', 'bb0001'], reused: [] }
    })
    await s.start({ source: { kind: 'layout', layoutId: 'L1' }, policies: ['kvm', 'ecs'], seeds: [1] }, 'fast')
    // aa0001's finish belongs to this batch; bb0001's was an earlier one: it is queued again
    expect(s.live.aa0001.status).toBe('done')
    expect(s.live.bb0001.status).toBe('queued')
    listeners['runs:finished'].forEach((cb) => cb(fin('bb0001')))
    expect(s.batchFinished).toBe(true)
    await vi.waitFor(() => expect(s.batchDetails).toHaveLength(2))
    off()
  })

  it('reports start errors readably and cancels the unfinished runs of a batch', async () => {
    const s = useRunsStore()
    api.runs.start.mockRejectedValueOnce(Object.assign(new Error('runs:start: invalid arguments: args.0.seeds: Too small'), { code: 'invalid-argument' }))
    expect(await s.start({ source: { kind: 'preset', preset: 'quick' }, policies: ['kvm'] }, 'q')).toBeNull()
    expect(s.startError).toMatch(/seeds: Too small \(invalid input\)/)
    await s.start({ source: { kind: 'preset', preset: 'quick' }, policies: ['kvm', 'ecs'] }, 'q')
    await s.cancelBatch()
    expect(api.runs.cancel).toHaveBeenCalledTimes(2)
  })

  it('lists, loads facts, tags, annotates and deletes stored runs', async () => {
    const s = useRunsStore()
    await s.loadList()
    expect(s.rows).toHaveLength(1)
    expect(s.tags).toEqual([{ tag: 'x', count: 1 }])
    await s.ensureFacts(['aa0001'])
    expect(s.facts.get('aa0001')?.commitRatio).toBe(2)
    await s.setTags('aa0001', ['a', 'b'])
    expect(s.rows[0].tags).toEqual(['a', 'b'])
    await s.setNote('aa0001', 'hello')
    expect(s.rows[0].note).toBe('hello')
    expect(await s.remove(['aa0001'])).toBe(1)
    expect(s.rows).toHaveLength(0)
  })
})

describe('useCampaignsStore', () => {
  it('validates before starting and reports validation errors', async () => {
    const s = useCampaignsStore()
    api.campaigns.validate.mockResolvedValueOnce({ ok: false, errors: ['policies.0: unknown policy "nope"'] })
    expect(await s.start('{}')).toBeNull()
    expect(s.error).toMatch(/unknown policy/)
    const res = await s.start('{}')
    expect(res?.total).toBe(4)
    expect(s.detail?.id).toBe('c'.repeat(16))
    expect(s.progress['c'.repeat(16)].done).toBe(0)
  })
})

describe('useCompareStore', () => {
  it('diffs the parameters of the selected runs', async () => {
    const s = useCompareStore()
    await s.load(['aa0001', 'bb0001'])
    expect(s.paramRows.map((r) => r.path)).toEqual(['policy'])
    expect(s.baselineId).toBe('aa0001') // the kvm run
    s.differencesOnly = false
    s.showDefaults = true
    expect(s.paramRows.length).toBeGreaterThan(5)
    expect(s.paramRows.some((r) => r.path.startsWith('scenario.'))).toBe(false)
    expect(s.metricNames).toEqual(['opsPerSec'])
    expect(api.compare.series).toHaveBeenCalledWith(['aa0001', 'bb0001'], ['ops'])
  })
})

describe('useNoticesStore and errorMessage', () => {
  it('dismisses a page\'s notices when the user leaves it, but keeps one raised by the navigation', () => {
    const s = useNoticesStore()
    s.error(new Error('old layouts error'))
    const t = s.items[0]!.at
    s.info('re-running')
    s.items[1]!.at = t + 5000
    s.leavePage(t + 5200)
    expect(s.items.map((n) => n.message)).toEqual(['re-running'])
  })

  it('keeps at most five notices and renders errors readably', () => {
    const s = useNoticesStore()
    for (let i = 0; i < 7; i++) s.error(new Error(`e${i}`))
    expect(s.items.map((n) => n.message)).toEqual(['e2', 'e3', 'e4', 'e5', 'e6'])
    expect(errorMessage(new TypeError('Failed to fetch'))).toMatch(/not reachable/)
    expect(errorMessage(Object.assign(new Error('layout L9'), { code: 'not-found' }))).toBe('layout L9 (not found)')
    expect(errorMessage('plain')).toBe('plain')
  })
})

describe('loaders of the docs, validation and quick-run stores', () => {
  it('flag the call in flight, keep the result, and turn failures into readable errors', async () => {
    api.docs = { get: vi.fn(async ({ name }: { name: string }) => ({ name, markdown: '# x' })) }
    api.validation = { report: vi.fn(async () => { throw Object.assign(new Error('docs/validation.json'), { code: 'not-found' }) }) }
    api.sim = { runQuick: vi.fn(async () => ({ digest: 'd' })) }
    const docs = useDocsStore()
    const p = docs.load('report')
    expect(docs.loading).toBe(true)
    await p
    expect(docs.loading).toBe(false)
    expect(docs.error).toBeNull()
    expect(docs.byName.report).toEqual({ name: 'report', markdown: '# x' })
    // loaded once
    await docs.load('report')
    expect(api.docs.get).toHaveBeenCalledTimes(1)

    const validation = useValidationStore()
    await validation.load()
    expect(validation.loading).toBe(false)
    expect(validation.info).toBeNull()
    expect(validation.error).toBe('docs/validation.json (not found)')

    const quick = useQuickRunStore()
    const q = quick.run('overcommit-2x', 'ecs')
    expect(quick.running).toBe(true)
    await q
    expect(quick.running).toBe(false)
    expect(quick.result).toEqual({ digest: 'd' })
    expect(api.sim.runQuick).toHaveBeenCalledWith({ preset: 'overcommit-2x', policy: 'ecs' })
  })
})
