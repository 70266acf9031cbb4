/**
 * The host scheduler interface: what the scheduler-independent glue (host/host.ts, the kernel/sched/core.c
 * side: __schedule, scheduler_tick, try_to_wake_up, yield_to, load balancing) asks of a scheduling class,
 * after `struct sched_class` (kernel/sched/sched.h, Linux 4.13: enqueue_task, dequeue_task, pick_next_task,
 * task_tick, check_preempt_curr, yield_to_task, migrate_task_rq, task_fork/place_entity, reweight_task).
 *
 * One implementation per run (CFS 4.13 in host/cfs.ts), held as a class instance so that every call site
 * stays monomorphic in a run (no closures per event). The runqueue records are the class's own; the glue
 * reads only the fields of `HostRunqueue`.
 *
 * The eCS tick veto is not part of a class: the class asks a `TickGate` (the engine) for the final verdict
 * at its tick-time resched decision (check_preempt_tick in CFS), with its own verdict as input.
 */

/** A schedulable host thread: a vCPU thread or a host noise kthread (struct sched_entity). */
export class SchedEntity {
  /** Global index of the entity (vCPUs first, then noise threads). Ties in vruntime never use it. */
  readonly id: number
  /** Load weight (1024 = nice 0); changed only through HostScheduler.reweight (a policy's nice boost). */
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
  /** EEVDF only (host/eevdf.ts): virtual deadline, request size (slice, ns) and lag (vlag; while running: the RUN_TO_PARITY stash). */
  deadline = 0
  slice = 0
  vlag = 0
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
    this.deadline = 0.5
    this.slice = 0.5
    this.vlag = 0.5
    this.deadline = 0
    this.slice = 0
    this.vlag = 0
    this.vruntime = 0
    this.sumExec = 0
    this.prevSumExec = 0
    this.execStart = 0
  }
}

/** The per-pCPU runqueue fields the glue reads (struct rq / cfs_rq: curr, nr_running, load). */
export interface HostRunqueue {
  readonly cpu: number
  /** The running entity (rq->curr of this class), or null when the pCPU idles. */
  readonly curr: SchedEntity | null
  /** Runnable entities other than curr, in the class's queue order (pull scans them first to last). */
  readonly queue: readonly SchedEntity[]
  readonly nrRunning: number
  /** Sum of the weights of curr + queue. */
  readonly load: number
  /** Busy / idle time accounting (time with / without a current entity), up to `account(now)`. */
  readonly busyNs: number
  readonly idleNs: number
  account(now: number): void
}

/** The engine's side of the tick-time resched decision (the eCS veto, the nice-boost variant). */
export interface TickGate {
  /**
   * Called at the class's tick-time resched decision with nr_running > 1; `wouldPreempt` is the class's
   * own verdict. Returns the final verdict (false = keep running curr). May reweight `curr` through the
   * scheduler and re-ask `wouldPreemptAtTick`.
   */
  tickVerdict(rq: HostRunqueue, curr: SchedEntity, wouldPreempt: boolean): boolean
}

export interface HostScheduler {
  readonly rqs: readonly HostRunqueue[]
  /** Accounting up to `now` (busy/idle) and update_curr: charge the running entity. */
  update(rq: HostRunqueue, now: number): void
  /** Initial enqueue of an entity that was running before the simulated window (`u` uniform in [0,1): its phase). */
  enqueueInitial(rq: HostRunqueue, se: SchedEntity, u: number): void
  /**
   * Staggered start: the just-picked `curr` has been running for a share `u` (uniform in [0,1)) of its
   * current slice when the simulated window opens, so each pCPU's slice ends at its own tick (CFS:
   * prev_sum_exec_runtime set back by u * sched_slice).
   */
  startPhase(rq: HostRunqueue, curr: SchedEntity, u: number): void
  /** enqueue_entity (not as curr). */
  enqueue(rq: HostRunqueue, se: SchedEntity): void
  /** dequeue_entity of a queued entity or of curr (then curr becomes null). */
  dequeue(rq: HostRunqueue, se: SchedEntity): void
  /** put_prev + pick_next + set_next: the new curr (may equal the previous one, or be null). */
  pickNext(rq: HostRunqueue, now: number): SchedEntity | null
  /** task_tick with the rq brought up to now: true = resched_curr (after the gate's verdict). */
  tick(rq: HostRunqueue, curr: SchedEntity, gate: TickGate): boolean
  /** The class's tick verdict alone (re-evaluated by the gate after a reweight). */
  wouldPreemptAtTick(rq: HostRunqueue, curr: SchedEntity): boolean
  /** check_preempt_wakeup: should the just-enqueued `se` preempt rq.curr (non-null, rq up to date)? */
  checkPreemptWakeup(rq: HostRunqueue, se: SchedEntity): boolean
  /** place_entity for a waking entity (on the rq it is about to be enqueued on, up to date). */
  placeWakeup(rq: HostRunqueue, se: SchedEntity): void
  /** migrate_task_rq: renormalise `se`'s class state from `src` to `dst` (queue membership unchanged). */
  migrated(se: SchedEntity, src: HostRunqueue, dst: HostRunqueue): void
  /** yield_to_task: `me` (curr of rqMe) yields to the runnable `target` on rqT. */
  yieldTo(rqMe: HostRunqueue, me: SchedEntity, rqT: HostRunqueue, target: SchedEntity, now: number): void
  /** reweight_entity (set_user_nice) of an entity on `rq` whose runtime is up to date. */
  reweight(rq: HostRunqueue, se: SchedEntity, weight: number): void
  /** Class invariants of one runqueue (property tests); throws SimInvariantError. */
  checkRq(rq: HostRunqueue): void
}
