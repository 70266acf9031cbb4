/**
 * Sleeping mutex with optimistic spinning, after Linux 4.13 kernel/locking/mutex.c
 * (__mutex_lock_common, mutex_optimistic_spin, mutex_spin_on_owner, __mutex_unlock_slowpath) and
 * osq_lock.c. vcpu_is_preempted (arch/x86/kernel/kvm.c, steal_time.preempted) stops spinning on a
 * descheduled owner.
 *
 *   trylock            owner == 0 (and no HANDOFF pending for another waiter) -> owner = me
 *   optimistic spin    owner->on_cpu && !vcpu_is_preempted(owner cpu): spin (osq keeps spinners FIFO);
 *                      stop when the owner's vCPU is preempted or the owner sleeps
 *   sleep              append to wait_list, schedule() (the vCPU may go idle -> HLT)
 *                      [policy hook blockedWaiterSpins: keep spinning instead (eCS §2.5)]
 *   unlock             HANDOFF set -> ownership goes straight to the first waiter; otherwise the first
 *                      executing spinner takes it; a waiter list wakes its top waiter (wake_up_q)
 *   woken waiter       trylock; failure as first waiter sets HANDOFF and sleeps again
 *
 * Deviations: ww_mutex and the MCS osq node mechanics are not modelled (spinners are FIFO); the woken
 * first waiter does not optimistic-spin again before sleeping (it sets HANDOFF instead, which gives
 * it the lock at the next unlock, the same outcome one unlock later).
 *
 * Two other sleeping locks of the guest share this class through `waiters` (SectionSchema.waiters):
 *   MW_SLEEP    a wait queue without spinning or hand-off: fs/locks.c flock_lock_inode() finds a
 *               conflict, locks_insert_block() and locks_lock_inode_wait() sleep on fl_wait;
 *               locks_delete_lock_ctx() -> locks_wake_up_blocks() wakes the blocked requests, which
 *               retry and sleep again if the lock was taken first (often by the releaser itself, which
 *               is still running). Since Linux 5.0 blocked requests form a tree: __locks_insert_block()
 *               queues a request that conflicts with a queued one beneath it, so exclusive waiters form
 *               a chain, an unlock wakes only the first (locks_wake_up_blocks), and when that one gets
 *               the lock, locks_delete_block() -> __locks_wake_up_blocks() wakes the request queued
 *               beneath it, which retries, finds the lock held and sleeps again: one wasted wake-up per
 *               hand-off with two or more waiters (counted as mutex.childWakeups; engine 0.9.0 on).
 *   MW_HANDOFF  FIFO hand-off: every unlock gives ownership to the first waiter and wakes it; with no
 *               waiter the lock is free and the releaser may take it again.
 *   MW_TOKEN    a token ring (the kit's futex benchmark: atomic increment, FUTEX_WAKE one, FUTEX_WAIT
 *               until the word moves past the value the thread wrote; kernel/futex/waitwake.c
 *               futex_wait_setup() returns -EAGAIN when the word already changed, else the thread
 *               sleeps in futex_wait_queue()). A task may do an op only if another task did one since
 *               its own last op (the word it waits for moves only when another thread increments it):
 *               the lock is free and its last releaser is another task, or another task holds it now
 *               (that task's increment already moved the word; the hold stands for the hash bucket's
 *               hb->lock, so the task spins for it). Otherwise it sleeps on the wait list. A release
 *               wakes the first sleeper (futex_wake() -> futex_wake_mark() dequeues one waiter) without
 *               reserving the lock for it: as in the kernel, a running task whose FUTEX_WAIT found the
 *               word moved (-EAGAIN) goes on at once, and the woken one competes when it runs. With two
 *               threads they strictly alternate; one task alone on the lock waits forever, like the
 *               benchmark with one thread. (Until engine 0.9.0 the release handed the lock to the
 *               woken sleeper, so with more than two threads every op waited for a wake-up even when
 *               other threads were running: the measured futex throughput at 1 VM x 4 and x 8 rose with
 *               the vCPU count, 1.5-1.6x the 1 VM x 2 rate, where that model stayed at 1.0.)
 */
import * as lockHost from './lock-host'
import { type LockHost } from './lock-host'
import { F_MUTEX, type LockBase, type Task } from '../guest/entities'
import * as counters from '../metrics/counters'

const { ACQ_OK, ACQ_SLEEP, ACQ_SPIN } = lockHost
const { C } = counters

/** Waiter modes (SectionSchema.waiters): mutex.c spin-then-sleep, wait queue, FIFO hand-off. */
export const MW_SPIN = 0
export const MW_SLEEP = 1
export const MW_HANDOFF = 2
export const MW_TOKEN = 3

export class Mutex implements LockBase {
  readonly family = F_MUTEX
  readonly id: number
  readonly name: string
  owner: Task | null = null
  readonly waitList: Task[] = []
  readonly spinners: Task[] = []
  handoff = false
  /** The last task that released the lock (MW_TOKEN: it may not take it next). */
  lastOwner: Task | null = null
  /** MW_SPIN, MW_SLEEP, MW_HANDOFF or MW_TOKEN. */
  readonly waiters: number
  constructor(id: number, name: string, waiters = MW_SPIN) {
    this.id = id
    this.name = name
    this.waiters = waiters
  }

  private canTake(t: Task): boolean {
    if (this.waiters === MW_TOKEN) return this.owner === null && this.lastOwner !== t
    return this.owner === null && (!this.handoff || this.waitList.length === 0 || this.waitList[0] === t)
  }

