/**
 * The Perfetto exports. The ftrace text is read back with a parser that follows Perfetto's systrace
 * importer (systrace_line_tokenizer.cc's line regex; systrace_line_parser.cc splits args on ' ' then
 * '='), and the switches it yields must rebuild exactly the timeline model's pCPU segments. The TEF
 * JSON must parse, name every process/thread, and nest its complete events per thread.
 */
import { describe, expect, it } from 'vitest'
import type { TraceRecord } from './result'
import { buildTimelineModel, vcpuTid, vmPid, type TraceMeta } from './trace-model'
import { formatFtraceTs, toFtraceText, toTraceEventJson, exportTraceWindow, type TraceEventFile } from './trace-export'
import { resolveScenario, runScenario } from '../sim'

/** Perfetto's SystraceLineTokenizer regex, verbatim. */
const LINE = /-(\d+)\s+\(?\s*(\d+|-+)?\)?\s?\[(\d+)\]\s*[a-zA-Z0-9.]{0,4}\s+(\d+\.\d+):\s+(\S+):/

interface ParsedLine { task: string; pid: number; tgid: string | undefined; cpu: number; tsNs: number; event: string; args: Record<string, string> }

function parseFtrace(text: string): { lines: ParsedLine[]; failures: string[] } {
  const lines: ParsedLine[] = []
  const failures: string[] = []
  expect(text.startsWith('# tracer')).toBe(true) // Perfetto's trace-type guess for systrace text
  for (const raw of text.split('\n')) {
    if (raw.startsWith('#') || raw === '') continue
    const m = LINE.exec(raw)
    if (!m) {
      failures.push(raw)
      continue
    }
    const argsStr = raw.slice(m.index + m[0].length).trim()
    const args: Record<string, string> = {}
    for (const tok of argsStr.split(' ')) {
      if (!tok.includes('=')) args.name = tok
      else {
        const [k, v] = tok.split('=')
        args[k] = v
      }
    }
    lines.push({ task: raw.slice(0, m.index).trim(), pid: Number(m[1]), tgid: m[2], cpu: Number(m[3]), tsNs: Math.round(Number(m[4]) * 1e9), event: m[5], args })
  }
  return { lines, failures }
}

const meta: TraceMeta = { pcpus: 2, vms: [{ name: 'web', vcpus: 2 }, { name: 'db server', vcpus: 1 }], fromNs: 1_000_000, toNs: 1_100_000 }
const r = (t: number, kind: TraceRecord['kind'], pcpu: number, vm: number, vcpu: number, extra: Partial<TraceRecord> = {}): TraceRecord => ({ t, kind, pcpu, vm, vcpu, ...extra })

// pCPU 0: web v0 runs from window start, enters a spinlock, is preempted inside it (tick), db v0 runs,
// halts, pCPU idles, web v0 runs again and leaves the spinlock. pCPU 1: web v1 runs, waits for a lock
// (spins), PLE exit, yields, runs again and gets the lock.
const records: TraceRecord[] = [
  r(1_010_000, 'cs-enter', 0, 0, 0, { task: 7, cs: 'spinlock' }),
  r(1_012_000, 'run', 1, 0, 1, { task: 8 }),
  r(1_020_000, 'preempt', 0, 0, 0, { task: 7, cs: 'spinlock', detail: 'tick' }),
  r(1_020_000, 'run', 0, 1, 0, { task: 20 }),
  r(1_025_000, 'lock-wait', 1, 0, 1, { task: 8, cs: 'spinlock', detail: 'vm0/hot#1' }),
  r(1_030_000, 'ple-exit', 1, 0, 1, { task: 8, detail: '4096' }),
  r(1_030_500, 'yield', 1, 0, 1, { task: 8 }),
  r(1_030_500, 'idle', 1, -1, -1),
  r(1_040_000, 'halt', 0, 1, 0, { task: 20, detail: 'idle' }),
  r(1_040_000, 'run', 0, 0, 0, { task: 7 }),
  r(1_045_000, 'run', 1, 0, 1, { task: 8 }),
  r(1_050_000, 'cs-exit', 0, 0, 0, { task: 7, cs: 'spinlock' }),
  r(1_050_000, 'cs-enter', 1, 0, 1, { task: 8, cs: 'spinlock' }),
  r(1_060_000, 'cs-exit', 1, 0, 1, { task: 8, cs: 'spinlock' }),
  r(1_070_000, 'wake', 0, 1, 0),
  r(1_080_000, 'preempt', 0, 0, 0, { task: 7, detail: 'wakeup' }),
  r(1_080_000, 'run', 0, 1, 0, { task: 20 })
]

