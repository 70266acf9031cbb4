/**
 * Host EEVDF runqueue for vCPU threads (and host noise threads), after Linux 6.6 kernel/sched/fair.c
 * (the first release with EEVDF; functions named as there):
 *  - update_curr: vruntime += calc_delta_fair(delta) (delta * NICE_0_LOAD / weight), then
 *    update_deadline: once vruntime >= deadline the entity gets a new request, slice =
 *    sysctl_sched_base_slice and deadline = vruntime + calc_delta_fair(slice), and resched_curr if
 *    cfs_rq->nr_running > 1; update_min_vruntime as in CFS (monotonic min over curr and queue);
 *  - avg_vruntime: the load-weighted mean vruntime V of curr + queue (keys relative to min_vruntime);
 *    entity_eligible: (V - v_i) * load >= 0, i.e. lag >= 0;
 *  - pick_eevdf: among eligible entities the earliest virtual deadline; with RUN_TO_PARITY a still
 *    eligible curr keeps running while `vlag == deadline` (set_next_entity stashes the deadline in
 *    vlag at pick; a new slice or yield changes the deadline and ends the parity);
 *    pick_next_entity prefers the next buddy only with the NEXT_BUDDY feature, off by default;
 *  - dequeue_entity -> update_entity_lag: vlag = clamp(V - v, +-calc_delta_fair(max(2 * slice, TICK_NSEC)));
 *  - enqueue_entity -> place_entity (PLACE_LAG): vruntime = V - vlag * (load + w) / load (no lag when the
 *    runqueue is empty), deadline = vruntime + calc_delta_fair(slice): lag survives sleep and migration
 *    (6.6 dropped the min_vruntime renormalisation of 4.13's migrate_task_rq_fair);
 *  - check_preempt_wakeup (WAKEUP_PREEMPTION): update_curr, then preempt iff pick_eevdf() == the woken entity;
 *  - yield_to_task_fair: set_next_buddy(target); yield_task_fair: unless alone, clear_buddies,
 *    update_curr, deadline += calc_delta_fair(slice).
 * The base slice is 0.75 ms scaled like the kernel's update_sysctl (SCHED_TUNABLESCALING_LOG:
 * x (1 + ilog2(min(ncpus, 8))), 3 ms on >= 8 CPUs); resolved in scenario/resolve.ts.
 *
 * Tick and the eCS veto (this project's port; the released patch vetoes 4.13's check_preempt_tick,
 * which EEVDF no longer has): a resched requested by update_deadline is acted on at the next host tick
 * (the model's preemption point for a running vCPU thread, as check_preempt_tick was), where the
 * engine's TickGate may veto it. On a veto the deadline advance is undone (deadline and slice back to the
 * expired request), so the request stays expired: every following tick re-asks, and the vCPU is
 * preempted at the first tick after it leaves its critical section, as with the 4.13 veto. (Advancing
 * the deadline but not rescheduling would grant a whole extra request after the section ends.)
 * Wakeup preemption is not vetoed (the patch vetoes only the tick path).
 *
 * Deviations (documented): a vruntime-sorted array and O(nr_running) scans replace the augmented rbtree
 * (nr_running is small); float arithmetic instead of u64 with integer division and the floor in
 * avg_vruntime (sub-ns differences); no cgroups / PELT; reweight_entity changes the weight only (6.6.0
 * did not yet rescale vruntime/deadline on reweight); a resched flagged by a non-tick update_curr waits
 * for the next tick; entity slices are the base slice (no sched_attr custom slices, which came later).
 */
import { SchedEntity, type HostRunqueue, type HostScheduler, type TickGate } from './sched-class'
import * as cfsMod from './cfs'
import { simAssert } from '../core/assert'

const { removeAt } = cfsMod

const NICE_0_LOAD = 1024
/** sched_feat(RUN_TO_PARITY) and sched_feat(NEXT_BUDDY) as Linux 6.6 sets them by default. */
const RUN_TO_PARITY = true
const NEXT_BUDDY = false

