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
  /** Bumped by every push and cancel: a reader can cache the top while it is unchanged. */
  changes = 0

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

  /**
   * Next order key for `priority`: priority * 2^50 + a fresh sequence number. The timer heap takes its
   * keys from here too, so both structures share one sequence and the total order spans them.
   */
  nextKey(priority: number): number {
    return priority * 1125899906842624 + this.seq++
  }

  /** Order key of the top record (call after peekTime() returned a finite time). */
  topKey(): number {
    return this.hK[0]
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
    this.changes++
    const g = (this.gen[slot] + 1) & 0x7fffffff
    this.gen[slot] = g
    const key = this.nextKey(priority)
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
    this.changes++
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

/**
 * Per-entity timers: at most one pending event per entity (a vCPU's next guest event), in an indexed
 * binary min-heap with the same (time, priority, seq) keys as EventQueue (the key is taken from
 * EventQueue.nextKey when the timer is armed, so both structures share one total order and the
 * environment pops whichever top is smaller). Like hrtimer_start() on an already-armed hrtimer being
 * refused here: arming an entity that is still pending is an invariant violation.
 *
 * Why a second structure: almost every event of a run is "vCPU v's next guest step", and the handler
 * of that event usually arms v's next step. The fired entry stays at the root while it is dispatched
 * (it is the minimum, so pushes and removals below it are unaffected); re-arming it is one sift-down
 * from the root (replace-top) instead of a pop plus a push, and cancel removes the entry at once (no
 * dead records, no slot pool, no generation handles). Entries not re-armed are removed lazily when the
 * next event is looked up.
 */
export class TimerHeap {
  private hT: Float64Array
  private hK: Float64Array
  private hE: Int32Array
  /** entity -> heap index, -1 when not armed */
  private pos: Int32Array
  private size = 0
  /** entity whose timer was dispatched last and still occupies the root, or -1 */
  private fired = -1

  constructor(entities: number) {
    const n = Math.max(1, entities)
    this.hT = new Float64Array(n)
    this.hK = new Float64Array(n)
    this.hE = new Int32Array(n)
    this.pos = new Int32Array(n).fill(-1)
  }

  /** Number of entities the heap was sized for (valid ids are 0 .. capacity-1). */
  get capacity(): number {
    return this.pos.length
  }

  /** True if entity `e` has a pending (armed, not yet dispatched) timer. */
  pending(e: number): boolean {
    return this.pos[e] >= 0 && e !== this.fired
  }

  /** Arm entity e's timer at (time, key). The entity must not be pending. */
  arm(e: number, time: number, key: number): void {
    if (e === this.fired) {
      // replace-top: the dispatched root is reused for the entity's next event
      this.fired = -1
      this.siftDown(0, time, key, e)
      return
    }
    if (this.pos[e] >= 0) throw new Error(`TimerHeap: entity ${e} armed twice`)
    // sift up (the fired root, if any, is <= every key armed after it, so it never moves)
    const hT = this.hT
    const hK = this.hK
    const hE = this.hE
    const pos = this.pos
    let i = this.size++
    while (i > 0) {
      const p = (i - 1) >> 1
      const pt = hT[p]
      if (pt < time || (pt === time && hK[p] < key)) break
      hT[i] = pt
      hK[i] = hK[p]
      const pe = hE[p]
      hE[i] = pe
      pos[pe] = i
      i = p
    }
    hT[i] = time
    hK[i] = key
    hE[i] = e
    pos[e] = i
  }

  /** Disarm entity e's timer. Returns false if it was not pending. */
  cancel(e: number): boolean {
    const i = this.pos[e]
    if (i < 0 || e === this.fired) return false
    this.removeAt(i)
    return true
  }

  /** Drop a dispatched root that was not re-armed; returns the entity with the next timer, or -1. */
  top(): number {
    if (this.fired >= 0) {
      this.fired = -1
      this.removeAt(0)
    }
    return this.size > 0 ? this.hE[0] : -1
  }

  /** Time of the top entry (after top() returned >= 0). */
  topTime(): number {
    return this.hT[0]
  }

  /** Order key of the top entry (after top() returned >= 0). */
  topKey(): number {
    return this.hK[0]
  }

  /** The top entry is being dispatched: it stays at the root until re-armed or the next top(). */
  fire(): number {
    const e = this.hE[0]
    this.fired = e
    return e
  }

  private removeAt(i: number): void {
    const pos = this.pos
    pos[this.hE[i]] = -1
    const n = --this.size
    if (i === n) return
    const t = this.hT[n]
    const k = this.hK[n]
    const e = this.hE[n]
    if (i > 0) {
      const p = (i - 1) >> 1
      const pt = this.hT[p]
      if (t < pt || (t === pt && k < this.hK[p])) {
        // sift up
        const hT = this.hT
        const hK = this.hK
        const hE = this.hE
        while (i > 0) {
          const q = (i - 1) >> 1
          const qt = hT[q]
          if (qt < t || (qt === t && hK[q] < k)) break
          hT[i] = qt
          hK[i] = hK[q]
          const qe = hE[q]
          hE[i] = qe
          pos[qe] = i
          i = q
        }
        hT[i] = t
        hK[i] = k
        hE[i] = e
        pos[e] = i
        return
      }
    }
    this.siftDown(i, t, k, e)
  }

  private siftDown(start: number, t: number, k: number, e: number): void {
    const hT = this.hT
    const hK = this.hK
    const hE = this.hE
    const pos = this.pos
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
      const ce = hE[c]
      hE[i] = ce
      pos[ce] = i
      i = c
    }
    hT[i] = t
    hK[i] = k
    hE[i] = e
    pos[e] = i
  }
}