describe('timeline model', () => {
  const model = buildTimelineModel(records, meta)

  it('builds pCPU lanes, inferring that web v0 ran since the window start', () => {
    expect(model.pcpuSegments).toEqual([
      { pcpu: 0, start: 1_000_000, end: 1_020_000, vm: 0, vcpu: 0, task: 7 },
      { pcpu: 0, start: 1_020_000, end: 1_040_000, vm: 1, vcpu: 0, task: 20 },
      { pcpu: 0, start: 1_040_000, end: 1_080_000, vm: 0, vcpu: 0, task: 7 },
      { pcpu: 0, start: 1_080_000, end: 1_100_000, vm: 1, vcpu: 0, task: 20 },
      { pcpu: 1, start: 1_012_000, end: 1_030_500, vm: 0, vcpu: 1, task: 8 },
      { pcpu: 1, start: 1_045_000, end: 1_100_000, vm: 0, vcpu: 1, task: 8 }
    ])
  })

  it('gives each vCPU the Trace Compass states', () => {
    const lane = (vm: number, vcpu: number) => model.vcpuSegments.filter((s) => s.vm === vm && s.vcpu === vcpu).map((s) => [s.state, s.start, s.end])
    expect(lane(0, 0)).toEqual([
      ['running', 1_000_000, 1_010_000],
      ['cs', 1_010_000, 1_020_000],
      ['preempted', 1_020_000, 1_040_000],
      ['cs', 1_040_000, 1_050_000],
      ['running', 1_050_000, 1_080_000],
      ['preempted', 1_080_000, 1_100_000]
    ])
    expect(lane(0, 1)).toEqual([
      ['running', 1_012_000, 1_025_000],
      ['spinning', 1_025_000, 1_030_500],
      ['preempted', 1_030_500, 1_045_000],
      ['spinning', 1_045_000, 1_050_000],
      ['cs', 1_050_000, 1_060_000],
      ['running', 1_060_000, 1_100_000]
    ])
    expect(lane(1, 0)).toEqual([
      ['running', 1_020_000, 1_040_000],
      ['halted', 1_040_000, 1_070_000],
      ['preempted', 1_070_000, 1_080_000],
      ['running', 1_080_000, 1_100_000]
    ])
    const spin = model.vcpuSegments.find((s) => s.state === 'spinning')!
    expect(spin.lock).toBe('vm0/hot#1')
  })

  it('finds critical-section slices (lock names from the wait) and markers', () => {
    expect(model.csSlices.map((s) => [s.vm, s.vcpu, s.task, s.cs, s.start, s.end, s.preempted, s.lock ?? null])).toEqual([
      [0, 0, 7, 'spinlock', 1_010_000, 1_050_000, true, null],
      [0, 1, 8, 'spinlock', 1_050_000, 1_060_000, false, 'vm0/hot#1']
    ])
    expect(model.markers.map((m) => [m.kind, m.t])).toEqual([
      ['preempt-in-cs', 1_020_000],
      ['ple-exit', 1_030_000],
      ['yield', 1_030_500],
      ['preempt', 1_080_000]
    ])
  })
})

describe('look-back records (before the window start)', () => {
  const lb: TraceRecord[] = [
    r(990_000, 'run', 1, 1, 0, { task: 20 }),
    r(992_000, 'cs-enter', 1, 1, 0, { task: 20, cs: 'mutex' }),
    r(995_000, 'wake', 0, 0, 1),
    r(996_000, 'preempt', 0, 0, 0, { task: 7 }),
    r(1_050_000, 'cs-exit', 1, 1, 0, { task: 20, cs: 'mutex' })
  ]
  const model = buildTimelineModel(lb, meta)

  it('set each lane\'s state at the window start and are clipped from the views', () => {
    expect(model.meta.fromNs).toBe(1_000_000)
    expect(model.pcpuSegments).toEqual([{ pcpu: 1, start: 1_000_000, end: 1_100_000, vm: 1, vcpu: 0, task: 20 }])
    const lane = (vm: number, vcpu: number) => model.vcpuSegments.filter((x) => x.vm === vm && x.vcpu === vcpu).map((x) => [x.state, x.start, x.end])
    expect(lane(1, 0)).toEqual([['cs', 1_000_000, 1_050_000], ['running', 1_050_000, 1_100_000]])
    expect(lane(0, 1)).toEqual([['preempted', 1_000_000, 1_100_000]])
    expect(lane(0, 0)).toEqual([['preempted', 1_000_000, 1_100_000]])
    expect(model.csSlices.map((c) => [c.start, c.end, c.clippedStart])).toEqual([[1_000_000, 1_050_000, true]])
    expect(model.markers).toEqual([])
  })

  it('ftrace starts each busy CPU at the window start', () => {
    const { lines, failures } = parseFtrace(toFtraceText(lb, meta))
    expect(failures).toEqual([])
    expect(lines.map((l) => [l.cpu, l.tsNs, l.args.prev_pid, l.args.next_pid])).toEqual([[1, 1_000_000, '0', '20001']])
  })
})

