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
 * Per-entity timers: at most one pending event per entity (a vCPU's next guest event), in a calendar
 * queue (R. Brown, "Calendar queues", CACM 31(10), 1988; the bucket-per-tick layout of the kernel's
 * timer wheel, kernel/time/timer.c) with the same (time, priority, seq) keys as EventQueue: the key is
 * taken from EventQueue.nextKey when the timer is armed, so both structures share one total order and
 * the environment pops whichever next event is smaller.
 *
 * Layout: time is cut into buckets of `width` ns (a power of two); virtual bucket vb = floor(t / width)
 * lives in bucket vb mod nBuckets. Each bucket is a doubly linked list of entities sorted by (time, key);
 * a bitmap marks non-empty buckets. `cur` is a virtual bucket with no timer before it; the next timer is
 * the head of bucket cur if that head lies in vb == cur, otherwise cur advances to the next non-empty
 * bucket (a head from a later "year" of the calendar is skipped; after a whole revolution without a hit
 * the minimum over all heads is searched directly). Arming before cur moves cur back.
 *
 * Why: almost every event of a run is "vCPU v's next guest step", and its handler arms v's next step a
 * short, random time ahead (the "hold model" of event-list benchmarks): a calendar makes that O(1)
 * (unlink the head, link into a short sorted list) where a heap pays log n data-dependent branches.
 * The order is exact whatever the width: width and bucket count only change the cost.
 */
export class TimerWheel {
  private readonly tT: Float64Array
  private readonly tK: Float64Array
  private readonly next: Int32Array
  private readonly prev: Int32Array
  /** bucket of an armed entity, -1 when not armed */
  private readonly bucketOf: Int32Array
  private readonly head: Int32Array
  private readonly bits: Int32Array
  private readonly mask: number
  private readonly invWidth: number
  private readonly width: number
  private count = 0
  /** current virtual bucket (no armed timer has vb < cur), its bucket index and end time */
  private cur = 0
  private curB = 0
  private curEnd: number

  /**
   * @param entities ids 0 .. entities-1
   * @param widthNs bucket width (rounded down to a power of two); about the mean gap between timers
   * @param buckets bucket count (rounded up to a power of two); width * buckets should cover most delays
   */
  constructor(entities: number, widthNs = 128, buckets = 1024) {
    const n = Math.max(1, entities)
    this.tT = new Float64Array(n)
    this.tK = new Float64Array(n)
    this.next = new Int32Array(n)
    this.prev = new Int32Array(n)
    this.bucketOf = new Int32Array(n).fill(-1)
    let nb = 32
    while (nb < buckets && nb < 1 << 20) nb *= 2
    this.head = new Int32Array(nb).fill(-1)
    this.bits = new Int32Array(nb >> 5)
    this.mask = nb - 1
    let w = 1
    while (w * 2 <= widthNs && w < 1 << 30) w *= 2
    this.width = w
    this.invWidth = 1 / w
    this.curEnd = w
  }

  /** Number of entities the wheel was sized for (valid ids are 0 .. capacity-1). */
  get capacity(): number {
    return this.bucketOf.length
  }

  /** Arm entity e's timer at (time, key). The entity must not be pending. */
  arm(e: number, time: number, key: number): void {
    if (this.bucketOf[e] >= 0) throw new Error(`TimerWheel: entity ${e} armed twice`)
    const vb = Math.floor(time * this.invWidth)
    if (vb < this.cur) this.setCur(vb)
    const b = vb & this.mask
    const tT = this.tT
    const tK = this.tK
    const next = this.next
    tT[e] = time
    tK[e] = key
    this.bucketOf[e] = b
    this.count++
    // sorted insert by (time, key)
    let p = -1
    let x = this.head[b]
    while (x >= 0 && (tT[x] < time || (tT[x] === time && tK[x] < key))) {
      p = x
      x = next[x]
    }
    next[e] = x
    this.prev[e] = p
    if (x >= 0) this.prev[x] = e
    if (p >= 0) next[p] = e
    else {
      this.head[b] = e
      if (x < 0) this.bits[b >> 5] |= 1 << (b & 31)
    }
  }

  /** Disarm entity e's timer. Returns false if it was not pending. */
  cancel(e: number): boolean {
    const b = this.bucketOf[e]
    if (b < 0) return false
    this.unlink(e, b)
    return true
  }

  /** The entity with the next timer, or -1 (call before topTime/topKey/pop). */
  top(): number {
    if (this.count === 0) return -1
    const head = this.head
    let scanned = 0
    for (;;) {
      const b = this.curB
      const h = head[b]
      if (h >= 0 && this.tT[h] < this.curEnd) return h
      // advance to the next non-empty bucket (circular)
      let d = ((this.nextNonEmpty((b + 1) & this.mask) - b) & this.mask)
      if (d === 0) d = this.mask + 1
      scanned += d
      if (scanned > this.mask + 1) return this.searchMin()
      this.setCur(this.cur + d)
    }
  }

  /** Time of the next timer (after top() returned >= 0). */
  topTime(): number {
    return this.tT[this.head[this.curB]]
  }

  /** Order key of the next timer (after top() returned >= 0). */
  topKey(): number {
    return this.tK[this.head[this.curB]]
  }

  /** Time of entity e's pending timer. */
  timeOf(e: number): number {
    return this.tT[e]
  }

  /** Order key of entity e's pending timer. */
  keyOf(e: number): number {
    return this.tK[e]
  }

  /** Remove the next timer (after top() returned >= 0): the head of the current bucket. Returns its entity. */
  pop(): number {
    const b = this.curB
    const e = this.head[b]
    const x = this.next[e]
    this.head[b] = x
    if (x >= 0) this.prev[x] = -1
    else this.bits[b >> 5] &= ~(1 << (b & 31))
    this.bucketOf[e] = -1
    this.count--
    return e
  }

  private setCur(vb: number): void {
    this.cur = vb
    this.curB = vb & this.mask
    this.curEnd = (vb + 1) * this.width
  }

  private unlink(e: number, b: number): void {
    const p = this.prev[e]
    const x = this.next[e]
    if (x >= 0) this.prev[x] = p
    if (p >= 0) this.next[p] = x
    else {
      this.head[b] = x
      if (x < 0) this.bits[b >> 5] &= ~(1 << (b & 31))
    }
    this.bucketOf[e] = -1
    this.count--
  }

  /** First non-empty bucket at or after `b`, circularly (the wheel is not empty). */
  private nextNonEmpty(b: number): number {
    const bits = this.bits
    const nw = bits.length
    let w = b >> 5
    let word = bits[w] & (-1 << (b & 31))
    for (let i = 0; i <= nw; i++) {
      if (word !== 0) return (w << 5) + (31 - Math.clz32(word & -word))
      w = w + 1 === nw ? 0 : w + 1
      word = bits[w]
    }
    return b
  }

  /** Sparse wheel: the minimum over all bucket heads becomes the current bucket. */
  private searchMin(): number {
    const head = this.head
    const tT = this.tT
    const tK = this.tK
    let best = -1
    for (let b = 0; b <= this.mask; b++) {
      const h = head[b]
      if (h < 0) continue
      if (best < 0 || tT[h] < tT[best] || (tT[h] === tT[best] && tK[h] < tK[best])) best = h
    }
    this.setCur(Math.floor(tT[best] * this.invWidth))
    return best
  }
}
