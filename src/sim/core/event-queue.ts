/**
 * The future event list: a binary min-heap of pooled event records (struct-of-arrays, no per-event
 * allocation), after ns-3's Scheduler (src/core/model/scheduler.h) and SimPy's core.
 *
 * Total order (a strict weak ordering, then made total by the unique sequence number):
 *   a < b  iff  a.time < b.time
 *            or a.time == b.time and a.priority < b.priority   (URGENT=0 before NORMAL=1 before LATE=2)
 *            or both equal and a.seq < b.seq                   (FIFO among equals; seq is unique)
 * It is irreflexive, antisymmetric and transitive because it is the lexicographic order on
 * (time, priority, seq) and seq never repeats within a queue.
 *
 * Cancel = mark and skip (lazy deletion): `cancel(handle)` flips a flag; the record is dropped when it
 * reaches the top. Handles carry a generation so a stale handle (event already fired, slot reused)
 * cancels nothing. When more than half of the heap is cancelled garbage, it is compacted.
 *
 * Complexity: schedule O(log n), pop O(log n), cancel O(1).
 */

export const PRIO_URGENT = 0
export const PRIO_NORMAL = 1
export const PRIO_LATE = 2

const SLOT_BITS = 4194304 // 2^22 slots max in flight

export class EventQueue {
  private time: Float64Array
  private key: Float64Array // priority * 2^50 + seq
  private kind: Int32Array
  private argA: Int32Array
  private argB: Int32Array
  private gen: Int32Array
  private dead: Uint8Array
  private heap: Int32Array
  private free: Int32Array
  private nFree = 0
  private nSlots = 0
  private size = 0
  private nDead = 0
  private seq = 0

  constructor(capacity = 1024) {
    this.time = new Float64Array(capacity)
    this.key = new Float64Array(capacity)
    this.kind = new Int32Array(capacity)
    this.argA = new Int32Array(capacity)
    this.argB = new Int32Array(capacity)
    this.gen = new Int32Array(capacity)
    this.dead = new Uint8Array(capacity)
    this.heap = new Int32Array(capacity)
    this.free = new Int32Array(capacity)
  }

  /** Live + cancelled records in the heap. */
  get length(): number {
    return this.size
  }

  /** Records not cancelled. */
  get live(): number {
    return this.size - this.nDead
  }

  /** Insert an event; returns a handle for cancel(). */
  push(time: number, priority: number, kind: number, a: number, b: number): number {
    let slot: number
    if (this.nFree > 0) slot = this.free[--this.nFree]
    else {
      if (this.nSlots === this.time.length) this.grow()
      slot = this.nSlots++
    }
    this.time[slot] = time
    this.key[slot] = priority * 1125899906842624 + this.seq++
    this.kind[slot] = kind
    this.argA[slot] = a
    this.argB[slot] = b
    this.dead[slot] = 0
    const g = (this.gen[slot] + 1) & 0x7fffffff
    this.gen[slot] = g
    // sift up
    const heap = this.heap
    const T = this.time
    const K = this.key
    let i = this.size++
    while (i > 0) {
      const p = (i - 1) >> 1
      const ps = heap[p]
      if (T[ps] < time || (T[ps] === time && K[ps] < K[slot])) break
      heap[i] = ps
      i = p
    }
    heap[i] = slot
    return g * SLOT_BITS + slot
  }

  /** Mark an event cancelled. Stale or already-cancelled handles are ignored. Returns true if it cancelled. */
  cancel(handle: number): boolean {
    if (handle < 0) return false
    const slot = handle % SLOT_BITS
    const g = (handle - slot) / SLOT_BITS
    if (slot >= this.nSlots || this.gen[slot] !== g || this.dead[slot] !== 0) return false
    this.dead[slot] = 1
    this.nDead++
    if (this.nDead > 4096 && this.nDead * 2 > this.size) this.compact()
    return true
  }

  /** Time of the next live event, or Infinity. Drops cancelled records at the top. */
  peekTime(): number {
    while (this.size > 0) {
      const top = this.heap[0]
      if (this.dead[top] === 0) return this.time[top]
      this.removeTop()
      this.nDead--
      this.release(top)
    }
    return Infinity
  }

  /**
   * Remove the next live event and copy it into `out` ([time, kind, a, b]). Returns false if empty.
   * The slot is released before returning, so handles to it become stale.
   */
  pop(out: Float64Array): boolean {
    while (this.size > 0) {
      const top = this.heap[0]
      this.removeTop()
      if (this.dead[top] !== 0) {
        this.nDead--
        this.release(top)
        continue
      }
      out[0] = this.time[top]
      out[1] = this.kind[top]
      out[2] = this.argA[top]
      out[3] = this.argB[top]
      this.release(top)
      return true
    }
    return false
  }

  private release(slot: number): void {
    this.dead[slot] = 1
    this.free[this.nFree++] = slot
  }

  private removeTop(): void {
    const heap = this.heap
    const last = heap[--this.size]
    if (this.size === 0) return
    this.siftDown(0, last)
  }

  private siftDown(start: number, slot: number): void {
    const heap = this.heap
    const T = this.time
    const K = this.key
    const n = this.size
    const t = T[slot]
    const k = K[slot]
    let i = start
    for (;;) {
      let c = 2 * i + 1
      if (c >= n) break
      let cs = heap[c]
      const r = c + 1
      if (r < n) {
        const rs = heap[r]
        if (T[rs] < T[cs] || (T[rs] === T[cs] && K[rs] < K[cs])) {
          c = r
          cs = rs
        }
      }
      if (t < T[cs] || (t === T[cs] && k < K[cs])) break
      heap[i] = cs
      i = c
    }
    heap[i] = slot
  }

  private compact(): void {
    const heap = this.heap
    let n = 0
    for (let i = 0; i < this.size; i++) {
      const s = heap[i]
      if (this.dead[s] === 0) heap[n++] = s
      else this.free[this.nFree++] = s
    }
    this.size = n
    this.nDead = 0
    for (let i = (n >> 1) - 1; i >= 0; i--) this.siftDown(i, heap[i])
  }

  private grow(): void {
    const cap = this.time.length * 2
    if (cap > SLOT_BITS) throw new Error('EventQueue: more than 2^22 events in flight')
    const g64 = (a: Float64Array) => { const n = new Float64Array(cap); n.set(a); return n }
    const g32 = (a: Int32Array) => { const n = new Int32Array(cap); n.set(a); return n }
    this.time = g64(this.time)
    this.key = g64(this.key)
    this.kind = g32(this.kind)
    this.argA = g32(this.argA)
    this.argB = g32(this.argB)
    this.gen = g32(this.gen)
    this.heap = g32(this.heap)
    this.free = g32(this.free)
    const d = new Uint8Array(cap)
    d.set(this.dead)
    this.dead = d
  }
}