export class EevdfRq implements HostRunqueue {
  readonly cpu: number
  curr: SchedEntity | null = null
  /** Runnable entities other than curr, sorted by vruntime (FIFO among equal vruntimes). */
  readonly queue: SchedEntity[] = []
  minVruntime = 0
  load = 0
  next: SchedEntity | null = null
  /** resched_curr from update_deadline since the last pick (acted on at the tick). */
  needResched = false
  /** The request expiry that set needResched, to undo on a veto: the deadline and slice before the advance. */
  expiredDeadline = 0
  expiredSlice = 0
  busyNs = 0
  idleNs = 0
  lastAccountNs = 0
  constructor(cpu: number) {
    this.cpu = cpu
    // double representation from the start (see SchedEntity's constructor)
    this.minVruntime = 0.5
    this.busyNs = 0.5
    this.lastAccountNs = 0.5
    this.expiredDeadline = 0.5
    this.expiredSlice = 0.5
    this.minVruntime = 0
    this.busyNs = 0
    this.lastAccountNs = 0
    this.expiredDeadline = 0
    this.expiredSlice = 0
  }

  get nrRunning(): number {
    return this.queue.length + (this.curr ? 1 : 0)
  }

  account(now: number): void {
    const d = now - this.lastAccountNs
    if (d > 0) {
      if (this.curr) this.busyNs += d
      else this.idleNs += d
      this.lastAccountNs = now
    }
  }

  insert(se: SchedEntity): void {
    const q = this.queue
    let i = q.length
    const v = se.vruntime
    q.push(se)
    while (i > 0 && q[i - 1].vruntime > v) {
      q[i] = q[i - 1]
      i--
    }
    q[i] = se
  }

  updateMinVruntime(): void {
    let v = this.minVruntime
    const c = this.curr
    const left = this.queue.length > 0 ? this.queue[0] : null
    if (c) v = c.vruntime
    if (left) v = c ? Math.min(v, left.vruntime) : left.vruntime
    if (v > this.minVruntime) this.minVruntime = v
  }
}

/** EEVDF (Linux 6.6) behind the HostScheduler interface: one instance per simulation, one EevdfRq per pCPU. */
export class EevdfScheduler implements HostScheduler {
  readonly rqs: EevdfRq[]
  /** sysctl_sched_base_slice, ns. */
  readonly baseSliceNs: number
  /** TICK_NSEC (the lag clamp's floor). */
  readonly tickNs: number
  // avg_vruntime scratch (set by avg())
  private avgKey = 0
  private avgLoad = 0
  constructor(pcpus: number, baseSliceNs: number, tickNs: number) {
    this.baseSliceNs = baseSliceNs
    this.tickNs = tickNs
    this.rqs = Array.from({ length: pcpus }, (_, i) => new EevdfRq(i))
  }

  /** calc_delta_fair */
  private fair(delta: number, se: SchedEntity): number {
    return se.weight === NICE_0_LOAD ? delta : (delta * NICE_0_LOAD) / se.weight
  }

  /** avg_vruntime's sums: avgKey = sum (v_i - min_vruntime) * w_i, avgLoad = sum w_i over curr + queue. */
  private avg(r: EevdfRq): void {
    const base = r.minVruntime
    let key = 0
    let load = 0
    const q = r.queue
    for (let i = 0; i < q.length; i++) {
      key += (q[i].vruntime - base) * q[i].weight
      load += q[i].weight
    }
    const c = r.curr
    if (c !== null) {
      key += (c.vruntime - base) * c.weight
      load += c.weight
    }
    this.avgKey = key
    this.avgLoad = load
  }

  /** avg_vruntime(cfs_rq): V. */
  avgVruntime(r: EevdfRq): number {
    this.avg(r)
    return this.avgLoad > 0 ? r.minVruntime + this.avgKey / this.avgLoad : r.minVruntime
  }

  /** entity_eligible with the sums of avg() current. */
  private eligibleAvg(r: EevdfRq, se: SchedEntity): boolean {
    return this.avgKey >= (se.vruntime - r.minVruntime) * this.avgLoad
  }

