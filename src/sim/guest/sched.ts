/**
 * The guest kernel on its vCPUs (per VM; a non-preemptible Linux 4.13-style guest):
 *  - scheduler: tasks homed on one vCPU each, a FIFO runqueue per vCPU, round-robin at section
 *    boundaries once the task ran `guest.sliceNs` (kernel/sched/core.c __schedule at a preemption point),
 *    try_to_wake_up with a reschedule IPI to an idle (halted or polling) home vCPU;
 *  - the idle loop: do_idle -> default_idle -> HLT (kvm/vcpu.ts), unless a task or interrupt is pending;
 *  - the task program: a workload loop of non-critical work, then one section (lock, RCU read,
 *    synchronize_rcu, IPI / TLB shootdown, sleep) drawn by weight (workloads/index.ts);
 *  - RCU quiescent states at guest context switch, idle entry and guest ticks (guest/rcu.ts,
 *    kernel/rcu/tree.c); IRQs and IPIs through guest/interrupts.ts.
 * Lock acquisition, spinning and critical-section bookkeeping are the next layer (locks/glue.ts).
 * Deviations: no guest task migration between vCPUs, no guest wakeup preemption.
 */
import type { LockBase, Task, Vcpu } from './entities'
import * as ent from './entities'
import * as counters from '../metrics/counters'
import * as evk from '../core/event-kinds'
import * as distMod from '../workloads/dist'
import * as assertMod from '../core/assert'
import * as interrupts from './interrupts'
import type { IrqHost } from './interrupts'
import { rcuReportQs, rcuSynchronize, type RcuHost } from './rcu'
import * as ptypes from '../policies/types'
import { VcpuLayer } from '../kvm/vcpu'
import * as st from '../sim-state'

const { SK_NONE, SK_LOCK, SK_RCU_READ, SK_SYNC_RCU, SK_IPI, fail } = st

const {
  H_RUNNING, H_HALTED, G_STALL, G_TASK, G_IRQ, G_POLL, HR_NONE, HR_IDLE, HR_PVWAIT, GK_IRQ_END, GK_PHASE_END,
  PH_COMPUTE, PH_ACQ, PH_HOLD1, PH_INNER, PH_HOLD2, PH_RCU, PH_IPI_SEND, PH_IPI_WAIT, PH_SLEEP, PH_SYNC_RCU,
  WM_NONE, WM_SLEEP, T_RUNNABLE, T_RUNNING, T_BLOCKED, K_RCU
} = ent
const { C } = counters
const { EV_TASK_TIMER, EV_GP_TICK } = evk
const { sample } = distMod
const { CS_BIT } = ptypes
const simAssert: (cond: unknown, message: string) => asserts cond = assertMod.simAssert
const { startIrq, sendIpis, chooseIpiTargets, LAZY_ALL } = interrupts

export abstract class GuestLayer extends VcpuLayer implements IrqHost, RcuHost {
  // locks/glue.ts
  protected abstract lockAcquire(v: Vcpu, t: Task, lock: LockBase, write: boolean): void
  protected abstract lockRelease(v: Vcpu, t: Task, lock: LockBase, write: boolean): void
  protected abstract csEnter(v: Vcpu, t: Task, k: number, lockName?: string): void
  protected abstract csExit(v: Vcpu, t: Task, k: number, lockName?: string): void
  abstract spinResume(v: Vcpu, t: Task): void
  protected abstract wakeRun(v: Vcpu, t: Task): void
  protected abstract pvWokenResume(v: Vcpu, t: Task): void
  abstract respin(t: Task): void
  protected abstract notifyOwnerStopped(t: Task): void
  abstract executing(t: Task): boolean

  /** The vCPU executes guest code again: pending IRQs first, then the current task or the idle loop. */
  /** @internal (used by guest/interrupts.ts) */
  resumeGuest(v: Vcpu): void {
    if (v.inIrq) {
      v.g = G_IRQ
      v.irqEnd = this.env.now + v.irqRem
      v.gevKind = GK_IRQ_END
      v.gev = this.env.timer(v.id, v.irqEnd)
      return
    }
    if (v.irqDevicePending > 0 || v.ipiQueue.length > 0) {
      startIrq(this, v)
      return
    }
    const hr = v.haltReason
    v.haltReason = HR_NONE
    const t = v.cur
    if (t === null) {
      const next = v.grq.length > 0 ? v.grq.shift()! : null
      if (next === null) {
        if (hr === HR_IDLE) this.cnt[C['vcpu.spuriousWakeups']]++
        this.enterIdle(v)
        return
      }
      this.switchIn(v, next)
      return
    }
    if (hr === HR_PVWAIT) {
      this.pvWokenResume(v, t)
      return
    }
    this.runTask(v, t)
  }

