/**
 * Bounded trace sink: a ring buffer of the last `max` records inside [fromNs, toNs). The engine calls
 * `on(t)` before building a record, so tracing costs one comparison when disabled (a Tracer of null).
 */
import type { TraceKind, TraceRecord } from '../../shared/result'

export class Tracer {
  readonly fromNs: number
  readonly toNs: number
  private readonly max: number
  private readonly buf: TraceRecord[] = []
  private next = 0
  dropped = 0
  constructor(fromNs: number, toNs: number, max = 100_000) {
    this.fromNs = fromNs
    this.toNs = toNs
    this.max = Math.max(1, Math.floor(max))
  }

  on(t: number): boolean {
    return t >= this.fromNs && t < this.toNs
  }

  add(t: number, kind: TraceKind, pcpu: number, vm: number, vcpu: number, task?: number, cs?: string, detail?: string): void {
    const r: TraceRecord = { t, kind, pcpu, vm, vcpu }
    if (task !== undefined) r.task = task
    if (cs !== undefined) r.cs = cs
    if (detail !== undefined) r.detail = detail
    if (this.buf.length < this.max) this.buf.push(r)
    else {
      this.buf[this.next] = r
      this.next = (this.next + 1) % this.max
      this.dropped++
    }
  }

  records(): TraceRecord[] {
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