  /** entity_eligible(cfs_rq, se): lag >= 0. */
  eligible(rq: HostRunqueue, se: SchedEntity): boolean {
    const r = rq as EevdfRq
    this.avg(r)
    return this.eligibleAvg(r, se)
  }

  update(rq: HostRunqueue, now: number): void {
    const r = rq as EevdfRq
    r.account(now)
    const c = r.curr
    if (!c) return
    const delta = now - c.execStart
    if (delta <= 0) return
    c.execStart = now
    c.sumExec += delta
    c.vruntime += this.fair(delta, c)
    this.updateDeadline(r, c)
    r.updateMinVruntime()
  }

  /** update_deadline: a new request once the current one is used up; resched_curr if others are runnable. */
  private updateDeadline(r: EevdfRq, se: SchedEntity): void {
    if (se.vruntime < se.deadline) return
    if (r.nrRunning > 1 && !r.needResched) {
      r.expiredDeadline = se.deadline
      r.expiredSlice = se.slice
      r.needResched = true
    }
    se.slice = this.baseSliceNs
    se.deadline = se.vruntime + this.fair(se.slice, se)
  }

  /** place_entity (PLACE_LAG; no ENQUEUE_INITIAL half-slice: every enqueue here is a wakeup or a migration). */
  private place(r: EevdfRq, se: SchedEntity): void {
    this.avg(r)
    const V = this.avgLoad > 0 ? r.minVruntime + this.avgKey / this.avgLoad : r.minVruntime
    se.slice = this.baseSliceNs
    let lag = 0
    if (r.nrRunning > 0) {
      const load = this.avgLoad > 0 ? this.avgLoad : 1
      lag = (se.vlag * (this.avgLoad + se.weight)) / load
    }
    se.vruntime = V - lag
    se.deadline = se.vruntime + this.fair(se.slice, se)
  }

  /** The entity ran before the window: zero lag, and a phase `u` into its current request. */
  enqueueInitial(rq: HostRunqueue, se: SchedEntity, u: number): void {
    se.vlag = 0
    this.enqueue(rq, se)
    se.deadline = se.vruntime + this.fair(se.slice, se) * (1 - u)
  }

  /**
   * Staggered start: nothing more to do here, each entity's request already starts at its own phase
   * (enqueueInitial: deadline = vruntime + (1 - u) * calc_delta_fair(slice)), so update_deadline expires
   * on each pCPU at its own time.
   */
  startPhase(_rq: HostRunqueue, _curr: SchedEntity, _u: number): void {}

  /** enqueue_entity (not as curr): place_entity, then into the queue. */
  enqueue(rq: HostRunqueue, se: SchedEntity): void {
    const r = rq as EevdfRq
    this.place(r, se)
    se.onRq = true
    se.cpu = r.cpu
    r.load += se.weight
    r.insert(se)
    r.updateMinVruntime()
  }

  /** dequeue_entity: update_entity_lag (with `se` still counted in V), then out of the queue (or curr). */
  dequeue(rq: HostRunqueue, se: SchedEntity): void {
    const r = rq as EevdfRq
    const lag = this.avgVruntime(r) - se.vruntime
    const limit = this.fair(Math.max(2 * se.slice, this.tickNs), se)
    se.vlag = lag > limit ? limit : lag < -limit ? -limit : lag
    if (r.curr === se) {
      r.curr = null
      r.needResched = false
    } else removeAt(r.queue, r.queue.indexOf(se))
    se.onRq = false
    r.load -= se.weight
    if (r.next === se) r.next = null
    r.updateMinVruntime()
  }

