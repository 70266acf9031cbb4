/**
 * Reader-writer semaphore, after Linux 4.13 kernel/locking/rwsem-xadd.c (+ rwsem.c):
 *
 *   down_read          no writer and nobody waiting -> readers++; else sleep on wait_list (readers do
 *                      not spin in 4.13)
 *   down_write         free -> writer = me; writer-owned by a running owner (rwsem_can_spin_on_owner,
 *                      vcpu_is_preempted) -> optimistic spin; reader-owned -> no spin; else sleep
 *                      [policy hook blockedWaiterSpins for writers (eCS §2.5)]
 *   up_read/up_write   when the lock becomes free, an executing writer spinner takes it (lock stealing);
 *                      __rwsem_mark_wake: front writer -> wake it (it retries); front readers -> grant
 *                      all readers at the front and wake them
 *
 * Deviations: count arithmetic (RWSEM_ACTIVE_BIAS etc.) is replaced by explicit reader/writer state;
 * downgrade_write is not modelled.
 */
import * as lockHost from './lock-host'
import { type LockHost } from './lock-host'
import { F_RWSEM, type LockBase, type Task } from '../guest/entities'
import * as counters from '../metrics/counters'
import { removeItem } from './mutex'

const { ACQ_OK, ACQ_SLEEP, ACQ_SPIN } = lockHost
const { C } = counters

export class Rwsem implements LockBase {
  readonly family = F_RWSEM
  readonly id: number
  readonly name: string
  readers = 0
  writer: Task | null = null
  readonly waitList: Task[] = []
  readonly spinners: Task[] = []
  constructor(id: number, name: string) {
    this.id = id
    this.name = name
  }

  private free(): boolean {
    return this.writer === null && this.readers === 0
  }

  acquire(sim: LockHost, t: Task, write: boolean): number {
    if (!write) {
      if (this.writer === null && this.waitList.length === 0) {
        this.readers++
        return ACQ_OK
      }
      sim.cnt[C['rwsem.sleeps']]++
      this.waitList.push(t)
      return ACQ_SLEEP
    }
    if (this.free()) {
      this.writer = t
      return ACQ_OK
    }
    if (this.writer !== null && sim.ownerOnCpu(this.writer)) {
      sim.cnt[C['rwsem.optSpins']]++
      t.policySpin = false
      this.spinners.push(t)
      return ACQ_SPIN
    }
    return this.blockOrSpin(sim, t)
  }

  private blockOrSpin(sim: LockHost, t: Task): number {
    if (sim.policySpins(t, 'rwsem')) {
      sim.cnt[C['rwsem.spinInsteadOfSleep']]++
      t.policySpin = true
      if (!this.spinners.includes(t)) this.spinners.push(t)
      return ACQ_SPIN
    }
    sim.cnt[C['rwsem.sleeps']]++
    t.policySpin = false
    this.waitList.push(t)
    return ACQ_SLEEP
  }

  onSpin(sim: LockHost, t: Task): number {
    if (this.writer === t) return ACQ_OK
    if (this.free()) {
      this.writer = t
      removeItem(this.spinners, t)
      return ACQ_OK
    }
    // policy spinner: only while single_task_running() still holds (need_resched ends the busy-wait)
    if (t.policySpin && sim.policySpins(t, 'rwsem')) return ACQ_SPIN
    if (this.writer !== null && sim.ownerOnCpu(this.writer)) return ACQ_SPIN
    if (this.writer !== null && this.writer.home.stPreempted === 1) sim.cnt[C['rwsem.ownerPreempted']]++
    removeItem(this.spinners, t)
    return this.blockOrSpin(sim, t)
  }

  onWakeRun(sim: LockHost, t: Task): number {
    t.woken = false
    if (t.granted) return ACQ_OK // readers are granted by the waker
    if (this.free()) {
      this.writer = t
      removeItem(this.waitList, t)
      return ACQ_OK
    }
    removeItem(this.waitList, t)
    if (sim.policySpins(t, 'rwsem')) {
      sim.cnt[C['rwsem.spinInsteadOfSleep']]++
      t.policySpin = true
      this.spinners.push(t)
      return ACQ_SPIN
    }
    this.waitList.unshift(t)
    return ACQ_SLEEP
  }

  release(sim: LockHost, t: Task, write: boolean): void {
    if (write) this.writer = null
    else this.readers--
    if (!this.free()) return
    for (let i = 0; i < this.spinners.length; i++) {
      const s = this.spinners[i]
      if (sim.executing(s) && s.spinSince >= 0) {
        this.spinners.splice(i, 1)
        this.writer = s
        sim.grant(s)
        break
      }
    }
    this.markWake(sim, t)
  }

  private markWake(sim: LockHost, waker: Task): void {
    const q = this.waitList
    if (q.length === 0) return
    const front = q[0]
    if (front.acqWrite) {
      if (!front.woken) {
        front.woken = true
        sim.wakeTask(front, waker.home)
      }
      return
    }
    if (this.writer !== null) return
    while (q.length > 0 && !q[0].acqWrite) {
      const r = q.shift()!
      this.readers++
      r.granted = true
      r.woken = true
      sim.wakeTask(r, waker.home)
    }
  }

  ownerStopped(sim: LockHost): void {
    for (let i = this.spinners.length - 1; i >= 0; i--) {
      const s = this.spinners[i]
      if (!s.policySpin && sim.executing(s) && s.spinSince >= 0) sim.respin(s)
    }
  }
}
