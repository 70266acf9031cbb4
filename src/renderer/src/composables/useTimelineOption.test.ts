/** The timeline option builder: lanes, colours, markers, zoom components, and hover text. */
import { describe, expect, it } from 'vitest'
import { buildTimelineModel } from '../../../shared/trace-model'
import type { TraceRecord } from '../../../shared/result'
import { lanesOf, STATE_COLORS, timelineOption, vmColor } from './useTimelineOption'

const r = (t: number, kind: TraceRecord['kind'], pcpu: number, vm: number, vcpu: number, extra: Partial<TraceRecord> = {}): TraceRecord => ({ t, kind, pcpu, vm, vcpu, ...extra })
const model = buildTimelineModel([
  r(110, 'cs-enter', 0, 0, 1, { task: 5, cs: 'mutex' }),
  r(120, 'preempt', 0, 0, 1, { task: 5, cs: 'mutex' }),
  r(120, 'run', 0, 1, 0, { task: 9 }),
  r(150, 'yield', 0, 1, 0, { task: 9 }),
  r(150, 'idle', 0, -1, -1)
], { pcpus: 2, vms: [{ name: 'a', vcpus: 2 }, { name: 'b', vcpus: 1 }], fromNs: 100, toNs: 200 })

type Series = { id?: string; type: string; data: unknown[][]; renderItem?: (p: unknown, api: unknown) => unknown; itemStyle?: { color: string } }

describe('timelineOption', () => {
  it('has one lane per pCPU or per vCPU (filtered by VM)', () => {
    expect(lanesOf(model, 'pcpu').map((l) => l.label)).toEqual(['pCPU 0', 'pCPU 1'])
    expect(lanesOf(model, 'vcpu').map((l) => l.label)).toEqual(['a v0', 'a v1', 'b v0'])
    expect(lanesOf(model, 'vcpu', [1]).map((l) => l.label)).toEqual(['b v0'])
  })

  it('pCPU view: segments per lane coloured by VM; markers on the pCPU lane', () => {
    const o = timelineOption({ model, view: 'pcpu' })
    const s = o.series as Series[]
    expect(s[0].data).toEqual([[100, 120, 0, 0, 0, 1, 5, '', 0], [120, 150, 0, 1, 1, 0, 9, '', 0]])
    const inCs = s.find((x) => x.id === 'marker-preempt-in-cs')!
    expect(inCs.data).toEqual([[120, 0, 0, 1, 5, 'mutex', '', 0]])
    expect(s.find((x) => x.id === 'marker-yield')!.data).toEqual([[150, 0, 1, 0, 9, '', '', 0]])
    expect((o.dataZoom as { type: string }[]).map((d) => d.type)).toEqual(['inside', 'slider'])
    // renderItem draws a clipped rectangle in the VM's colour.
    const api = { value: (i: number) => [100, 120, 0, 1][i], coord: ([x, y]: [number, number]) => [x, y * 10 + 5], size: () => [0, 10] }
    const rect = s[0].renderItem!({ coordSys: { x: 0, y: 0, width: 1000, height: 100 } }, api) as { style: { fill: string }; shape: { width: number } }
    expect(rect.style.fill).toBe(vmColor(1))
    expect(rect.shape.width).toBeGreaterThan(0)
    expect(s[0].renderItem!({ coordSys: { x: 500, y: 0, width: 10, height: 100 } }, api)).toBeNull()
  })

  it('vCPU view: states coloured like Trace Compass, hover names vCPU, task and critical section', () => {
    const o = timelineOption({ model, view: 'vcpu' })
    const s = o.series as Series[]
    const a1 = s[0].data.filter((d) => d[2] === 1)
    expect(a1.map((d) => [d[0], d[1], d[3]])).toEqual([[100, 110, 0], [110, 120, 1], [120, 200, 3]])
    const api = { value: (i: number) => [110, 120, 1, 1][i], coord: ([x, y]: [number, number]) => [x, y * 10 + 5], size: () => [0, 10] }
    expect((s[0].renderItem!({ coordSys: { x: 0, y: 0, width: 1000, height: 100 } }, api) as { style: { fill: string } }).style.fill).toBe(STATE_COLORS.cs)
    const fmt = (o.tooltip as { formatter: (p: unknown) => string }).formatter
    const html = fmt({ seriesId: 'segments', seriesName: 'vCPU state', value: a1[1] })
    expect(html).toContain('a vCPU 1')
    expect(html).toContain('state: in critical section')
    expect(html).toContain('guest task: 5')
    expect(html).toContain('critical section: mutex')
    const mk = fmt({ seriesId: 'marker-preempt-in-cs', seriesName: 'preempted inside a critical section', value: [120, 1, 0, 1, 5, 'mutex', '', 0] })
    expect(mk).toContain('a vCPU 1 on pCPU 0')
  })

  it('many lanes get a vertical scroll slider; dark mode keeps markers visible', () => {
    const big = buildTimelineModel([], { pcpus: 80, vms: [], fromNs: 0, toNs: 10 })
    const o = timelineOption({ model: big, view: 'pcpu', visibleLanes: 40, dark: true })
    expect((o.dataZoom as { yAxisIndex?: number }[]).some((d) => d.yAxisIndex === 0)).toBe(true)
    expect((o.series as Series[]).find((x) => x.id === 'marker-preempt-in-cs')!.itemStyle!.color).toBe('#ffffff')
  })
})