describe('ftrace text', () => {
  it('formats timestamps like ftrace (seconds, truncated)', () => {
    expect(formatFtraceTs(12_345_678_901)).toBe('12.345678')
    expect(formatFtraceTs(12_345_678_901, 9)).toBe('12.345678901')
    expect(formatFtraceTs(5)).toBe('0.000005'.slice(0, 2) + '000000')
  })

  it('has the nop tracer header and lines Perfetto tokenizes', () => {
    const text = toFtraceText(records, meta)
    expect(text.split('\n')[0]).toBe('# tracer: nop')
    expect(text).toContain('#P:2')
    const { lines, failures } = parseFtrace(text)
    expect(failures).toEqual([])
    // sched_switch per context switch; kvm_exit (PAUSE_INSTRUCTION / HLT) and the directed yield on the vCPU's thread
    expect(lines.filter((l) => l.event !== 'sched_switch').map((l) => [l.event, l.cpu, l.pid, l.tsNs])).toEqual([
      ['kvm_exit', 1, 10002, 1_030_000],
      ['sched_yield_to', 1, 10002, 1_030_000], // µs print truncates 1_030_500
      ['kvm_exit', 0, 20001, 1_040_000]
    ])
    expect(text).toMatch(/web:v1-10002 \(10000\) \[001\] d\.\.3\s+0\.001030: kvm_exit: reason PAUSE_INSTRUCTION/)
    expect(text).toMatch(/db_server:v0-20001 \(20000\) \[000\] d\.\.3\s+0\.001040: kvm_exit: reason HLT/)
    const first = text.split('\n').find((l) => !l.startsWith('#'))!
    expect(first).toMatch(/^\s+<idle>-0 \(-----\) \[001\] d\.\.3\s+0\.001012: sched_switch: prev_comm=swapper\/1 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=web:v1 next_pid=10002 next_prio=120$/)
    // A VM name with a space is sanitised (ftrace args cannot hold spaces).
    expect(text).toContain('next_comm=db_server:v0 next_pid=20001')
    expect(text).toContain('prev_comm=db_server:v0 prev_pid=20001 prev_prio=120 prev_state=S')
  })

  it('round-trips: replaying the parsed switches rebuilds the pCPU segments', () => {
    const model = buildTimelineModel(records, meta)
    expect(replay(parseFtrace(toFtraceText(records, meta, { decimals: 9 })).lines.filter((l) => l.event === 'sched_switch'), meta.toNs)).toEqual(
      model.pcpuSegments.filter((s) => s.start > meta.fromNs || s.pcpu === 1).map((s) => ({ pcpu: s.pcpu, start: s.start, end: s.end, pid: vcpuTid(s.vm, s.vcpu) }))
    )
  })
})

/** Per-CPU replay of sched_switch lines into running intervals of non-idle threads. */
function replay(lines: ParsedLine[], end: number) {
  const out: { pcpu: number; start: number; end: number; pid: number }[] = []
  const cur = new Map<number, { pid: number; start: number }>()
  for (const l of lines) {
    expect(l.pid).toBe(Number(l.args.prev_pid)) // the line's task is the switched-out one
    const c = cur.get(l.cpu)
    if (c) {
      expect(c.pid).toBe(Number(l.args.prev_pid)) // continuity on the CPU
      if (c.pid !== 0) out.push({ pcpu: l.cpu, start: c.start, end: l.tsNs, pid: c.pid })
    }
    cur.set(l.cpu, { pid: Number(l.args.next_pid), start: l.tsNs })
  }
  for (const [cpu, c] of cur) if (c.pid !== 0) out.push({ pcpu: cpu, start: c.start, end, pid: c.pid })
  return out.sort((a, b) => a.pcpu - b.pcpu || a.start - b.start)
}

