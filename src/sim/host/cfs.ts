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
 *
 * `CfsScheduler` is the class behind the engine's HostScheduler interface (host/sched-class.ts):
 * task_tick_fair -> entity_tick -> check_preempt_tick (if nr_running > 1) with the engine's veto gate,
 * check_preempt_wakeup, yield_to_task_fair (next buddy on the target, skip buddy on the yielder after
 * update_curr when nr_running > 1), migrate_task_rq_fair's vruntime renormalisation by min_vruntime.
 */

import { SchedEntity, type HostRunqueue, type HostScheduler, type TickGate } from './sched-class'
import { simAssert } from '../core/assert'

export { SchedEntity }

export const NICE_0_LOAD = 1024

export interface CfsTunables {
  /** sysctl_sched_latency, ns (24 ms on >= 8 CPUs). */
  latencyNs: number
  /** sysctl_sched_min_granularity, ns (3 ms). */
  minGranularityNs: number
  /** sysctl_sched_wakeup_granularity, ns (4 ms). */
  wakeupGranularityNs: number
}

export class CfsRq implements HostRunqueue {
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

/** CFS 4.13 behind the HostScheduler interface: one instance per simulation, one CfsRq per pCPU. */
export class CfsScheduler implements HostScheduler {
  readonly rqs: CfsRq[]
  readonly tun: CfsTunables
  constructor(pcpus: number, tun: CfsTunables) {
    this.tun = tun
    this.rqs = Array.from({ length: pcpus }, (_, i) => new CfsRq(i))
  }

  update(rq: HostRunqueue, now: number): void {
    const r = rq as CfsRq
    r.account(now)
    r.updateCurr(now)
  }

  /** Initial vruntimes spread uniformly over one sched_latency (VMs that have run for a while, arbitrary phases). */
  enqueueInitial(rq: HostRunqueue, se: SchedEntity, u: number): void {
    se.vruntime = Math.floor(u * this.tun.latencyNs)
    ;(rq as CfsRq).enqueue(se)
  }

  startPhase(rq: HostRunqueue, curr: SchedEntity, u: number): void {
    // check_preempt_tick measures sum_exec_runtime - prev_sum_exec_runtime against sched_slice
    curr.prevSumExec = curr.sumExec - Math.floor(u * (rq as CfsRq).slice(curr, this.tun))
  }

  enqueue(rq: HostRunqueue, se: SchedEntity): void {
    (rq as CfsRq).enqueue(se)
  }

  dequeue(rq: HostRunqueue, se: SchedEntity): void {
    (rq as CfsRq).dequeue(se)
  }

  pickNext(rq: HostRunqueue, now: number): SchedEntity | null {
    return (rq as CfsRq).pickNext(now, this.tun)
  }

  /** entity_tick: check_preempt_tick when nr_running > 1; the gate may veto; clear_buddies on resched. */
  tick(rq: HostRunqueue, curr: SchedEntity, gate: TickGate): boolean {
    const r = rq as CfsRq
    if (r.nrRunning <= 1) return false
    const resched = gate.tickVerdict(r, curr, this.wouldPreemptAtTick(r, curr))
    if (resched) {
      if (r.next === curr) r.next = null
      if (r.skip === curr) r.skip = null
    }
    return resched
  }

  /** check_preempt_tick: the slice (sched_slice) is used up, or curr is more than a slice ahead of the leftmost. */
  wouldPreemptAtTick(rq: HostRunqueue, curr: SchedEntity): boolean {
    const r = rq as CfsRq
    const ideal = r.slice(curr, this.tun)
    const deltaExec = curr.sumExec - curr.prevSumExec
    if (deltaExec > ideal) return true
    return deltaExec >= this.tun.minGranularityNs && r.queue.length > 0 && curr.vruntime - r.queue[0].vruntime > ideal
  }

  checkPreemptWakeup(rq: HostRunqueue, se: SchedEntity): boolean {
    const r = rq as CfsRq
    return r.wakeupPreemptEntity(r.curr!, se, this.tun) === 1
  }

  placeWakeup(rq: HostRunqueue, se: SchedEntity): void {
    (rq as CfsRq).placeWakeup(se, this.tun)
  }

  migrated(se: SchedEntity, src: HostRunqueue, dst: HostRunqueue): void {
    se.vruntime += (dst as CfsRq).minVruntime - (src as CfsRq).minVruntime
  }

  /** yield_to_task_fair: set_next_buddy(target); yield_task_fair: update_curr + set_skip_buddy unless alone. */
  yieldTo(rqMe: HostRunqueue, me: SchedEntity, rqT: HostRunqueue, target: SchedEntity, now: number): void {
    (rqT as CfsRq).next = target
    if (rqMe.nrRunning > 1) {
      this.update(rqMe, now)
      ;(rqMe as CfsRq).skip = me
    }
  }

  reweight(rq: HostRunqueue, se: SchedEntity, weight: number): void {
    (rq as CfsRq).reweight(se, weight)
  }

  checkRq(rq: HostRunqueue): void {
    const r = rq as CfsRq
    for (let i = 1; i < r.queue.length; i++) simAssert(r.queue[i - 1].vruntime <= r.queue[i].vruntime, `pCPU ${r.cpu} queue unsorted`)
  }
}
