/**
 * The timeline's ECharts option (pure: model in, option out): swim lanes drawn by a custom series
 * (one rectangle per segment, clipped to the plot), markers as a scatter series, x zoom and pan with
 * dataZoom (inside: wheel / drag; slider below), y scrolling with a vertical slider when lanes are many.
 *
 * - pCPU view: one lane per pCPU, segments coloured by VM (which vCPU ran when).
 * - vCPU view: one lane per vCPU, segments coloured by state (Trace Compass's virtual-CPU view).
 */
import { OKABE_ITO } from '../../../shared/charts'
import { VCPU_STATES, VCPU_STATE_LABEL, type MarkerKind, type TimelineModel, type VcpuState } from '../../../shared/trace-model'
import { escapeHtml } from '../../../shared/html'

export type TimelineView = 'pcpu' | 'vcpu'

export const VM_COLORS = [OKABE_ITO.blue, OKABE_ITO.vermillion, OKABE_ITO.bluishGreen, OKABE_ITO.orange, OKABE_ITO.skyBlue, OKABE_ITO.reddishPurple, OKABE_ITO.yellow, '#7f7f7f']
export const vmColor = (vm: number) => VM_COLORS[vm % VM_COLORS.length]

export const STATE_COLORS: Record<VcpuState, string> = {
  running: OKABE_ITO.skyBlue,
  cs: OKABE_ITO.vermillion,
  spinning: OKABE_ITO.orange,
  preempted: OKABE_ITO.reddishPurple,
  halted: '#c8c8c8'
}

/** Lanes where the trace has no data (buffer full): grey hatching (a solid grey would read as "halted"). */
export const NO_DATA_COLOR = '#8c8c8c'

let hatch: HTMLCanvasElement | null = null
/** The hatching as a zrender pattern (a solid grey where there is no DOM, e.g. unit tests). */
function noDataFill(): string | { image: HTMLCanvasElement; repeat: 'repeat' } {
  if (typeof document === 'undefined') return NO_DATA_COLOR
  if (!hatch) {
    hatch = document.createElement('canvas')
    hatch.width = hatch.height = 8
    const g = hatch.getContext('2d')
    if (!g) return NO_DATA_COLOR
    g.strokeStyle = NO_DATA_COLOR
    g.lineWidth = 2
    g.beginPath()
    g.moveTo(-2, 10)
    g.lineTo(10, -2)
    g.moveTo(6, 10)
    g.lineTo(10, 6)
    g.moveTo(-2, 2)
    g.lineTo(2, -2)
    g.stroke()
  }
  return { image: hatch, repeat: 'repeat' }
}

export const MARKER_STYLE: Partial<Record<MarkerKind, { symbol: string; color: string; label: string }>> = {
  'preempt-in-cs': { symbol: 'triangle', color: '#000000', label: 'preempted inside a critical section' },
  'ple-exit': { symbol: 'diamond', color: OKABE_ITO.bluishGreen, label: 'PLE exit' },
  yield: { symbol: 'circle', color: OKABE_ITO.blue, label: 'yield' }
}

export interface TimelineOptionInput {
  model: TimelineModel
  view: TimelineView
  /** VM indices shown in the vCPU view (all when empty). */
  vms?: number[]
  dark?: boolean
  /** Lanes visible at once before the vertical slider scrolls. */
  visibleLanes?: number
}

export interface Lane {
  label: string
  vm: number
  vcpu: number
  pcpu: number
}

export function lanesOf(model: TimelineModel, view: TimelineView, vms: number[] = []): Lane[] {
  if (view === 'pcpu') return Array.from({ length: model.meta.pcpus }, (_, p) => ({ label: `pCPU ${p}`, vm: -1, vcpu: -1, pcpu: p }))
  const lanes: Lane[] = []
  model.meta.vms.forEach((vm, i) => {
    if (vms.length && !vms.includes(i)) return
    for (let j = 0; j < vm.vcpus; j++) lanes.push({ label: `${vm.name} v${j}`, vm: i, vcpu: j, pcpu: -1 })
  })
  return lanes
}

export function fmtTime(ns: number): string {
  return `${(ns / 1e6).toFixed(3)} ms`
}

function fmtDur(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(3)} ms`
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`
  return `${Math.round(ns)} ns`
}

