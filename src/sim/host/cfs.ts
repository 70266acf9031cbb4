/**
 * Host CFS runqueue for vCPU threads (and host noise threads), after Linux 4.13 kernel/sched/fair.c.
 *
 * Modelled: per-entity load weight and vruntime (update_curr: vruntime += delta * NICE_0_LOAD / weight),
 * min_vruntime, __sched_period (latency, or nr_running * min_granularity above sched_nr_latency),
 * sched_slice (period * weight / rq load), place_entity for wakeups (GENTLE_FAIR_SLEEPERS: vruntime at
 * least min_vruntime - latency/2), check_preempt_tick (both conditions; the caller applies a policy veto),
 * wakeup_preempt_entity with wakeup_gran scaled by the woken entity's weight, and pick_next_entity
 * with `skip` and `next` buddies (yield_task_fair / yield_to_task_fair).
 *
 * Deviations (documented): a sorted array replaces the rbtree (nr_running is small: O(nr) insert is
 * cheaper than a tree at nr <= ~8); vruntime is a float (the kernel uses u64 with integer division;
 * this only changes sub-ns rounding); no group scheduling (cgroups) and no PELT load tracking (load =
 * sum of weights of runnable entities, which is what sched_slice uses for a flat hierarchy); no `last`
 * buddy (only set with the NEXT_BUDDY/LAST_BUDDY features, NEXT_BUDDY is off by default in 4.13).
 */

export const NICE_0_LOAD = 1024

export interface CfsTunables {
  /** sysctl_sched_latency, ns (24 ms on >= 8 CPUs). */
  latencyNs: number
  /** sysctl_sched_min_granularity, ns (3 ms). */
  minGranularityNs: number
  /** sysctl_sched_wakeup_granularity, ns (4 ms). */
  wakeupGranularityNs: number
}

export class SchedEntity {
  /** Global index of the entity (vCPUs first, then noise threads). Ties in vruntime never use it. */
  readonly id: number
  /** Load weight (1024 = nice 0); changed only through CfsRq.reweight (a policy's nice boost). */
  weight: number
  vruntime = 0
  /** Total execution time, ns. */
  sumExec = 0
  /** sumExec when the entity was last picked (check_preempt_tick measures the current slice). */
  prevSumExec = 0
  /** Time of the last update_curr (or of pick). */
  execStart = 0
  /** Queued in `queue` or running as `curr`. */
  onRq = false
  /** Runqueue index (pCPU) it is queued on / last ran on. */
  cpu = -1
  /** Last time it stopped running (task_hot: now - lastRanNs < migration_cost). */
  lastRanNs = -1e18
  constructor(id: number, weight: number) {
    this.id = id
    this.weight = weight
    // Time fields hold doubles (times come from Float64Arrays): give them the double field
    // representation at construction, so the first run does not generalise a Smi field mid-run (that
    // deprecates the map and deoptimises every hot function that saw it). Values stay +0.
    this.vruntime = 0.5
    this.sumExec = 0.5
    this.prevSumExec = 0.5
    this.execStart = 0.5
    this.vruntime = 0
    this.sumExec = 0
    this.prevSumExec = 0
    this.execStart = 0
  }
}

export class CfsRq {
  readonly cpu: number
  curr: SchedEntity | null = null
  /** Runnable entities other than curr, sorted by vruntime (FIFO among equal vruntimes). */
  readonly queue: SchedEntity[] = []
  minVruntime = 0
  /** Sum of weights of curr + queue. */
  load = 0
  /** reweight_entity (set_user_nice): the caller has run update_curr first. */
  reweight(se: SchedEntity, weight: number): void {
    if (se.onRq) this.load += weight - se.weight
    se.weight = weight
  }
  next: SchedEntity | null = null
  skip: SchedEntity | null = null
  /** Accounting: time with a current entity / without. */
  busyNs = 0
  idleNs = 0
  lastAccountNs = 0
  constructor(cpu: number) {
    this.cpu = cpu
    // double representation from the start (see SchedEntity's constructor)
    this.minVruntime = 0.5
    this.busyNs = 0.5
    this.lastAccountNs = 0.5
    this.minVruntime = 0
    this.busyNs = 0
    this.lastAccountNs = 0
  }

  get nrRunning(): number {
    return this.queue.length + (this.curr ? 1 : 0)
  }

  /** Account time up to `now` into busy/idle (called before any change of curr). */
  account(now: number): void {
    const d = now - this.lastAccountNs
    if (d > 0) {
      if (this.curr) this.busyNs += d
      else this.idleNs += d
      this.lastAccountNs = now
    }
  }