describe('Trace Event Format JSON', () => {
  it('names processes (VMs) and threads (vCPUs), and has X slices and instant markers', () => {
    const file = JSON.parse(JSON.stringify(toTraceEventJson(buildTimelineModel(records, meta)))) as TraceEventFile
    const ev = file.traceEvents
    expect(ev.filter((e) => e.name === 'process_name').map((e) => [e.pid, (e.args as { name: string }).name])).toEqual([[10000, 'VM web'], [20000, 'VM db server'], [1, 'host pCPUs']])
    expect(ev.filter((e) => e.name === 'thread_name').map((e) => [e.tid, (e.args as { name: string }).name])).toEqual([
      [10001, 'web vCPU 0'], [10002, 'web vCPU 1'], [20001, 'db server vCPU 0'],
      [100, 'pCPU 0'], [101, 'pCPU 1'],
      [15001, 'web vCPU 0 state'], [15002, 'web vCPU 1 state'], [25001, 'db server vCPU 0 state']
    ])
    // CPU tracks: which vCPU ran on each pCPU (the model's pCPU segments)
    const model = buildTimelineModel(records, meta)
    expect(ev.filter((e) => e.cat === 'pcpu').map((e) => [e.tid, e.name, e.ts, e.dur])).toEqual(model.pcpuSegments.map((s) => [100 + s.pcpu, `${meta.vms[s.vm].name} vCPU ${s.vcpu}`, s.start / 1000, (s.end - s.start) / 1000]))
    // vCPU state tracks: run / runnable / halted (and in CS / spinning)
    expect(ev.filter((e) => e.cat === 'vcpu-state' && e.tid === 25001).map((e) => [e.name, e.ts])).toEqual([['running', 1020], ['halted', 1040], ['runnable (preempted)', 1070], ['running', 1080]])
    const xs = ev.filter((e) => e.ph === 'X' && e.cat === 'cs')
    expect(xs).toEqual([
      { name: 'spinlock', cat: 'cs', ph: 'X', ts: 1010, dur: 40, pid: vmPid(0), tid: vcpuTid(0, 0), args: { task: 7, cs: 'spinlock', lock: null, preempted: true, clipped: false } },
      { name: 'spinlock vm0/hot#1', cat: 'cs', ph: 'X', ts: 1050, dur: 10, pid: vmPid(0), tid: vcpuTid(0, 1), args: { task: 8, cs: 'spinlock', lock: 'vm0/hot#1', preempted: false, clipped: false } }
    ])
    const instants = ev.filter((e) => e.ph === 'i')
    expect(instants.map((e) => e.name)).toEqual(['preempted in critical section (spinlock)', 'PLE exit', 'yield', 'preempted'])
    expect(instants.every((e) => e.s === 't')).toBe(true)
    expect(file.displayTimeUnit).toBe('ns')
  })
})

