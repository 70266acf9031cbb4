/**
 * Trace records (SimResult.trace) -> the timeline model: which vCPU ran on each pCPU when, each vCPU's
 * state over time (Trace Compass's virtual-CPU view: running guest code, in a critical section,
 * spinning, preempted on the host, halted), critical-section slices and point markers. Shared by the
 * timeline screen and the Perfetto exports (trace-export.ts). Pure TypeScript.
 *
 * Record semantics (src/sim/engine.ts): `run` = vCPU scheduled in on pcpu; `preempt` / `yield` = it
 * left the pCPU still runnable (preempt carries `cs` when the guest held a critical section); `halt` =
 * it blocked; `idle` = the pCPU went idle (vm = vcpu = -1); `wake` / `kick` = it became runnable;
 * `lock-wait` = a guest task started waiting for a lock (cs = kind, detail = lock name); `cs-enter` /
 * `cs-exit` = critical section of kind `cs`; `ple-exit` = pause-loop exit; `irq` = interrupt entry;
 * `gp` = RCU grace period (vm-wide); `state` = the snapshot at the window start (core/trace.ts window
 * mode: per vCPU `running` on pcpu / `runnable` / `halted`, per held section `cs[:lock]`, per lock
 * waiter `lock-wait:<lock>`, per idle pCPU `idle`), so every lane is known from the window start.
 * Without a snapshot, a lane's first state is inferred from its first record (a `preempt` means it was
 * running since the window start). Records before `meta.fromNs` (a look-back) only establish the
 * lanes' state at its start. `meta.fullAtNs`: the trace buffer filled there; [fullAtNs, toNs) has no
 * data on any lane (model.noData).
 */
import type { TraceRecord } from './result'

export interface TraceMeta {
  pcpus: number
  vms: { name: string; vcpus: number }[]
  fromNs: number
  toNs: number
  /** Records the engine's trace buffer dropped. */
  dropped?: number
  /** The buffer filled at this time: no data from here to toNs. */
  fullAtNs?: number | null
}

export const VCPU_STATES = ['running', 'cs', 'spinning', 'preempted', 'halted'] as const
export type VcpuState = (typeof VCPU_STATES)[number]

export const VCPU_STATE_LABEL: Record<VcpuState, string> = {
  running: 'running guest code',
  cs: 'in critical section',
  spinning: 'spinning (lock wait)',
  preempted: 'preempted on host (runnable)',
  halted: 'halted'
}

export interface PcpuSegment {
  pcpu: number
  start: number
  end: number
  vm: number
  vcpu: number
  task?: number
}

export interface VcpuSegment {
  vm: number
  vcpu: number
  start: number
  end: number
  state: VcpuState
  task?: number
  /** Innermost critical-section kind (state 'cs') or the kind waited for (state 'spinning'). */
  cs?: string
  lock?: string
  pcpu?: number
}

export interface CsSlice {
  vm: number
  vcpu: number
  task: number
  cs: string
  lock?: string
  start: number
  end: number
  /** Nesting depth on its task (0 = outermost). */
  depth: number
  /** The vCPU was preempted on the host while inside this slice. */
  preempted: boolean
  /** Began before / ended after the window (clipped to it). */
  clippedStart: boolean
  clippedEnd: boolean
}

export const MARKER_KINDS = ['preempt-in-cs', 'preempt', 'ple-exit', 'yield', 'kick', 'irq', 'gp'] as const
export type MarkerKind = (typeof MARKER_KINDS)[number]

export interface TraceMarker {
  t: number
  kind: MarkerKind
  vm: number
  vcpu: number
  pcpu: number
  task?: number
  cs?: string
  detail?: string
}

export interface TimelineModel {
  meta: TraceMeta
  /** Stretches with no data on every lane (the trace buffer was full). */
  noData: { start: number; end: number }[]
  pcpuSegments: PcpuSegment[]
  vcpuSegments: VcpuSegment[]
  csSlices: CsSlice[]
  markers: TraceMarker[]
}

