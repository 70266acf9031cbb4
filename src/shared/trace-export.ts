/**
 * Export a trace window so it opens in Perfetto (ui.perfetto.dev) and chrome://tracing:
 *
 * - `toFtraceText`: ftrace text (`# tracer: nop`) with one `sched_switch` per context switch on each
 *   pCPU, the format Perfetto's systrace importer tokenizes (systrace_line_tokenizer.cc: `TASK-PID
 *   (TGID) [CPU] FLAGS TIMESTAMP: EVENT: args`, args split on spaces and '='). vCPU threads are named
 *   `<vm>:v<j>` and grouped into one process per VM through the TGID column; an idle pCPU runs
 *   `swapper/<cpu>` (pid 0). prev_state is R after a preemption or yield, S after a halt. The window's
 *   snapshot (`state` records) and records before `meta.fromNs` (a look-back) only set what each CPU
 *   runs at the window start, written as one idle -> thread switch per busy CPU at that instant. KVM
 *   events on the vCPU's thread: `kvm_exit` with reason PAUSE_INSTRUCTION for a pause-loop exit and
 *   HLT for a halt (arch/x86/kvm/trace.h TRACE_EVENT(kvm_exit), 4.13 format `reason %s rip 0x%lx info
 *   %llx %llx`), and a directed yield (kvm_vcpu_on_spin -> yield_to) as `sched_yield_to` followed by its
 *   sched_switch with prev_state R (Linux has no yield tracepoint; the name is ours).
 * - `toTraceEventJson`: Trace Event Format JSON (pid = VM, tid = vCPU, same ids as the ftrace file):
 *   complete 'X' events for critical-section slices named by kind and lock, with args {task, cs,
 *   lock}; per vCPU a second thread "<vm> vCPU j state" with its run / runnable / halted (and in CS /
 *   spinning) state slices; a "host pCPUs" process with one thread per pCPU holding the vCPU that ran
 *   there; instant 'i' events for preemptions (inside a critical section or not), PLE exits and
 *   yields, and 'M' metadata naming processes and threads. Timestamps are µs (TEF's unit), ns precision.
 */
import type { TraceRecord } from './result'
import { buildTimelineModel, vcpuComm, vcpuTid, vmPid, type TimelineModel, type TraceMeta } from './trace-model'

export interface FtraceOptions {
  /** Digits after the seconds' point: 6 (µs, ftrace's default clock print) or 9 (ns). Default 6. */
  decimals?: 6 | 9
}

/** `12345678901` ns -> `12.345678` (truncated, so order is kept). */
export function formatFtraceTs(ns: number, decimals: 6 | 9 = 6): string {
  const t = Math.max(0, Math.round(ns))
  const sec = Math.floor(t / 1e9)
  const frac = String(t - sec * 1e9).padStart(9, '0').slice(0, decimals)
  return `${sec}.${frac}`
}

interface Thread {
  comm: string
  pid: number
  tgid: number | null
}

const idleThread = (cpu: number): Thread => ({ comm: `swapper/${cpu}`, pid: 0, tgid: null })

function lineHead(th: Thread, cpu: number, ts: string): string {
  // `<idle>` is how ftrace prints pid 0 in the TASK column.
  const task = th.pid === 0 ? '<idle>' : th.comm
  const tgid = th.tgid === null ? '-----' : String(th.tgid).padStart(5)
  return `${`${task}-${th.pid}`.padStart(22)} (${tgid}) [${String(cpu).padStart(3, '0')}] d..3 ${ts.padStart(13)}`
}

export const FTRACE_HEADER = [
  '# tracer: nop',
  '#',
  '#                                      _-----=> irqs-off',
  '#                                     / _----=> need-resched',
  '#                                    | / _---=> hardirq/softirq',
  '#                                    || / _--=> preempt-depth',
  '#                                    ||| /     delay',
  '#           TASK-PID          TGID   CPU#  ||||   TIMESTAMP  FUNCTION',
  '#              | |              |      |   ||||      |         |'
]

/**
 * ftrace text of the pCPU tracks. Walks the records in time order per pCPU: a vCPU leaving
 * (preempt/yield/halt) followed by `run` of another or `idle` is one switch.
 */