  /** pick_eevdf: earliest eligible deadline; a still eligible `curr` keeps running under RUN_TO_PARITY. */
  private pickEevdf(r: EevdfRq, curr: SchedEntity | null): SchedEntity | null {
    this.avg(r)
    let c = curr
    if (c !== null && (!c.onRq || !this.eligibleAvg(r, c))) c = null
    if (RUN_TO_PARITY && c !== null && c.vlag === c.deadline) return c
    let best: SchedEntity | null = null
    const q = r.queue
    for (let i = 0; i < q.length; i++) {
      const e = q[i]
      if ((best === null || e.deadline < best.deadline) && this.eligibleAvg(r, e)) best = e
    }
    if (best === null || (c !== null && c.deadline < best.deadline)) best = c
    if (best === null) {
      // no eligible entity (only by rounding): the earliest deadline (__pick_first_entity of the deadline tree)
      for (let i = 0; i < q.length; i++) if (best === null || q[i].deadline < best.deadline) best = q[i]
      if (best === null || (curr !== null && curr.onRq && curr.deadline < best.deadline)) best = curr
    }
    return best
  }

  /** pick_next_entity + put_prev_entity + set_next_entity (which stashes the deadline in vlag for RUN_TO_PARITY). */
  pickNext(rq: HostRunqueue, now: number): SchedEntity | null {
    const r = rq as EevdfRq
    const prev = r.curr
    let se: SchedEntity | null = null
    if (NEXT_BUDDY && r.next !== null && r.next.onRq && this.eligible(r, r.next)) se = r.next
    else se = this.pickEevdf(r, prev)
    r.needResched = false
    if (se === null) return null
    if (prev !== null && prev !== se) {
      r.curr = null
      r.insert(prev)
    }
    if (se !== prev) removeAt(r.queue, r.queue.indexOf(se))
    if (r.next === se) r.next = null
    r.curr = se
    se.execStart = now
    se.prevSumExec = se.sumExec
    se.vlag = se.deadline
    return se
  }

  /** entity_tick -> update_curr (done by the caller) -> update_deadline's resched, through the engine's gate. */
  tick(rq: HostRunqueue, curr: SchedEntity, gate: TickGate): boolean {
    const r = rq as EevdfRq
    if (r.nrRunning <= 1) {
      r.needResched = false
      return false
    }
    const expired = r.needResched
    const resched = gate.tickVerdict(r, curr, expired)
    r.needResched = false
    if (resched) {
      if (r.next === curr) r.next = null // clear_buddies
      return true
    }
    if (expired) {
      // vetoed: the request stays expired (see the header), re-checked at the next tick
      curr.deadline = r.expiredDeadline
      curr.slice = r.expiredSlice
    }
    return false
  }

  wouldPreemptAtTick(rq: HostRunqueue, _curr: SchedEntity): boolean {
    return (rq as EevdfRq).needResched
  }

  /** check_preempt_wakeup: preempt iff pick_eevdf would now choose the woken entity. */
  checkPreemptWakeup(rq: HostRunqueue, se: SchedEntity): boolean {
    const r = rq as EevdfRq
    return this.pickEevdf(r, r.curr) === se
  }

  /** Placement happens in enqueue (place_entity with the lag kept at dequeue). */
  placeWakeup(_rq: HostRunqueue, _se: SchedEntity): void {}

  /** 6.6: no vruntime renormalisation on migration; the lag recorded at dequeue places it on `dst`. */
  migrated(_se: SchedEntity, _src: HostRunqueue, _dst: HostRunqueue): void {}

  /** yield_to_task_fair: set_next_buddy(target), then yield_task_fair on the yielder's runqueue. */
  yieldTo(rqMe: HostRunqueue, me: SchedEntity, rqT: HostRunqueue, target: SchedEntity, now: number): void {
    (rqT as EevdfRq).next = target
    const r = rqMe as EevdfRq
    if (r.nrRunning === 1) return
    if (r.next === me) r.next = null
    this.update(r, now)
    me.deadline += this.fair(me.slice, me)
  }

  reweight(rq: HostRunqueue, se: SchedEntity, weight: number): void {
    if (se.onRq) (rq as EevdfRq).load += weight - se.weight
    se.weight = weight
  }

  checkRq(rq: HostRunqueue): void {
    const r = rq as EevdfRq
    for (let i = 1; i < r.queue.length; i++) simAssert(r.queue[i - 1].vruntime <= r.queue[i].vruntime, `pCPU ${r.cpu} queue unsorted`)
  }
}
