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
  // slot pool (event records)
  private kind: Int32Array
  private argA: Int32Array
  private argB: Int32Array
  private gen: Int32Array
  private dead: Uint8Array
  private free: Int32Array
  private nFree = 0
  private nSlots = 0
  // heap, keys stored inline (no indirection in comparisons): time, priority*2^50+seq, slot
  private hT: Float64Array
  private hK: Float64Array
  private hS: Int32Array
  private size = 0
  private nDead = 0
  private seq = 0

  constructor(capacity = 1024) {
    this.kind = new Int32Array(capacity)
    this.argA = new Int32Array(capacity)
    this.argB = new Int32Array(capacity)
    this.gen = new Int32Array(capacity)
    this.dead = new Uint8Array(capacity)
    this.free = new Int32Array(capacity)
    this.hT = new Float64Array(capacity)
    this.hK = new Float64Array(capacity)
    this.hS = new Int32Array(capacity)
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
      if (this.nSlots === this.kind.length) this.grow()
      slot = this.nSlots++
    }
    this.kind[slot] = kind
    this.argA[slot] = a
    this.argB[slot] = b
    this.dead[slot] = 0
    const g = (this.gen[slot] + 1) & 0x7fffffff
    this.gen[slot] = g
    const key = priority * 1125899906842624 + this.seq++
    // sift up
    const hT = this.hT
    const hK = this.hK
    const hS = this.hS
    let i = this.size++
    while (i > 0) {
      const p = (i - 1) >> 1
      const pt = hT[p]
      if (pt < time || (pt === time && hK[p] < key)) break
      hT[i] = pt
      hK[i] = hK[p]
      hS[i] = hS[p]
      i = p
    }
    hT[i] = time
    hK[i] = key
    hS[i] = slot
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
      const top = this.hS[0]
      if (this.dead[top] === 0) return this.hT[0]
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
    return this.popUntil(out, Infinity)
  }

  /** Like pop(), but only if the next live event's time is <= until. */
  popUntil(out: Float64Array, until: number): boolean {
    const dead = this.dead
    while (this.size > 0) {
      const top = this.hS[0]
      if (dead[top] !== 0) {
        this.removeTop()
        this.nDead--
        this.release(top)
        continue
      }
      const t = this.hT[0]
      if (t > until) return false
      out[0] = t
      out[1] = this.kind[top]
      out[2] = this.argA[top]
      out[3] = this.argB[top]
      this.removeTop()
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
    const n = --this.size
    if (n === 0) return
    this.siftDown(0, this.hT[n], this.hK[n], this.hS[n])
  }

  private siftDown(start: number, t: number, k: number, s: number): void {
    const hT = this.hT
    const hK = this.hK
    const hS = this.hS
    const n = this.size
    let i = start
    for (;;) {
      let c = 2 * i + 1
      if (c >= n) break
      const r = c + 1
      if (r < n && (hT[r] < hT[c] || (hT[r] === hT[c] && hK[r] < hK[c]))) c = r
      const ct = hT[c]
      if (t < ct || (t === ct && k < hK[c])) break
      hT[i] = ct
      hK[i] = hK[c]
      hS[i] = hS[c]
      i = c
    }
    hT[i] = t
    hK[i] = k
    hS[i] = s
  }

  private compact(): void {
    const hT = this.hT
    const hK = this.hK
    const hS = this.hS
    let n = 0
    for (let i = 0; i < this.size; i++) {
      const s = hS[i]
      if (this.dead[s] === 0) {
        hT[n] = hT[i]
        hK[n] = hK[i]
        hS[n] = s
        n++
      } else this.free[this.nFree++] = s
    }
    this.size = n
    this.nDead = 0
    for (let i = (n >> 1) - 1; i >= 0; i--) this.siftDown(i, hT[i], hK[i], hS[i])
  }

  private grow(): void {
    const cap = this.kind.length * 2
    if (cap > SLOT_BITS) throw new Error('EventQueue: more than 2^22 events in flight')
    const g64 = (a: Float64Array) => { const n = new Float64Array(cap); n.set(a); return n }
    const g32 = (a: Int32Array) => { const n = new Int32Array(cap); n.set(a); return n }
    this.kind = g32(this.kind)
    this.argA = g32(this.argA)
    this.argB = g32(this.argB)
    this.gen = g32(this.gen)
    this.free = g32(this.free)
    this.hT = g64(this.hT)
    this.hK = g64(this.hK)
    this.hS = g32(this.hS)
    const d = new Uint8Array(cap)
    d.set(this.dead)
    this.dead = d
  }
}