interface OpenCs {
  cs: string
  lock?: string
  start: number
  clippedStart: boolean
  preempted: boolean
}

interface VcpuTrack {
  vm: number
  vcpu: number
  /** Host state: on a pCPU or not (undefined = not known yet). */
  on?: 'running' | 'preempted' | 'halted'
  pcpu?: number
  task?: number
  since: number
  /** Open critical sections per guest task. */
  cs: Map<number, OpenCs[]>
  /** Task -> kind + lock it waits for. */
  waiting: Map<number, { cs?: string; lock?: string }>
  /** The state drawn since `since` (to merge equal consecutive segments). */
  drawn?: VcpuState
  drawnCs?: string
  drawnLock?: string
}

const key = (vm: number, vcpu: number) => `${vm}:${vcpu}`

/** Sort a copy by time, keeping the engine's order for equal times. */
function ordered(records: readonly TraceRecord[]): TraceRecord[] {
  return records.map((r, i) => ({ r, i })).sort((a, b) => a.r.t - b.r.t || a.i - b.i).map((x) => x.r)
}

export function buildTimelineModel(records: readonly TraceRecord[], meta: TraceMeta): TimelineModel {
  const recs = ordered(records)
  // Records before the window (a look-back) only establish each lane's state at the window start.
  const visibleFrom = meta.fromNs
  const from = recs.length ? Math.min(meta.fromNs, recs[0].t) : meta.fromNs
  const end = Math.max(meta.toNs, recs.length ? recs[recs.length - 1].t : meta.toNs)
  const pcpuSegments: PcpuSegment[] = []
  const vcpuSegments: VcpuSegment[] = []
  const csSlices: CsSlice[] = []
  const markers: TraceMarker[] = []

  // ---- pCPU lanes
  const onCpu = new Map<number, { vm: number; vcpu: number; task?: number; start: number }>()
  const seenCpu = new Set<number>()
  const closeCpu = (pcpu: number, t: number) => {
    const cur = onCpu.get(pcpu)
    if (cur && t > cur.start) pcpuSegments.push({ pcpu, start: cur.start, end: t, vm: cur.vm, vcpu: cur.vcpu, ...(cur.task !== undefined ? { task: cur.task } : {}) })
    onCpu.delete(pcpu)
  }

  // ---- vCPU lanes
  const tracks = new Map<string, VcpuTrack>()
  const track = (vm: number, vcpu: number): VcpuTrack => {
    let tr = tracks.get(key(vm, vcpu))
    if (!tr) {
      tr = { vm, vcpu, since: from, cs: new Map(), waiting: new Map() }
      tracks.set(key(vm, vcpu), tr)
    }
    return tr
  }
  const stateOf = (tr: VcpuTrack): { state?: VcpuState; cs?: string; lock?: string } => {
    if (tr.on === 'halted') return { state: 'halted' }
    if (tr.on === 'preempted') return { state: 'preempted' }
    if (tr.on !== 'running') return {}
    const w = tr.task !== undefined ? tr.waiting.get(tr.task) : undefined
    if (w) return { state: 'spinning', cs: w.cs, lock: w.lock }
    const open = tr.task !== undefined ? tr.cs.get(tr.task) : undefined
    if (open && open.length) return { state: 'cs', cs: open[open.length - 1].cs, lock: open[open.length - 1].lock }
    return { state: 'running' }
  }
  /** Close the drawn segment at t if the state changed (call after mutating the track). */
  const redraw = (tr: VcpuTrack, t: number) => {
    const s = stateOf(tr)
    if (s.state === tr.drawn && s.cs === tr.drawnCs && s.lock === tr.drawnLock) return
    if (tr.drawn && t > tr.since) {
      vcpuSegments.push({
        vm: tr.vm, vcpu: tr.vcpu, start: tr.since, end: t, state: tr.drawn,
        ...(tr.task !== undefined ? { task: tr.task } : {}),
        ...(tr.drawnCs ? { cs: tr.drawnCs } : {}),
        ...(tr.drawnLock ? { lock: tr.drawnLock } : {}),
        ...(tr.drawn === 'running' || tr.drawn === 'cs' || tr.drawn === 'spinning' ? (tr.pcpu !== undefined ? { pcpu: tr.pcpu } : {}) : {})
      })
    }
    tr.since = t
    tr.drawn = s.state
    tr.drawnCs = s.cs
    tr.drawnLock = s.lock
  }
  /** The first record of a lane implies what it was doing since the window start. */
  const infer = (tr: VcpuTrack, r: TraceRecord) => {
    if (tr.on !== undefined) return
    // Unknown whether it was preempted or halted before a run: leave the lane blank until then.
    if (r.kind === 'run') return
    tr.on = r.kind === 'wake' || r.kind === 'kick' ? 'halted' : 'running'
    if (tr.on === 'running') tr.pcpu = r.pcpu
    if (r.task !== undefined) tr.task = r.task
    if (r.kind === 'cs-exit' && r.task !== undefined && r.cs) {
      tr.cs.set(r.task, [{ cs: r.cs, start: from, clippedStart: true, preempted: false }])
    }
    if (r.kind === 'preempt' && r.task !== undefined && r.cs) {
      tr.cs.set(r.task, [{ cs: r.cs, start: from, clippedStart: true, preempted: false }])
    }
    tr.since = from
    const s = stateOf(tr)
    tr.drawn = s.state
    tr.drawnCs = s.cs
    tr.drawnLock = s.lock
  }
  const setTask = (tr: VcpuTrack, task: number | undefined) => {
    if (task !== undefined) tr.task = task
  }
  /** A snapshot record (kind `state`): sets the lane's state at the window start. */
  const applyState = (r: TraceRecord) => {
    const d = r.detail ?? ''
    if (r.vm < 0 || r.vcpu < 0) {
      if (d === 'idle' && r.pcpu >= 0) seenCpu.add(r.pcpu)
      return
    }
    const tr = track(r.vm, r.vcpu)
    if (d === 'running' || d === 'runnable' || d === 'halted') {
      tr.on = d === 'running' ? 'running' : d === 'halted' ? 'halted' : 'preempted'
      if (d === 'running' && r.pcpu >= 0) {
        tr.pcpu = r.pcpu
        seenCpu.add(r.pcpu)
        onCpu.set(r.pcpu, { vm: r.vm, vcpu: r.vcpu, ...(r.task !== undefined ? { task: r.task } : {}), start: r.t })
      }
      setTask(tr, r.task)
    } else if (d === 'cs' || d.startsWith('cs:')) {
      const task = r.task ?? -1
      const list = tr.cs.get(task) ?? []
      list.push({ cs: r.cs ?? 'cs', ...(d.length > 3 ? { lock: d.slice(3) } : {}), start: r.t, clippedStart: true, preempted: false })
      tr.cs.set(task, list)
    } else if (d.startsWith('lock-wait')) {
      if (r.task !== undefined) tr.waiting.set(r.task, { ...(r.cs ? { cs: r.cs } : {}), ...(d.length > 10 ? { lock: d.slice(10) } : {}) })
    }
    redraw(tr, r.t)
  }

  for (const r of recs) {
    const t = r.t
    if (r.kind === 'idle') {
      if (!seenCpu.has(r.pcpu)) seenCpu.add(r.pcpu)
      closeCpu(r.pcpu, t)
      continue
    }
    if (r.kind === 'gp') {
      markers.push({ t, kind: 'gp', vm: r.vm, vcpu: -1, pcpu: -1, ...(r.cs ? { cs: r.cs } : {}), ...(r.detail ? { detail: r.detail } : {}) })
      continue
    }
    if (r.kind === 'state') {
      applyState(r)
      continue
    }
    if (r.vm < 0 || r.vcpu < 0) continue
    const tr = track(r.vm, r.vcpu)
    infer(tr, r)
    switch (r.kind) {
      case 'run': {
        // A vCPU still drawn on another pCPU (missed record) leaves it first.
        if (r.pcpu >= 0) {
          if (!seenCpu.has(r.pcpu)) seenCpu.add(r.pcpu)
          closeCpu(r.pcpu, t)
          onCpu.set(r.pcpu, { vm: r.vm, vcpu: r.vcpu, ...(r.task !== undefined ? { task: r.task } : {}), start: t })
        }
        tr.on = 'running'
        tr.pcpu = r.pcpu
        setTask(tr, r.task)
        redraw(tr, t)
        break
      }
      case 'preempt':
      case 'yield':
      case 'halt': {
        if (r.pcpu >= 0) {
          if (!seenCpu.has(r.pcpu)) {
            // It ran here since the window start.
            seenCpu.add(r.pcpu)
            if (t > from) onCpu.set(r.pcpu, { vm: r.vm, vcpu: r.vcpu, ...(r.task !== undefined ? { task: r.task } : {}), start: from })
          }
          const cur = onCpu.get(r.pcpu)
          if (cur && cur.vm === r.vm && cur.vcpu === r.vcpu) closeCpu(r.pcpu, t)
        }
        setTask(tr, r.task)
        if (r.kind === 'preempt') {
          for (const list of tr.cs.values()) for (const o of list) o.preempted = true
          markers.push({ t, kind: r.cs ? 'preempt-in-cs' : 'preempt', vm: r.vm, vcpu: r.vcpu, pcpu: r.pcpu, ...(r.task !== undefined ? { task: r.task } : {}), ...(r.cs ? { cs: r.cs } : {}), ...(r.detail ? { detail: r.detail } : {}) })
        } else if (r.kind === 'yield') {
          markers.push({ t, kind: 'yield', vm: r.vm, vcpu: r.vcpu, pcpu: r.pcpu, ...(r.task !== undefined ? { task: r.task } : {}) })
        }
        tr.on = r.kind === 'halt' ? 'halted' : 'preempted'
        redraw(tr, t)
        break
      }
      case 'wake':
      case 'kick': {
        if (r.kind === 'kick') markers.push({ t, kind: 'kick', vm: r.vm, vcpu: r.vcpu, pcpu: r.pcpu, ...(r.task !== undefined ? { task: r.task } : {}) })
        if (tr.on === 'halted') {
          tr.on = 'preempted'
          redraw(tr, t)
        }
        break
      }
      case 'lock-wait': {
        setTask(tr, r.task)
        if (r.task !== undefined) tr.waiting.set(r.task, { ...(r.cs ? { cs: r.cs } : {}), ...(r.detail ? { lock: r.detail } : {}) })
        redraw(tr, t)
        break
      }
      case 'cs-enter': {
        setTask(tr, r.task)
        const task = r.task ?? -1
        const w = tr.waiting.get(task)
        tr.waiting.delete(task)
        const list = tr.cs.get(task) ?? []
        const lock = r.detail ?? (w?.lock && (!w.cs || w.cs === r.cs) ? w.lock : undefined)
        list.push({ cs: r.cs ?? 'cs', ...(lock ? { lock } : {}), start: t, clippedStart: false, preempted: false })
        tr.cs.set(task, list)
        redraw(tr, t)
        break
      }
      case 'cs-exit': {
        setTask(tr, r.task)
        const task = r.task ?? -1
        const list = tr.cs.get(task) ?? []
        let i = list.length - 1
        while (i >= 0 && list[i].cs !== r.cs) i--
        if (i < 0) {
          // Entered before the window (and before the lane's first record).
          csSlices.push({ vm: r.vm, vcpu: r.vcpu, task, cs: r.cs ?? 'cs', ...(r.detail ? { lock: r.detail } : {}), start: from, end: t, depth: 0, preempted: false, clippedStart: true, clippedEnd: false })
        } else {
          const o = list[i]
          list.splice(i, 1)
          csSlices.push({ vm: r.vm, vcpu: r.vcpu, task, cs: o.cs, ...(o.lock ? { lock: o.lock } : {}), start: o.start, end: t, depth: i, preempted: o.preempted, clippedStart: o.clippedStart, clippedEnd: false })
        }
        redraw(tr, t)
        break
      }
      case 'ple-exit':
        markers.push({ t, kind: 'ple-exit', vm: r.vm, vcpu: r.vcpu, pcpu: r.pcpu, ...(r.task !== undefined ? { task: r.task } : {}), ...(r.detail ? { detail: r.detail } : {}) })
        break
      case 'irq':
        markers.push({ t, kind: 'irq', vm: r.vm, vcpu: r.vcpu, pcpu: r.pcpu, ...(r.detail ? { detail: r.detail } : {}) })
        break
      default:
        break
    }
  }

  // Close what is still open at the window end, or where the trace buffer filled (no data after it).
  const full = meta.fullAtNs ?? null
  const noData = full !== null && full < meta.toNs ? [{ start: Math.max(full, visibleFrom), end: meta.toNs }] : []
  const to = full !== null && full < meta.toNs ? Math.max(full, visibleFrom) : end
  for (const pcpu of [...onCpu.keys()]) closeCpu(pcpu, to)
  for (const tr of tracks.values()) {
    if (tr.drawn && to > tr.since) {
      vcpuSegments.push({
        vm: tr.vm, vcpu: tr.vcpu, start: tr.since, end: to, state: tr.drawn,
        ...(tr.task !== undefined ? { task: tr.task } : {}),
        ...(tr.drawnCs ? { cs: tr.drawnCs } : {}),
        ...(tr.drawnLock ? { lock: tr.drawnLock } : {}),
        ...(tr.drawn === 'running' || tr.drawn === 'cs' || tr.drawn === 'spinning' ? (tr.pcpu !== undefined ? { pcpu: tr.pcpu } : {}) : {})
      })
    }
    for (const [task, list] of tr.cs) {
      list.forEach((o, depth) => csSlices.push({ vm: tr.vm, vcpu: tr.vcpu, task, cs: o.cs, ...(o.lock ? { lock: o.lock } : {}), start: o.start, end: to, depth, preempted: o.preempted, clippedStart: o.clippedStart, clippedEnd: true }))
    }
  }
  const byStart = <T extends { start: number }>(a: T, b: T) => a.start - b.start
  pcpuSegments.sort((a, b) => a.pcpu - b.pcpu || a.start - b.start)
  vcpuSegments.sort((a, b) => a.vm - b.vm || a.vcpu - b.vcpu || a.start - b.start)
  csSlices.sort(byStart)
  if (from < visibleFrom) {
    const clip = <T extends { start: number; end: number }>(xs: T[]): T[] => xs.filter((x) => x.end > visibleFrom).map((x) => (x.start < visibleFrom ? { ...x, start: visibleFrom } : x))
    return {
      meta: { ...meta, toNs: end },
      noData,
      pcpuSegments: clip(pcpuSegments),
      vcpuSegments: clip(vcpuSegments),
      csSlices: clip(csSlices).map((c) => (c.start === visibleFrom ? { ...c, clippedStart: true } : c)),
      markers: markers.filter((m) => m.t >= visibleFrom)
    }
  }
  return { meta: { ...meta, toNs: end }, noData, pcpuSegments, vcpuSegments, csSlices, markers }
}

/** Stable thread ids shared by both exports: VM i is process (i+1)*10000, its vCPU j thread (i+1)*10000+j+1. */
export function vmPid(vm: number): number {
  return (vm + 1) * 10000
}
export function vcpuTid(vm: number, vcpu: number): number {
  return (vm + 1) * 10000 + vcpu + 1
}

/** A task/comm name without spaces or '=' (ftrace argument syntax), at most 15 characters. */
export function vcpuComm(vmName: string, vcpu: number): string {
  const suffix = `:v${vcpu}`
  const base = vmName.replace(/[^A-Za-z0-9_.]/g, '_') || 'vm'
  return base.slice(0, Math.max(1, 15 - suffix.length)) + suffix
}