export function toFtraceText(records: readonly TraceRecord[], meta: TraceMeta, opts: FtraceOptions = {}): string {
  const decimals = opts.decimals ?? 6
  const thread = (vm: number, vcpu: number): Thread => ({ comm: vcpuComm(meta.vms[vm]?.name ?? `vm${vm}`, vcpu), pid: vcpuTid(vm, vcpu), tgid: vmPid(vm) })
  const lines: string[] = []
  const recs = records.map((r, i) => ({ r, i })).sort((a, b) => a.r.t - b.r.t || a.i - b.i).map((x) => x.r)
  const cur = new Map<number, Thread>()
  /** A vCPU that left the pCPU, waiting for the switch record. */
  const leaving = new Map<number, { th: Thread; state: 'R' | 'S'; t: number }>()
  const visibleFrom = meta.fromNs
  let started = false
  /** At the window start, one switch from idle to each CPU's known thread, so Perfetto draws it from there. */
  const start = () => {
    started = true
    for (const [cpu, th] of [...cur.entries()].sort((a, b) => a[0] - b[0])) {
      if (th.pid === 0) continue
      lines.push(`${lineHead(idleThread(cpu), cpu, formatFtraceTs(visibleFrom, decimals))}: sched_switch: prev_comm=swapper/${cpu} prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=${th.comm} next_pid=${th.pid} next_prio=120`)
    }
  }
  const emit = (cpu: number, t: number, prev: Thread, state: string, next: Thread) => {
    if (t < visibleFrom) {
      cur.set(cpu, next)
      return
    }
    if (!started) start()
    lines.push(
      `${lineHead(prev, cpu, formatFtraceTs(t, decimals))}: sched_switch: prev_comm=${prev.comm} prev_pid=${prev.pid} prev_prio=120 prev_state=${state} ==> next_comm=${next.comm} next_pid=${next.pid} next_prio=120`
    )
    cur.set(cpu, next)
  }
  const flushLeaving = (cpu: number) => {
    const l = leaving.get(cpu)
    if (!l) return
    leaving.delete(cpu)
    emit(cpu, l.t, l.th, l.state, idleThread(cpu))
  }
  const kvmLine = (r: TraceRecord, event: string) => {
    if (r.t < visibleFrom) return
    if (!started) start()
    lines.push(`${lineHead(thread(r.vm, r.vcpu), r.pcpu, formatFtraceTs(r.t, decimals))}: ${event}`)
  }
  for (const r of recs) {
    if (r.kind === 'state') {
      // The window's snapshot: what each pCPU runs at its start.
      if (r.detail === 'running' && r.pcpu >= 0) cur.set(r.pcpu, thread(r.vm, r.vcpu))
      continue
    }
    if (r.pcpu < 0) continue
    const cpu = r.pcpu
    if (r.kind === 'ple-exit') {
      kvmLine(r, 'kvm_exit: reason PAUSE_INSTRUCTION rip 0x0 info 0 0')
      continue
    }
    const pending = leaving.get(cpu)
    if (pending && pending.t !== r.t) flushLeaving(cpu)
    if (r.kind === 'preempt' || r.kind === 'yield' || r.kind === 'halt') {
      if (r.kind === 'halt') kvmLine(r, 'kvm_exit: reason HLT rip 0x0 info 0 0')
      else if (r.kind === 'yield') kvmLine(r, `sched_yield_to: comm=${thread(r.vm, r.vcpu).comm} pid=${vcpuTid(r.vm, r.vcpu)} reason=ple`)
      const th = thread(r.vm, r.vcpu)
      leaving.set(cpu, { th, state: r.kind === 'halt' ? 'S' : 'R', t: r.t })
    } else if (r.kind === 'run' || r.kind === 'idle') {
      const next = r.kind === 'run' ? thread(r.vm, r.vcpu) : idleThread(cpu)
      const l = leaving.get(cpu)
      leaving.delete(cpu)
      const prev = l?.th ?? cur.get(cpu) ?? idleThread(cpu)
      if (prev.pid === next.pid) {
        cur.set(cpu, next)
        continue
      }
      emit(cpu, r.t, prev, l?.state ?? (prev.pid === 0 ? 'R' : 'R+'), next)
    }
  }
  for (const cpu of [...leaving.keys()]) flushLeaving(cpu)
  if (!started && recs.length && (recs[0].t < visibleFrom || recs[0].kind === 'state')) start()
  const header = [...FTRACE_HEADER]
  header.splice(2, 0, `# entries-in-buffer/entries-written: ${lines.length}/${lines.length}   #P:${meta.pcpus}`, '#')
  return header.join('\n') + '\n' + lines.map((l) => l + '\n').join('')
}