  protected enterIdle(v: Vcpu): void {
    this.cnt[C['guest.idleEntries']]++
    v.g = G_STALL
    this.reportQs(v)
    v.haltReason = HR_IDLE
    this.doHalt(v)
  }

  protected switchIn(v: Vcpu, t: Task): void {
    v.cur = t
    v.inMm = true
    t.state = T_RUNNING
    t.sliceStart = this.env.now
    v.fakePreemptCount = (this.policy.annotate & (CS_BIT.mutex | CS_BIT.rwsem)) ? t.fakeCount : 0
    this.runTask(v, t)
  }

  /** The current task blocks (sleep, sleeping lock, synchronize_rcu): guest context switch. */
  protected guestBlock(v: Vcpu, t: Task): void {
    if (!(v.cur === t)) fail(`task ${t.id} blocks but is not current on vCPU ${v.id}`)
    t.state = T_BLOCKED
    t.blockedSince = this.env.now
    v.cur = null
    v.fakePreemptCount = 0
    this.cnt[C['guest.contextSwitches']]++
    this.notifyOwnerStopped(t)
    this.reportQs(v)
    const next = v.grq.length > 0 ? v.grq.shift()! : null
    if (next) this.switchIn(v, next)
    else this.enterIdle(v)
  }

  /** Guest try_to_wake_up: queue on the home vCPU; an idle (halted/polling) vCPU gets a reschedule IPI. */
  wakeTask(t: Task, waker: Vcpu | null): void {
    if (t.state !== T_BLOCKED) return
    t.state = T_RUNNABLE
    const h = t.home
    h.grq.push(t)
    if (h.cur !== null) {
      // need_resched on the home vCPU: an eCS blocked-waiter spinner there re-checks single_task_running()
      if (h.cur.policySpin) this.respin(h.cur)
      return
    }
    if (h.g === G_POLL || h.hstate === H_HALTED) {
      if (t.phase === PH_ACQ) {
        this.cnt[C['bww.idleWakeups']]++
        if (h.hstate === H_HALTED) this.cnt[C['bww.hostWakeups']]++
      }
      if (waker !== null && waker !== h) {
        this.cnt[C['guest.wakeIpis']]++
        this.cnt[C['vcpu.vmExits']]++
        this.cnt[C['vcpu.exitNs']] += this.ipiSendNs
        if (waker.cur) waker.cur.debtNs += this.ipiSendNs
      }
      this.wakeVcpu(h, false)
    }
  }

  protected runTask(v: Vcpu, t: Task): void {
    v.g = G_TASK
    switch (t.phase) {
      case PH_ACQ:
      case PH_IPI_WAIT:
        if (t.waitMode === WM_SLEEP) this.wakeRun(v, t)
        else this.spinResume(v, t)
        return
      case PH_SLEEP:
        this.cnt[C['guest.sleeps']]++
        this.opDone(v, t)
        return
      case PH_SYNC_RCU:
        this.cnt[C['rcu.syncWaitNs']] += this.env.now - t.waitStart
        this.opDone(v, t)
        return
      default:
        this.startTimed(v, t)
    }
  }

  protected startTimed(v: Vcpu, t: Task): void {
    const rem = t.remaining + t.debtNs
    t.debtNs = 0
    t.phaseEnd = this.env.now + rem
    v.g = G_TASK
    v.gevKind = GK_PHASE_END
    v.gev = this.env.timer(v.id, t.phaseEnd)
  }

  protected phaseEnd(v: Vcpu, t: Task): void {
    t.remaining = 0
    switch (t.phase) {
      case PH_COMPUTE:
        return this.beginSection(v, t)
      case PH_HOLD1:
        return this.lockAcquire(v, t, t.innerLock!, false)
      case PH_INNER:
        this.lockRelease(v, t, t.innerLock!, false)
        t.innerLock = null
        t.phase = PH_HOLD2
        t.remaining = t.holdRestNs
        return this.startTimed(v, t)
      case PH_HOLD2:
        this.lockRelease(v, t, t.outerLock!, t.outerWrite)
        t.outerLock = null
        return this.opDone(v, t)
      case PH_RCU:
        this.csExit(v, t, K_RCU)
        this.cnt[C['rcu.readSections']]++
        return this.opDone(v, t)
      case PH_IPI_SEND:
        return sendIpis(this, v, t)
      default:
        simAssert(false, `task ${t.id}: phase end in phase ${t.phase}`)
    }
  }

