/**
 * Bounded trace sink for [fromNs, toNs). The engine calls `on(t)` before building a record, so tracing
 * costs one comparison when disabled (a Tracer of null).
 *
 * Two modes:
 * - ring (default): the last `max` records; older ones are overwritten and counted in `dropped`.
 * - window (`snapshot` set): the state at `fromNs` (records of kind `state` written by the snapshot
 *   callback the first time a record falls in the window, i.e. before anything in it changed), then the
 *   first `max` records; later ones are counted in `dropped` and `fullAtNs` is the time of the first
 *   record not kept, so [fromNs, fullAtNs) is complete and [fullAtNs, toNs) has no data. A timeline needs
 *   this: a lane with no switch inside the window is known from the snapshot, and a full buffer loses
 *   the end of the window (marked as such) instead of a stretch whose lanes' states cannot be inferred.
 */
import type { TraceKind, TraceRecord } from '../../shared/result'

export class Tracer {
  readonly fromNs: number
  readonly toNs: number
  private readonly max: number
  private readonly buf: TraceRecord[] = []
  private next = 0
  dropped = 0
  /** Window mode: time of the first record not kept (the buffer was full), else null. */
  fullAtNs: number | null = null
  /** Window mode: writes the state at `fromNs` as `state` records (set by the engine). */
  private readonly snapshot: (() => void) | null
  private readonly initial: TraceRecord[] = []
  private snapped = false
  constructor(fromNs: number, toNs: number, max = 100_000, snapshot: (() => void) | null = null) {
    this.fromNs = fromNs
    this.toNs = toNs
    this.max = Math.max(1, Math.floor(max))
    this.snapshot = snapshot
  }

  on(t: number): boolean {
    return t >= this.fromNs && t < this.toNs
  }

  /** Window mode: a snapshot is owed (the engine takes it before the first event at or after fromNs). */
  get snapshotPending(): boolean {
    return this.snapshot !== null && !this.snapped
  }

  /**
   * Window mode: the snapshot at fromNs, once. The engine calls it before dispatching the first event at
   * or after fromNs (nothing in the window has changed yet), or at the end of a run with no such event.
   */
  takeSnapshot(): void {
    if (!this.snapshot || this.snapped) return
    this.snapped = true
    this.snapshot()
  }

  /** A `state` record of the snapshot (window mode; never dropped). */
  addState(pcpu: number, vm: number, vcpu: number, task?: number, cs?: string, detail?: string): void {
    const r: TraceRecord = { t: this.fromNs, kind: 'state', pcpu, vm, vcpu }
    if (task !== undefined) r.task = task
    if (cs !== undefined) r.cs = cs
    if (detail !== undefined) r.detail = detail
    this.initial.push(r)
  }

  add(t: number, kind: TraceKind, pcpu: number, vm: number, vcpu: number, task?: number, cs?: string, detail?: string): void {
    const r: TraceRecord = { t, kind, pcpu, vm, vcpu }
    if (task !== undefined) r.task = task
    if (cs !== undefined) r.cs = cs
    if (detail !== undefined) r.detail = detail
    if (this.buf.length < this.max) this.buf.push(r)
    else if (this.snapshot) {
      if (this.fullAtNs === null) this.fullAtNs = t
      this.dropped++
    } else {
      this.buf[this.next] = r
      this.next = (this.next + 1) % this.max
      this.dropped++
    }
  }

  records(): TraceRecord[] {
    if (this.snapshot) return this.initial.concat(this.buf)
    return this.buf.length < this.max ? this.buf.slice() : this.buf.slice(this.next).concat(this.buf.slice(0, this.next))
  }
}

/** FNV-1a hash of a trace (for determinism goldens). */
export function hashTrace(records: readonly TraceRecord[]): string {
  let h = 0x811c9dc5
  for (const r of records) {
    const s = `${r.t}|${r.kind}|${r.pcpu}|${r.vm}|${r.vcpu}|${r.task ?? ''}|${r.cs ?? ''}|${r.detail ?? ''};`
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619)
  }
  return (h >>> 0).toString(16).padStart(8, '0')
}