// ---------------------------------------------------------------------------------------------------
// Trace Event Format

export interface TraceEvent {
  name: string
  ph: 'X' | 'i' | 'M' | 'b' | 'e'
  ts: number
  pid: number
  tid: number
  cat?: string
  dur?: number
  s?: 't' | 'p' | 'g'
  id?: string
  args?: Record<string, unknown>
}

export interface TraceEventFile {
  traceEvents: TraceEvent[]
  displayTimeUnit: 'ns' | 'ms'
  otherData: Record<string, string | number>
}

/** ns -> µs with ns precision (3 decimals, exact in binary float for the magnitudes used). */
const us = (ns: number) => Math.round(ns) / 1000

const MARKER_NAME: Record<string, string> = {
  'preempt-in-cs': 'preempted in critical section',
  preempt: 'preempted',
  'ple-exit': 'PLE exit',
  yield: 'yield',
  kick: 'kick',
  irq: 'irq',
  gp: 'RCU grace period'
}

/** The host process in the TEF file (VM processes are (i+1)*10000). */
export const HOST_PID = 1
export const pcpuTid = (p: number) => 100 + p
/** A vCPU's state track: its thread id + 5000 (vCPU ids stay below 5000 per VM). */
export const vcpuStateTid = (vm: number, vcpu: number) => vcpuTid(vm, vcpu) + 5000

const STATE_NAME: Record<string, string> = { running: 'running', cs: 'running (in CS)', spinning: 'running (spinning)', preempted: 'runnable (preempted)', halted: 'halted' }