interface Api {
  value(dim: number): number
  coord(v: [number, number]): [number, number]
  size(v: [number, number]): [number, number]
}
interface Params {
  coordSys: { x: number; y: number; width: number; height: number }
}

/** A clipped lane rectangle, or nothing when it is outside the plot. */
function laneRect(params: Params, api: Api, color: string | { image: HTMLCanvasElement; repeat: 'repeat' }, opacity = 1) {
  const lane = api.value(2)
  const a = api.coord([api.value(0), lane])
  const b = api.coord([api.value(1), lane])
  const h = api.size([0, 1])[1] * 0.78
  const cs = params.coordSys
  const x1 = Math.max(a[0], cs.x)
  const x2 = Math.min(b[0], cs.x + cs.width)
  const y = a[1] - h / 2
  if (x2 <= x1 || y + h < cs.y || y > cs.y + cs.height) return null
  // A hairline gap between back-to-back segments keeps context switches visible.
  const w = x2 - x1
  const gap = w > 3 ? 0.6 : 0
  return { type: 'rect', shape: { x: x1 + gap, y, width: Math.max(w - gap, 0.6), height: h }, style: { fill: color, opacity } }
}

export function timelineOption(input: TimelineOptionInput): Record<string, unknown> {
  const { model, view } = input
  const lanes = lanesOf(model, view, input.vms)
  const laneIndex = new Map<string, number>()
  lanes.forEach((l, i) => laneIndex.set(view === 'pcpu' ? `p${l.pcpu}` : `${l.vm}:${l.vcpu}`, i))
  const vmName = (vm: number) => model.meta.vms[vm]?.name ?? `vm${vm}`
  const text = input.dark ? '#e6e9ec' : '#1b1f24'
  const axisColor = input.dark ? '#8b949e' : '#57606a'

  // Segment rows: [start, end, lane, colourKey, vm, vcpu, task, cs/state index, pcpu]
  type Row = (number | string)[]
  const rows: Row[] = []
  if (view === 'pcpu') {
    for (const s of model.pcpuSegments) {
      const lane = laneIndex.get(`p${s.pcpu}`)
      if (lane === undefined) continue
      rows.push([s.start, s.end, lane, s.vm, s.vm, s.vcpu, s.task ?? -1, '', s.pcpu])
    }
  } else {
    for (const s of model.vcpuSegments) {
      const lane = laneIndex.get(`${s.vm}:${s.vcpu}`)
      if (lane === undefined) continue
      rows.push([s.start, s.end, lane, VCPU_STATES.indexOf(s.state), s.vm, s.vcpu, s.task ?? -1, s.cs ? `${s.cs}${s.lock ? ` (${s.lock})` : ''}` : '', s.pcpu ?? -1])
    }
  }
  const markerSeries = (Object.keys(MARKER_STYLE) as MarkerKind[]).map((kind) => {
    const st = MARKER_STYLE[kind]!
    const data: Row[] = []
    for (const m of model.markers) {
      if (m.kind !== kind) continue
      const lane = view === 'pcpu' ? laneIndex.get(`p${m.pcpu}`) : laneIndex.get(`${m.vm}:${m.vcpu}`)
      if (lane === undefined) continue
      data.push([m.t, lane, m.vm, m.vcpu, m.task ?? -1, m.cs ?? '', m.detail ?? '', m.pcpu])
    }
    return {
      type: 'scatter',
      name: st.label,
      id: `marker-${kind}`,
      symbol: st.symbol,
      symbolSize: kind === 'preempt-in-cs' ? 9 : 7,
      symbolRotate: kind === 'preempt-in-cs' ? 180 : 0,
      itemStyle: { color: input.dark && st.color === '#000000' ? '#ffffff' : st.color, borderColor: input.dark ? '#14171a' : '#ffffff', borderWidth: 0.8 },
      encode: { x: 0, y: 1 },
      z: 5,
      data
    }
  })

  // No data (the trace buffer filled): one hatched-grey rectangle per lane over the stretch.
  const noDataRows: Row[] = []
  for (const nd of model.noData ?? []) for (let lane = 0; lane < lanes.length; lane++) noDataRows.push([nd.start, nd.end, lane])

  const visible = Math.min(lanes.length, input.visibleLanes ?? 40)
  const needsY = lanes.length > visible
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { fontFamily: 'system-ui, sans-serif', color: text },
    grid: { left: 90, right: needsY ? 44 : 20, top: 12, bottom: 64 },
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (p: { seriesId?: string; value: Row; seriesName: string }) => {
        const v = p.value
        if (p.seriesId === 'no-data') {
          const [start, end] = p.value as [number, number]
          return [`<b>no data</b>`, `the trace buffer was full from ${fmtTime(start)}`, `${fmtTime(start)} – ${fmtTime(end)}: capture a shorter window (or one starting here)`].join('<br>')
        }
        if (p.seriesId === 'segments') {
          const [start, end, , key, vm, vcpu, task, cs, pcpu] = v as [number, number, number, number, number, number, number, string, number]
          const who = `${escapeHtml(vmName(vm))} vCPU ${vcpu}`
          const lines = [`<b>${who}</b>`]
          if (view === 'vcpu') lines.push(`state: ${VCPU_STATE_LABEL[VCPU_STATES[key]]}`)
          if (pcpu >= 0) lines.push(`on pCPU ${pcpu}`)
          lines.push(`guest task: ${task >= 0 ? task : 'unknown'}`)
          if (cs) lines.push(`critical section: ${escapeHtml(cs)}`)
          lines.push(`${fmtTime(start)} – ${fmtTime(end)} (${fmtDur(end - start)})`)
          return lines.join('<br>')
        }
        const [t, , vm, vcpu, task, cs, detail, pcpu] = v as [number, number, number, number, number, string, string, number]
        return [`<b>${escapeHtml(p.seriesName)}</b>`, `${escapeHtml(vmName(vm))} vCPU ${vcpu} on pCPU ${pcpu}`, `guest task: ${task >= 0 ? task : 'unknown'}`, cs ? `critical section: ${escapeHtml(cs)}` : '', detail ? `detail: ${escapeHtml(detail)}` : '', fmtTime(t)].filter(Boolean).join('<br>')
      }
    },
    xAxis: {
      type: 'value',
      min: model.meta.fromNs,
      max: model.meta.toNs,
      axisLabel: { formatter: (v: number) => fmtTime(v), color: text, hideOverlap: true },
      axisLine: { lineStyle: { color: axisColor } },
      splitLine: { show: true, lineStyle: { color: input.dark ? '#262b31' : '#eef0f2' } }
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: lanes.map((l) => l.label),
      axisLabel: { color: text, fontSize: 10, interval: lanes.length > visible ? 'auto' : 0 },
      axisTick: { show: false },
      axisLine: { lineStyle: { color: axisColor } }
    },
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'weakFilter', zoomOnMouseWheel: true, moveOnMouseMove: true, minValueSpan: 200 },
      { type: 'slider', xAxisIndex: 0, filterMode: 'weakFilter', height: 22, bottom: 8, labelFormatter: (v: number) => fmtTime(v), showDetail: true },
      ...(needsY
        ? [
            { type: 'slider', yAxisIndex: 0, filterMode: 'weakFilter', width: 16, right: 6, startValue: 0, endValue: visible - 1, zoomLock: false, showDetail: false },
            { type: 'inside', yAxisIndex: 0, filterMode: 'weakFilter', zoomOnMouseWheel: false, moveOnMouseWheel: 'shift' }
          ]
        : [])
    ],
    series: [
      {
        type: 'custom',
        id: 'segments',
        name: view === 'pcpu' ? 'pCPU occupancy' : 'vCPU state',
        encode: { x: [0, 1], y: 2 },
        data: rows,
        progressive: 4000,
        renderItem: (params: Params, api: Api) => {
          const key = api.value(3)
          const color = view === 'pcpu' ? vmColor(key) : STATE_COLORS[VCPU_STATES[key]]
          return laneRect(params, api, color, view === 'vcpu' && VCPU_STATES[key] === 'halted' ? 0.7 : 1)
        }
      },
      ...(noDataRows.length
        ? [{
            type: 'custom',
            id: 'no-data',
            name: 'no data',
            encode: { x: [0, 1], y: 2 },
            data: noDataRows,
            renderItem: (params: Params, api: Api) => laneRect(params, api, noDataFill(), 0.8)
          }]
        : []),
      ...markerSeries
    ]
  }
}
