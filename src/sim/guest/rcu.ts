/**
 * Tree-RCU grace periods for a non-preemptible guest kernel (CONFIG_PREEMPT=n, the usual server
 * config), after Linux 4.13 kernel/rcu/tree.c at the level of quiescent states:
 *  - rcu_read_lock sections disable preemption; a vCPU passes a quiescent state (QS) at a guest
 *    context switch, when it enters the idle loop (dyntick-idle: halted vCPUs need no QS), or at a
 *    guest scheduler tick while not inside a read-side section (rcu_check_callbacks).
 *  - synchronize_rcu blocks the caller until a grace period that started after the call ends, i.e.
 *    every vCPU that was not idle at GP start has reported a QS. Requests arriving during a GP wait for
 *    the next one (one GP serves all requests queued before it started).
 *  - A vCPU descheduled by the host cannot report: the GP stalls until it runs again. Preempted inside
 *    a read section, it also cannot report at the next tick (RCU reader preemption, ecs-model.md §1.4).
 * Deviations: no callbacks (call_rcu) or kthread costs; QS at ticks is checked by one per-VM event per
 * guest tick while a GP is active (ticks of all vCPUs aligned); FQS/stall-detection is not modelled.
 */
import type { Task, Vcpu } from './entities'

export class RcuState {
  active = false
  startNs = 0
  pending = 0
  waiters: Task[] = []
  nextWaiters: Task[] = []
  tickEvent = -1
}

export interface RcuHost {
  readonly now: number
  readonly cnt: Float64Array
  scheduleGpTick(vmIdx: number): void
  wakeTask(t: Task, waker: Vcpu | null): void
  /** The vCPU is guest-idle (halted or polling with no task). */
  isGuestIdle(v: Vcpu): boolean
  onGpEnd(vmIdx: number, durationNs: number): void
}

export function rcuSynchronize(h: RcuHost, st: RcuState, vmIdx: number, vcpus: readonly Vcpu[], t: Task): void {
  if (!st.active) {
    st.waiters.push(t)
    rcuStartGp(h, st, vmIdx, vcpus)
  } else st.nextWaiters.push(t)
}

function rcuStartGp(h: RcuHost, st: RcuState, vmIdx: number, vcpus: readonly Vcpu[]): void {
  st.active = true
  st.startNs = h.now
  st.pending = 0
  for (const v of vcpus) {
    if (h.isGuestIdle(v)) v.rcuNeedQs = false
    else {
      v.rcuNeedQs = true
      st.pending++
    }
  }
  if (st.pending === 0) rcuEndGp(h, st, vmIdx, vcpus)
  else h.scheduleGpTick(vmIdx)
}

/** A QS from `v` (context switch, idle entry, or tick outside a read section). */
export function rcuReportQs(h: RcuHost, st: RcuState, vmIdx: number, vcpus: readonly Vcpu[], v: Vcpu): void {
  if (!st.active || !v.rcuNeedQs) return
  v.rcuNeedQs = false
  if (--st.pending === 0) rcuEndGp(h, st, vmIdx, vcpus)
}

function rcuEndGp(h: RcuHost, st: RcuState, vmIdx: number, vcpus: readonly Vcpu[]): void {
  st.active = false
  h.onGpEnd(vmIdx, h.now - st.startNs)
  const w = st.waiters
  st.waiters = st.nextWaiters
  st.nextWaiters = []
  for (const t of w) h.wakeTask(t, null)
  if (st.waiters.length > 0) rcuStartGp(h, st, vmIdx, vcpus)
}