export function toTraceEventJson(model: TimelineModel, extra: Record<string, string | number> = {}): TraceEventFile {
  const { meta } = model
  const ev: TraceEvent[] = []
  meta.vms.forEach((vm, i) => {
    ev.push({ name: 'process_name', ph: 'M', ts: 0, pid: vmPid(i), tid: 0, args: { name: `VM ${vm.name}` } })
    ev.push({ name: 'process_sort_index', ph: 'M', ts: 0, pid: vmPid(i), tid: 0, args: { sort_index: i } })
    for (let j = 0; j < vm.vcpus; j++) {
      ev.push({ name: 'thread_name', ph: 'M', ts: 0, pid: vmPid(i), tid: vcpuTid(i, j), args: { name: `${vm.name} vCPU ${j}` } })
      ev.push({ name: 'thread_sort_index', ph: 'M', ts: 0, pid: vmPid(i), tid: vcpuTid(i, j), args: { sort_index: j } })
    }
  })
  // Host pCPUs: one thread per pCPU with the vCPU that ran there.
  ev.push({ name: 'process_name', ph: 'M', ts: 0, pid: HOST_PID, tid: 0, args: { name: 'host pCPUs' } })
  ev.push({ name: 'process_sort_index', ph: 'M', ts: 0, pid: HOST_PID, tid: 0, args: { sort_index: -1 } })
  for (let p = 0; p < meta.pcpus; p++) {
    ev.push({ name: 'thread_name', ph: 'M', ts: 0, pid: HOST_PID, tid: pcpuTid(p), args: { name: `pCPU ${p}` } })
    ev.push({ name: 'thread_sort_index', ph: 'M', ts: 0, pid: HOST_PID, tid: pcpuTid(p), args: { sort_index: p } })
  }
  for (const s of model.pcpuSegments) {
    const vmName = meta.vms[s.vm]?.name ?? `vm${s.vm}`
    ev.push({ name: `${vmName} vCPU ${s.vcpu}`, cat: 'pcpu', ph: 'X', ts: us(s.start), dur: us(s.end) - us(s.start), pid: HOST_PID, tid: pcpuTid(s.pcpu), args: { vm: vmName, vcpu: s.vcpu, task: s.task ?? null } })
  }
  // Per vCPU, its state over time on a thread of its own (CS slices cross state changes, so they cannot nest there).
  meta.vms.forEach((vm, i) => {
    for (let j = 0; j < vm.vcpus; j++) {
      ev.push({ name: 'thread_name', ph: 'M', ts: 0, pid: vmPid(i), tid: vcpuStateTid(i, j), args: { name: `${vm.name} vCPU ${j} state` } })
      ev.push({ name: 'thread_sort_index', ph: 'M', ts: 0, pid: vmPid(i), tid: vcpuStateTid(i, j), args: { sort_index: vm.vcpus + j } })
    }
  })
  for (const s of model.vcpuSegments) {
    ev.push({ name: STATE_NAME[s.state], cat: 'vcpu-state', ph: 'X', ts: us(s.start), dur: us(s.end) - us(s.start), pid: vmPid(s.vm), tid: vcpuStateTid(s.vm, s.vcpu), args: { state: s.state, pcpu: s.pcpu ?? null, task: s.task ?? null, cs: s.cs ?? null, lock: s.lock ?? null } })
  }
  for (const nd of model.noData) {
    ev.push({ name: 'no data (trace buffer full)', cat: 'trace', ph: 'i', s: 'g', ts: us(nd.start), pid: HOST_PID, tid: 0, args: { untilNs: nd.end } })
  }
  // Complete events on one thread must nest; slices of different guest tasks on one vCPU may overlap
  // without nesting (a task holding a mutex sleeps while another runs): those become async b/e pairs.
  const open = new Map<number, { end: number }[]>()
  let asyncId = 0
  const slices = [...model.csSlices].sort((a, b) => a.start - b.start || b.end - a.end)
  for (const s of slices) {
    const tid = vcpuTid(s.vm, s.vcpu)
    const stack = (open.get(tid) ?? []).filter((o) => o.end > s.start)
    const nests = stack.length === 0 || stack[stack.length - 1].end >= s.end
    const name = s.lock ? `${s.cs} ${s.lock}` : s.cs
    const args = { task: s.task, cs: s.cs, lock: s.lock ?? null, preempted: s.preempted, clipped: s.clippedStart || s.clippedEnd }
    if (nests) {
      stack.push({ end: s.end })
      ev.push({ name, cat: 'cs', ph: 'X', ts: us(s.start), dur: us(s.end) - us(s.start), pid: vmPid(s.vm), tid, args })
    } else {
      const id = `cs${++asyncId}`
      ev.push({ name, cat: 'cs', ph: 'b', id, ts: us(s.start), pid: vmPid(s.vm), tid, args })
      ev.push({ name, cat: 'cs', ph: 'e', id, ts: us(s.end), pid: vmPid(s.vm), tid })
    }
    open.set(tid, stack)
  }
  for (const m of model.markers) {
    if (m.kind === 'irq' || m.kind === 'kick') continue
    if (m.kind === 'gp') {
      ev.push({ name: MARKER_NAME.gp, cat: 'rcu', ph: 'i', s: 'p', ts: us(m.t), pid: vmPid(m.vm), tid: 0, args: { durationNs: m.detail ?? null } })
      continue
    }
    const name = m.kind === 'preempt-in-cs' ? `${MARKER_NAME[m.kind]} (${m.cs})` : MARKER_NAME[m.kind]
    ev.push({ name, cat: m.kind === 'ple-exit' ? 'ple' : 'sched', ph: 'i', s: 't', ts: us(m.t), pid: vmPid(m.vm), tid: vcpuTid(m.vm, m.vcpu), args: { pcpu: m.pcpu, task: m.task ?? null, cs: m.cs ?? null, detail: m.detail ?? null } })
  }
  return {
    traceEvents: ev,
    displayTimeUnit: 'ns',
    otherData: { generator: 'eCS Lab', fromNs: meta.fromNs, toNs: meta.toNs, pcpus: meta.pcpus, dropped: meta.dropped ?? 0, ...extra }
  }
}

/** Convenience: records + meta -> both export texts. */
export function exportTraceWindow(records: readonly TraceRecord[], meta: TraceMeta, extra: Record<string, string | number> = {}): { ftrace: string; json: string } {
  const model = buildTimelineModel(records, meta)
  return { ftrace: toFtraceText(records, meta), json: JSON.stringify(toTraceEventJson(model, extra)) }
}
