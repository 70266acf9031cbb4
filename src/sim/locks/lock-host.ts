/**
 * What a lock model needs from the engine (the paravirt layer of qspinlock_paravirt.h, in reverse):
 * the lock models own their queues and ownership; the engine owns time, vCPUs and guest scheduling.
 */
import type { Task, Vcpu } from '../guest/entities'

/** acquire()/onSpin()/onWakeRun() results. */
export const ACQ_SPIN = 0
export const ACQ_OK = 1
export const ACQ_SLEEP = 2

export interface LockHost {
  readonly now: number
  readonly cnt: Float64Array
  /** The task is current on its vCPU and the vCPU is executing it (host RUNNING, guest TASK). */
  executing(t: Task): boolean
  /** owner->on_cpu && !vcpu_is_preempted(owner cpu): the task is current on a vCPU that runs in the host. */
  ownerOnCpu(t: Task): boolean
  /** A spinning waiter now owns the lock: it notices after a cache-line transfer if executing. */
  grant(t: Task): void
  /** Guest try_to_wake_up of a sleeping task (reschedule IPI to an idle vCPU). */
  wakeTask(t: Task, waker: Vcpu | null): void
  /** pv_kick(cpu) of a pv_wait-halted waiter; `from` pays the hypercall. */
  kick(t: Task, from: Task): void
  /** Re-evaluate a spinning, executing waiter (its condition may have changed). */
  respin(t: Task): void
  /** Policy hook: keep a blocked waiter spinning instead of sleeping. */
  policySpins(t: Task, family: 'mutex' | 'rwsem'): boolean
  /** PV spinlocks enabled in the guest (pv_wait/pv_kick). */
  readonly pvSpinlocks: boolean
}
