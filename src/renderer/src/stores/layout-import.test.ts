// @vitest-environment happy-dom
/** Issue 14 probe 9: a layout import is range-checked (and depth-capped) before anything is drawn. */
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useLayoutsStore } from './layouts'

describe('layout import is range-checked before drawing', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    ;(window as unknown as { api: unknown }).api = { presets: { list: async () => ({ scenarios: [], workloads: [], policies: [] }) } }
  })

  it('2e5 vCPUs are rejected with the field and the allowed range; a sane file still imports', () => {
    const s = useLayoutsStore()
    const huge = JSON.stringify({ format: 'ecs-lab-layout', name: 'huge', scenario: { host: { pcpus: 80 }, vms: [{ name: 'a', vcpus: 200_000, workload: 'spinlock-heavy' }] } })
    expect(s.importFile(huge, 'huge.layout.json')).toMatch(/^huge\.layout\.json: vms\.0\.vcpus: .*1024/)
    expect(s.draft).toBeNull()
    const pcpus = JSON.stringify({ host: { pcpus: 1e6 }, vms: [{ name: 'a', vcpus: 2, workload: 'spinlock-heavy' }] })
    expect(s.importFile(pcpus, 'p.json')).toMatch(/host\.pcpus: .*4096/)
    expect(s.importFile('['.repeat(10_000) + ']'.repeat(10_000), 'deep.json')).toMatch(/deep\.json: nested deeper than 64 levels/)
    const ok = JSON.stringify({ host: { pcpus: 8, sockets: 1 }, vms: [{ name: 'a', vcpus: 4, workload: 'spinlock-heavy' }] })
    expect(s.importFile(ok, 'ok.json')).toBeNull()
    expect(s.draft?.vms).toHaveLength(1)
  })
})

