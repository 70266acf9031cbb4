/**
 * Preemptable ticket spinlock (Ouyang & Lange, VEE'13; github drouyang/pmtlock, vee13/pmtlock-v1.0.patch;
 * ecs-model.md §4.3), used in place of the guest's qspinlock by the `pmtlock` policy.
 *
 *   acquire          take a ticket (FIFO queue position); lock free and nobody queued -> (holder = me)
 *   wait             a waiter is eligible when its ticket is at the head, or when it has spun for
 *                    distance-to-head x TIMEOUT_UNIT iterations without the head advancing (the timeout
 *                    restarts, with the new, smaller distance, whenever the head advances)
 *   eligible + free  test-and-set on the lock byte: the first eligible waiter that looks takes the lock,
 *                    FIFO order is sacrificed (this is what lets waiters pass a preempted waiter: LWP)
 *   unlock           lock byte cleared, head advances; the head waiter gets the lock after a cache-line
 *                    transfer if it is spinning on a running vCPU, else the first timed-out waiter that is
 *                    spinning does; else the lock stays free until an eligible waiter looks again
 *
 * Deviations: the queue holds waiting tasks only (a ticket whose owner got the lock by timeout leaves the
 * queue, so the head never lands on an absent ticket, which v1.0's head counter could); no PV halting
 * (the VEE'13 lock spins; PLE exits still apply); timeouts are counted in the waiter's own spin time
 * (iterations run only while its vCPU runs).
 */
import * as lockHost from './lock-host'
import { type LockHost } from './lock-host'
import { F_QSPIN, type LockBase, type Task } from '../guest/entities'
import * as counters from '../metrics/counters'

const { ACQ_OK, ACQ_SPIN } = lockHost
const { C } = counters

/** pmtlock TIMEOUT_UNIT: 2^14 cpu_relax() iterations per queue position (pmtlock-v1.0.patch). */
export const PMT_TIMEOUT_UNIT_ITERS = 1 << 14

export interface PmtHost extends LockHost {
  /** Restart a waiter's timeout (its remaining spin budget) and re-arm its spin timer if it spins now. */
  pmtRearm(t: Task, budgetNs: number): void
}

export class PmtLock implements LockBase {
  readonly family = F_QSPIN
  readonly id: number
  readonly name: string
  holder: Task | null = null
  /** Waiting tickets in FIFO order; queue[0] holds the head ticket. */
  readonly queue: Task[] = []
  /** Waiters whose timeout expired (eligible for test-and-set). */
  private readonly timedOut: Task[] = []
  private readonly unitNs: number

  /** @param unitNs TIMEOUT_UNIT iterations x ns per spin iteration. */
  constructor(id: number, name: string, unitNs: number) {
    this.id = id
    this.name = name
    this.unitNs = unitNs
  }

  /** Timeout budget of a waiter at queue position `pos` (0 = head: it waits for its turn, no timeout). */
  budgetOf(pos: number): number {
    return pos === 0 ? Infinity : pos * this.unitNs
  }

  acquire(sim: LockHost, t: Task): number {
    if (this.holder === null && this.queue.length === 0) {
      this.holder = t
      return ACQ_OK
    }
    sim.cnt[C['pvlock.slowpath']]++
    this.queue.push(t)
    t.spinBudgetNs = this.budgetOf(this.queue.length - 1)
    return ACQ_SPIN
  }

  private eligible(t: Task): boolean {
    return this.queue[0] === t || this.timedOut.includes(t)
  }

  /** The executing waiter looks at the lock. */
  onSpin(sim: LockHost, t: Task): number {
    if (this.holder === t) return ACQ_OK
    if (this.holder === null && this.eligible(t)) {
      this.take(sim as PmtHost, t)
      return ACQ_OK
    }
    return ACQ_SPIN
  }

  /** The waiter's timeout expired while it spun: it may now compete by test-and-set. */
  onTimeout(sim: LockHost, t: Task): number {
    if (!this.timedOut.includes(t) && this.queue[0] !== t) {
      this.timedOut.push(t)
      sim.cnt[C['pmtlock.timeouts']]++
    }
    return this.onSpin(sim, t)
  }

  private take(sim: PmtHost, t: Task): void {
    const wasHead = this.queue[0] === t
    if (!wasHead) sim.cnt[C['pmtlock.outOfOrder']]++
    this.holder = t
    removeItem(this.queue, t)
    removeItem(this.timedOut, t)
    if (wasHead) this.headAdvanced(sim)
  }

  /** The head ticket moved: every waiter restarts its timeout with its new distance. */
  private headAdvanced(sim: PmtHost): void {
    for (let i = 0; i < this.queue.length; i++) {
      const w = this.queue[i]
      if (this.timedOut.includes(w)) continue
      sim.pmtRearm(w, this.budgetOf(i))
    }
  }

  release(sim: LockHost, _t: Task): void {
    this.holder = null
    const host = sim as PmtHost
    const h = this.queue[0]
    if (h !== undefined && sim.executing(h) && h.spinSince >= 0) {
      this.take(host, h)
      sim.grant(h)
      return
    }
    for (let i = 0; i < this.timedOut.length; i++) {
      const w = this.timedOut[i]
      if (sim.executing(w) && w.spinSince >= 0) {
        this.take(host, w)
        sim.grant(w)
        return
      }
    }
    // else: free until an eligible waiter looks (the head runs again or a timeout fires)
  }
}

function removeItem(a: Task[], t: Task): void {
  const i = a.indexOf(t)
  if (i >= 0) a.splice(i, 1)
}