  /** MW_TOKEN: another task's op is in progress, so the word has moved: wait for hb->lock spinning. */
  private tokenSpins(t: Task): boolean {
    return this.waiters === MW_TOKEN && this.owner !== null && this.owner !== t
  }

  acquire(sim: LockHost, t: Task): number {
    if (this.canTake(t)) {
      this.owner = t
      return ACQ_OK
    }
    if (this.tokenSpins(t)) {
      t.policySpin = false
      this.spinners.push(t)
      return ACQ_SPIN
    }
    if (this.waiters === MW_SPIN && this.owner !== null && sim.ownerOnCpu(this.owner)) {
      sim.cnt[C['mutex.optSpins']]++
      t.policySpin = false
      this.spinners.push(t)
      return ACQ_SPIN
    }
    return this.blockOrSpin(sim, t)
  }

  private blockOrSpin(sim: LockHost, t: Task): number {
    if (sim.policySpins(t, 'mutex')) {
      sim.cnt[C['mutex.spinInsteadOfSleep']]++
      t.policySpin = true
      if (!this.spinners.includes(t)) this.spinners.push(t)
      return ACQ_SPIN
    }
    sim.cnt[C['mutex.sleeps']]++
    t.policySpin = false
    this.waitList.push(t)
    return ACQ_SLEEP
  }

  onSpin(sim: LockHost, t: Task): number {
    if (this.owner === t) return ACQ_OK
    if (this.canTake(t)) {
      this.owner = t
      removeItem(this.spinners, t)
      sim.cnt[C['mutex.spinAcquired']]++
      return ACQ_OK
    }
    // an eCS policy spinner stays only while its guest runqueue is still single (a wakeup onto its vCPU
    // sets need_resched, which ends the spin loop in __mutex_lock_common)
    if (this.tokenSpins(t) && !t.policySpin) return ACQ_SPIN
    if (t.policySpin && sim.policySpins(t, 'mutex')) return ACQ_SPIN
    if (this.waiters === MW_SPIN && this.owner !== null && sim.ownerOnCpu(this.owner)) return ACQ_SPIN
    if (this.owner !== null && this.owner.home.stPreempted === 1) sim.cnt[C['mutex.ownerPreempted']]++
    removeItem(this.spinners, t)
    return this.blockOrSpin(sim, t)
  }

  onWakeRun(sim: LockHost, t: Task): number {
    t.woken = false
    if (this.owner === t) return ACQ_OK
    if (this.canTake(t)) {
      this.owner = t
      removeItem(this.waitList, t)
      if (this.waiters === MW_SLEEP) {
        // locks_delete_block(t): the request queued beneath t is woken and will find the lock held
        const w = this.waitList[0]
        if (w !== undefined && !w.woken) {
          w.woken = true
          sim.cnt[C['mutex.childWakeups']]++
          sim.wakeTask(w, t.home)
        }
      }
      return ACQ_OK
    }
    if (this.tokenSpins(t)) {
      removeItem(this.waitList, t)
      t.policySpin = false
      this.spinners.push(t)
      return ACQ_SPIN
    }
    if (this.waitList[0] === t && this.waiters === MW_SPIN) this.handoff = true
    removeItem(this.waitList, t)
    // back to sleep at the same position (first)
    if (sim.policySpins(t, 'mutex')) {
      sim.cnt[C['mutex.spinInsteadOfSleep']]++
      t.policySpin = true
      this.spinners.push(t)
      return ACQ_SPIN
    }
    this.waitList.unshift(t)
    return ACQ_SLEEP
  }

  release(sim: LockHost, t: Task): void {
    this.owner = null
    this.lastOwner = t
    if ((this.handoff || this.waiters === MW_HANDOFF) && this.waitList.length > 0) {
      const w = this.waitList.shift()!
      this.handoff = false
      this.owner = w
      sim.cnt[C['mutex.handoffs']]++
      w.granted = true
      if (!w.woken) {
        w.woken = true
        sim.wakeTask(w, t.home)
      }
      return
    }
    this.handoff = false
    for (let i = 0; i < this.spinners.length; i++) {
      const s = this.spinners[i]
      if (sim.executing(s) && s.spinSince >= 0) {
        this.spinners.splice(i, 1)
        this.owner = s
        sim.cnt[C['mutex.spinAcquired']]++
        sim.grant(s)
        break
      }
    }
    if (this.waiters === MW_TOKEN) {
      // futex_wake(nr_wake = 1): the first queued waiter leaves the queue and is woken; no reservation
      const w = this.waitList.shift()
      if (w !== undefined && !w.woken) {
        w.woken = true
        sim.wakeTask(w, t.home)
      }
      return
    }
    if (this.waitList.length > 0) {
      const w = this.waitList[0]
      if (!w.woken) {
        w.woken = true
        sim.wakeTask(w, t.home)
      }
    }
  }

  /** The owner stopped running (vCPU descheduled or task blocked): spinners re-check. */
  ownerStopped(sim: LockHost): void {
    for (let i = this.spinners.length - 1; i >= 0; i--) {
      const s = this.spinners[i]
      if (!s.policySpin && sim.executing(s) && s.spinSince >= 0) sim.respin(s)
    }
  }
}

export function removeItem<T>(a: T[], x: T): void {
  const i = a.indexOf(x)
  if (i >= 0) a.splice(i, 1)
}