  protected opDone(v: Vcpu, t: Task): void {
    t.ops++
    this.vms[t.vmIdx].ops++
    t.section = null
    t.phase = PH_COMPUTE
    t.waitMode = WM_NONE
    t.remaining = sample(t.rng, this.dists[t.vmIdx].compute)
    // guest round-robin at section boundaries
    if (v.grq.length > 0 && this.env.now - t.sliceStart >= this.s.guest.sliceNs) {
      t.state = T_RUNNABLE
      v.grq.push(t)
      v.cur = null
      this.cnt[C['guest.contextSwitches']]++
      this.reportQs(v)
      this.switchIn(v, v.grq.shift()!)
      return
    }
    this.startTimed(v, t)
  }

  protected beginSection(v: Vcpu, t: Task): void {
    const vm = this.vms[t.vmIdx]
    const secs = vm.workload.sections
    if (secs.length === 0) return this.opDone(v, t)
    const cum = vm.cumWeights
    const total = cum[cum.length - 1]
    let i = 0
    if (secs.length > 1) {
      const x = t.rng.nextFloat() * total
      while (i < cum.length - 1 && x >= cum[i]) i++
    }
    const sec = secs[i]
    t.section = sec
    t.sectionIdx = i
    switch (this.dists[t.vmIdx].kind[i]) {
      case SK_NONE:
        return this.opDone(v, t)
      case SK_LOCK: {
        const locks = vm.sectionLocks[i]
        const lock = locks.length === 1 ? locks[0] : locks[t.rng.nextInt(locks.length)]
        const write = this.dists[t.vmIdx].write[i]
        t.outerLock = lock
        t.outerWrite = write
        t.innerLock = null
        return this.lockAcquire(v, t, lock, write)
      }
      case SK_RCU_READ:
        this.csEnter(v, t, K_RCU)
        t.phase = PH_RCU
        t.remaining = sample(t.rng, this.dists[t.vmIdx].hold[t.sectionIdx])
        return this.startTimed(v, t)
      case SK_SYNC_RCU:
        t.phase = PH_SYNC_RCU
        t.waitStart = this.env.now
        rcuSynchronize(this, this.rcu[t.vmIdx], t.vmIdx, vm.vcpus, t)
        if (t.state === T_RUNNING) return this.guestBlock(v, t)
        return
      case SK_IPI: {
        const k = chooseIpiTargets(this, v, t, sec.kind === 'tlb-shootdown' ? this.lazyTlb : LAZY_ALL, sec.targets)
        if (k <= 0) return this.opDone(v, t)
        t.ipiHandlerNs = sample(t.rng, this.dists[t.vmIdx].hold[t.sectionIdx])
        this.cnt[C['ipi.calls']]++
        this.cnt[C['vcpu.vmExits']] += k
        this.cnt[C['vcpu.exitNs']] += k * this.ipiSendNs
        t.phase = PH_IPI_SEND
        t.remaining = k * this.ipiSendNs
        t.ipiPending = k
        return this.startTimed(v, t)
      }
      default:
        t.phase = PH_SLEEP
        this.env.at(this.env.now + sample(t.rng, this.dists[t.vmIdx].hold[t.sectionIdx]), EV_TASK_TIMER, t.id)
        return this.guestBlock(v, t)
    }
  }
  // ------------------------------------------------------------------------------------------
  // RCU
  // ------------------------------------------------------------------------------------------

  protected reportQs(v: Vcpu): void {
    if (v.rcuNeedQs) rcuReportQs(this, this.rcu[v.vmIdx], v.vmIdx, this.vms[v.vmIdx].vcpus, v)
  }

  isGuestIdle(v: Vcpu): boolean {
    return v.cur === null && (v.hstate === H_HALTED || v.g === G_POLL)
  }

  scheduleGpTick(vmIdx: number): void {
    const st = this.rcu[vmIdx]
    if (st.tickEvent >= 0) return
    st.tickEvent = this.env.at(this.env.now + this.guestTickNs, EV_GP_TICK, vmIdx)
  }

  protected onGpTick(vmIdx: number): void {
    const st = this.rcu[vmIdx]
    st.tickEvent = -1
    if (!st.active) return
    const vcpus = this.vms[vmIdx].vcpus
    for (const v of vcpus) {
      if (!v.rcuNeedQs) continue
      if (v.hstate !== H_RUNNING) continue
      if (v.inIrq) continue
      if (v.cur !== null && v.cur.holds[K_RCU] > 0) continue
      rcuReportQs(this, st, vmIdx, vcpus, v)
      if (!st.active) break
    }
    if (st.active) this.scheduleGpTick(vmIdx)
  }

  onGpEnd(vmIdx: number, durationNs: number): void {
    this.cnt[C['rcu.gracePeriods']]++
    this.cnt[C['rcu.gpNs']] += durationNs
    const now = this.env.now
    if (this.tracer && this.tracer.on(now)) this.tracer.add(now, 'gp', -1, vmIdx, -1, undefined, 'rcu', String(durationNs))
  }
}