  /** update_curr: charge the running entity; returns the delta in ns. */
  updateCurr(now: number): number {
    const c = this.curr
    if (!c) return 0
    const delta = now - c.execStart
    if (delta <= 0) return 0
    c.execStart = now
    c.sumExec += delta
    c.vruntime += c.weight === NICE_0_LOAD ? delta : (delta * NICE_0_LOAD) / c.weight
    this.updateMinVruntime()
    return delta
  }

  updateMinVruntime(): void {
    let v = this.minVruntime
    const c = this.curr
    const left = this.queue.length > 0 ? this.queue[0] : null
    if (c) v = c.vruntime
    if (left) v = c ? Math.min(v, left.vruntime) : left.vruntime
    if (v > this.minVruntime) this.minVruntime = v
  }

  /** __sched_period */
  period(nr: number, t: CfsTunables): number {
    const nrLatency = Math.floor(t.latencyNs / t.minGranularityNs)
    return nr > nrLatency ? nr * t.minGranularityNs : t.latencyNs
  }

  /** sched_slice: wall-time slice of `se` on this rq. */
  slice(se: SchedEntity, t: CfsTunables): number {
    let nr = this.nrRunning
    let load = this.load
    if (!se.onRq) {
      nr++
      load += se.weight
    }
    const p = this.period(nr, t)
    return load > 0 ? (p * se.weight) / load : p
  }

  /** place_entity for a waking entity (initial = false): no credit beyond half a latency. */
  placeWakeup(se: SchedEntity, t: CfsTunables): void {
    const v = this.minVruntime - t.latencyNs / 2
    if (se.vruntime < v) se.vruntime = v
  }

  /** Insert into the sorted queue (FIFO among equal vruntimes, like the rbtree's "go right on ties"). */
  insert(se: SchedEntity): void {
    const q = this.queue
    let i = q.length
    const v = se.vruntime
    q.push(se) // grow by one, then shift larger entries right (no splice: it allocates)
    while (i > 0 && q[i - 1].vruntime > v) {
      q[i] = q[i - 1]
      i--
    }
    q[i] = se
  }

  /** enqueue_entity (not as curr). */
  enqueue(se: SchedEntity): void {
    se.onRq = true
    se.cpu = this.cpu
    this.load += se.weight
    this.insert(se)
    this.updateMinVruntime()
  }

  /** dequeue_entity of a queued (not running) entity, or of curr (then curr becomes null). */
  dequeue(se: SchedEntity): void {
    if (this.curr === se) this.curr = null
    else {
      removeAt(this.queue, this.queue.indexOf(se))
    }
    se.onRq = false
    this.load -= se.weight
    if (this.next === se) this.next = null
    if (this.skip === se) this.skip = null
    this.updateMinVruntime()
  }

  /** wakeup_preempt_entity: 1 if `se` should preempt `curr`, 0 if within granularity, -1 if not ahead. */
  wakeupPreemptEntity(curr: SchedEntity, se: SchedEntity, t: CfsTunables): number {
    const vdiff = curr.vruntime - se.vruntime
    if (vdiff <= 0) return -1
    const gran = se.weight === NICE_0_LOAD ? t.wakeupGranularityNs : (t.wakeupGranularityNs * NICE_0_LOAD) / se.weight
    return vdiff > gran ? 1 : 0
  }

  /**
   * put_prev + pick_next + set_next: returns the new curr (may equal the previous one).
   * If `prevRunnable` is false the previous curr must already have been dequeued.
   */
  pickNext(now: number, t: CfsTunables): SchedEntity | null {
    const prev = this.curr
    if (prev) {
      this.curr = null
      this.insert(prev)
    }
    const q = this.queue
    if (q.length === 0) return null
    const left = q[0]
    let se = left
    // Avoid running the skip buddy if running something else does not break fairness too much.
    if (this.skip === se && q.length > 1) {
      const second = q[1]
      if (this.wakeupPreemptEntity(second, left, t) < 1) se = second
    }
    // Prefer the next buddy (yield_to target) if it is not too far ahead of the leftmost.
    if (this.next && this.next.onRq && this.wakeupPreemptEntity(this.next, left, t) < 1) se = this.next
    if (this.next === se) this.next = null
    if (this.skip === se) this.skip = null
    removeAt(q, q.indexOf(se))
    this.curr = se
    se.execStart = now
    se.prevSumExec = se.sumExec
    return se
  }
}

/** Remove a[i] keeping order, without the array allocation of splice(). */
export function removeAt<T>(a: T[], i: number): void {
  if (i < 0) return
  const n = a.length - 1
  for (let k = i; k < n; k++) a[k] = a[k + 1]
  a.pop()
}