describe('a real engine trace', () => {
  it('exports a window of an over-committed run consistently', () => {
    const s = resolveScenario({ preset: 'overcommit-2x', policy: { id: 'kvm' }, seed: 1, durationNs: 52_000_000 })
    const res = runScenario(s, { trace: { fromNs: 50_000_000, toNs: 51_000_000, maxRecords: 200_000 } })
    const tr = res.trace!
    expect(tr.records.length).toBeGreaterThan(100)
    const m: TraceMeta = { pcpus: s.host.pcpus, vms: s.vms.map((v) => ({ name: v.name, vcpus: v.vcpus })), fromNs: tr.fromNs, toNs: tr.toNs, dropped: tr.dropped }
    const model = buildTimelineModel(tr.records, m)
    // No pCPU runs two vCPUs at once, no vCPU runs on two pCPUs at once.
    const byCpu = new Map<number, { start: number; end: number }[]>()
    for (const seg of model.pcpuSegments) {
      expect(seg.end).toBeGreaterThan(seg.start)
      const l = byCpu.get(seg.pcpu) ?? []
      if (l.length) expect(seg.start).toBeGreaterThanOrEqual(l[l.length - 1].end)
      l.push(seg)
      byCpu.set(seg.pcpu, l)
    }
    const lanes = new Map<string, number>()
    for (const seg of model.vcpuSegments) {
      const k = `${seg.vm}:${seg.vcpu}`
      expect(seg.start).toBeGreaterThanOrEqual(lanes.get(k) ?? 0)
      lanes.set(k, seg.end)
    }
    const { ftrace, json } = exportTraceWindow(tr.records, m, { policy: 'kvm' })
    const { lines, failures } = parseFtrace(ftrace)
    expect(failures).toEqual([])
    expect(lines.length).toBeGreaterThan(10)
    replay(lines.filter((l) => l.event === 'sched_switch'), m.toNs) // asserts per-CPU continuity
    const file = JSON.parse(json) as TraceEventFile
    expect(file.traceEvents.filter((e) => e.ph === 'X').length).toBeGreaterThan(10)
    // Complete events nest per thread.
    const perTid = new Map<number, { ts: number; end: number }[]>()
    for (const e of file.traceEvents.filter((x) => x.ph === 'X').sort((a, b) => a.ts - b.ts || b.dur! - a.dur!)) {
      const stack = (perTid.get(e.tid) ?? []).filter((o) => o.end > e.ts)
      if (stack.length) expect(e.ts + e.dur!).toBeLessThanOrEqual(stack[stack.length - 1].end + 1e-9)
      stack.push({ ts: e.ts, end: e.ts + e.dur! })
      perTid.set(e.tid, stack)
    }
  })

  it('window mode: a snapshot gives every lane its state from the window start, so nothing is blank', () => {
    const s = resolveScenario({ preset: 'overcommit-2x', policy: { id: 'kvm' }, seed: 1, durationNs: 52_000_000 })
    // a window short enough that some vCPUs neither switch nor change state inside it (engine 0.7.0's
    // test-and-set/staggered-start model switches more often, so 1 ms no longer leaves any such lane)
    const from = 50_000_000
    const to = 50_100_000
    const plain = runScenario(s, { trace: { fromNs: from, toNs: to, maxRecords: 200_000 } }).trace!
    const snap = runScenario(s, { trace: { fromNs: from, toNs: to, maxRecords: 200_000, snapshot: true } }).trace!
    const m: TraceMeta = { pcpus: s.host.pcpus, vms: s.vms.map((v) => ({ name: v.name, vcpus: v.vcpus })), fromNs: from, toNs: to }
    const vcpus = s.vms.reduce((n, v) => n + v.vcpus, 0)
    const covered = (model: ReturnType<typeof buildTimelineModel>) => {
      // vCPU lanes with a known state over the whole window, without a gap
      const lanes = new Map<string, { start: number; end: number }[]>()
      for (const seg of model.vcpuSegments) lanes.set(`${seg.vm}:${seg.vcpu}`, [...(lanes.get(`${seg.vm}:${seg.vcpu}`) ?? []), seg])
      let full = 0
      for (const l of lanes.values()) if (l[0].start === from && l[l.length - 1].end === to && l.every((x, i) => i === 0 || x.start === l[i - 1].end)) full++
      return full
    }
    const withSnap = buildTimelineModel(snap.records, m)
    expect(covered(withSnap)).toBe(vcpus)
    // Without it, lanes with no switch in the window stay blank (what the timeline drew before).
    expect(covered(buildTimelineModel(plain.records, m))).toBeLessThan(vcpus)
    // pCPU lanes: the vCPUs running at the window start are drawn from it.
    const running = snap.records.filter((x) => x.kind === 'state' && x.detail === 'running')
    expect(running.length).toBeGreaterThan(0)
    for (const r of running) expect(withSnap.pcpuSegments.some((p) => p.pcpu === r.pcpu && p.start === from && p.vm === r.vm && p.vcpu === r.vcpu)).toBe(true)
  })

  it('window mode: a full buffer leaves no data at the end of every lane (not stale solid slices)', () => {
    const s = resolveScenario({ preset: 'overcommit-2x', policy: { id: 'kvm' }, seed: 1, durationNs: 52_000_000 })
    const tr = runScenario(s, { trace: { fromNs: 50_000_000, toNs: 51_000_000, maxRecords: 2000, snapshot: true } }).trace!
    expect(tr.dropped).toBeGreaterThan(0)
    expect(tr.fullAtNs).toBeGreaterThan(50_000_000)
    const m: TraceMeta = { pcpus: s.host.pcpus, vms: s.vms.map((v) => ({ name: v.name, vcpus: v.vcpus })), fromNs: tr.fromNs, toNs: tr.toNs, fullAtNs: tr.fullAtNs }
    const model = buildTimelineModel(tr.records, m)
    expect(model.noData).toEqual([{ start: tr.fullAtNs, end: 51_000_000 }])
    expect(Math.max(...model.pcpuSegments.map((x) => x.end), ...model.vcpuSegments.map((x) => x.end))).toBe(tr.fullAtNs)
  })
})
