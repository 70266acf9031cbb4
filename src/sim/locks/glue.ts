/**
 * Lock hand-off and spinning glue (the engine's side of the paravirt lock interface, LockHost in
 * locks/lock-host.ts): acquisition and release on behalf of the running task, critical-section
 * bookkeeping (ground-truth hold counts; the steal-time preempt_count / fake_preempt_count that an
 * annotating policy maintains, eCS.patch), spinning as an interval with events only at hand-off, PLE
 * window expiry, SPIN_THRESHOLD expiry (kernel/locking/qspinlock_paravirt.h pv_wait_node /
 * pv_wait_head_or_lock -> pv_wait = HLT) and wait-early check points (PV_PREV_CHECK_MASK), pv_kick,
 * pmtlock timeouts (drouyang/pmtlock v1.0), sleeping-lock wakeups (kernel/locking/mutex.c, rwsem-xadd.c)
 * and the eCS blocked-waiter-spin hook.
 * Deviation: a spinner notices a hand-off one `costs.cacheLineNs` later, charged as delay in front of
 * its hold phase instead of an event.
 */
import type { LockBase, Task, Vcpu } from '../guest/entities'
import * as ent from '../guest/entities'
import * as counters from '../metrics/counters'
import * as distMod from '../workloads/dist'
import * as resultMod from '../../shared/result'
import type { LockHost } from './lock-host'
import * as lockHost from './lock-host'
import type { PvQspinlock } from './pv-qspinlock'
import type { PmtLock } from './pmtlock'
import type { Qrwlock } from './qrwlock'
import type { Mutex } from './mutex'
import type { Rwsem } from './rwsem'
import * as cfsMod from '../host/cfs'
import { GuestLayer } from '../guest/sched'
import type { AnyLock } from '../sim-state'
import * as st from '../sim-state'

const { KIND_BITS, FAMILY_KIND, fail } = st

const { removeAt } = cfsMod

const {
  H_RUNNING, G_TASK, GK_NONE, GK_SPIN_TIMER, HR_PVWAIT, PH_ACQ, PH_INNER, PH_HOLD1, PH_HOLD2, PH_IPI_WAIT,
  WM_NONE, WM_SPIN, WM_SLEEP, WM_PVHALT, K_MUTEX, K_RWSEM, F_QSPIN, F_QRW, F_MUTEX, F_RWSEM
} = ent
const { C } = counters
const { sample } = distMod
const { CS_KINDS } = resultMod
const { ACQ_OK, ACQ_SLEEP } = lockHost

export abstract class LockLayer extends GuestLayer implements LockHost {
  protected lockAcquire(v: Vcpu, t: Task, lock: LockBase, write: boolean): void {
    t.phase = PH_ACQ
    t.acqLock = lock
    t.acqWrite = write
    t.waitStart = this.env.now
    t.granted = false
    t.contended = false
    t.policySpin = false
    const l = lock as AnyLock
    const r = l.family === F_QSPIN ? (l as PvQspinlock).acquire(this, t) : (l as Qrwlock | Mutex | Rwsem).acquire(this, t, write)
    if (r === ACQ_OK) return this.acquired(v, t)
    t.contended = true
    if (this.tracer && this.tracer.on(this.env.now)) this.tracer.add(this.env.now, 'lock-wait', v.se.cpu, v.vmIdx, v.index, t.id, CS_KINDS[FAMILY_KIND[lock.family]], lock.name)
    if (r === ACQ_SLEEP) {
      t.waitMode = WM_SLEEP
      return this.guestBlock(v, t)
    }
    t.waitMode = WM_SPIN
    if (!(this.pmt && l.family === F_QSPIN)) t.spinBudgetNs = this.thresholdNs // pmtlock: set by the lock
    this.spinResume(v, t)
  }

  protected acquired(v: Vcpu, t: Task): void {
    const lock = t.acqLock!
    const now = this.env.now
    const wait = now - t.waitStart
    const cnt = this.cnt
    cnt[C['lock.acquisitions']]++
    if (t.contended) cnt[C['lock.contended']]++
    cnt[C['lock.waitNs']] += wait
    switch (lock.family) {
      case F_QSPIN: cnt[C['spinlock.waitNs']] += wait; break
      case F_QRW: cnt[C['rwlock.waitNs']] += wait; break
      case F_MUTEX: cnt[C['mutex.waitNs']] += wait; break
      default: cnt[C['rwsem.waitNs']] += wait
    }
    this.hist.add(wait)
    t.waitMode = WM_NONE
    t.granted = false
    t.policySpin = false
    t.acqLock = null
    this.csEnter(v, t, FAMILY_KIND[lock.family], lock.name)
    t.heldLocks.push(lock)
    if (lock === t.innerLock) {
      t.phase = PH_INNER
      t.remaining = t.innerHoldNs
      return this.startTimed(v, t)
    }
    const sec = t.section!
    const hold = sample(t.rng, this.dists[t.vmIdx].hold[t.sectionIdx])
    t.holdStart = now
    const nested = this.vms[t.vmIdx].nestedLocks[t.sectionIdx]
    if (sec.nested && nested && t.rng.nextFloat() < sec.nested.prob) {
      t.innerLock = nested.length === 1 ? nested[0] : nested[t.rng.nextInt(nested.length)]
      t.innerHoldNs = sample(t.rng, this.dists[t.vmIdx].nested[t.sectionIdx]!)
      t.phase = PH_HOLD1
      t.remaining = Math.floor(hold / 2)
      t.holdRestNs = hold - t.remaining
    } else {
      t.phase = PH_HOLD2
      t.remaining = hold
    }
    this.startTimed(v, t)
  }

  protected lockRelease(v: Vcpu, t: Task, lock: LockBase, write: boolean): void {
    this.csExit(v, t, FAMILY_KIND[lock.family], lock.name)
    const held = t.heldLocks
    // lastIndexOf, open-coded (the builtin is a call the optimiser does not inline; held is tiny)
    let i = held.length - 1
    while (i >= 0 && held[i] !== lock) i--
    if (!(i >= 0)) fail(`task ${t.id} releases ${lock.name} it does not hold`)
    if (i === held.length - 1) held.pop()
    else removeAt(held, i)
    const l = lock as AnyLock
    if (l.family === F_QSPIN) (l as PvQspinlock).release(this, t)
    else (l as Qrwlock | Mutex | Rwsem).release(this, t, write)
  }

  /** `lockName`: the lock's name in the trace record's detail (none for RCU read sides and IRQs). */
  protected csEnter(v: Vcpu, t: Task, k: number, lockName?: string): void {
    t.holds[k]++
    if (this.annotate & KIND_BITS[k]) {
      if (k === K_MUTEX || k === K_RWSEM) {
        t.fakeCount++
        v.fakePreemptCount++
      } else v.preemptCount++
    }
    const now = this.env.now
    if (this.tracer && this.tracer.on(now)) this.tracer.add(now, 'cs-enter', v.se.cpu, v.vmIdx, v.index, t.id, CS_KINDS[k], lockName)
  }

  protected csExit(v: Vcpu, t: Task, k: number, lockName?: string): void {
    t.holds[k]--
    if (!(t.holds[k] >= 0)) fail(`task ${t.id}: negative hold count for ${CS_KINDS[k]}`)
    if (this.annotate & KIND_BITS[k]) {
      if (k === K_MUTEX || k === K_RWSEM) {
        t.fakeCount--
        v.fakePreemptCount--
      } else v.preemptCount--
    }
    const now = this.env.now
    if (this.tracer && this.tracer.on(now)) this.tracer.add(now, 'cs-exit', v.se.cpu, v.vmIdx, v.index, t.id, CS_KINDS[k], lockName)
  }

  /** Executing waiter (re)starts spinning: look at the lock, then arm the next spin deadline. */
  /** @internal (used by guest/interrupts.ts) */
  spinResume(v: Vcpu, t: Task): void {
    v.g = G_TASK
    if (t.granted && t.phase === PH_ACQ) return this.acquisitionNoticed(v, t)
    let r: number
    if (t.phase === PH_IPI_WAIT) r = t.ipiPending === 0 ? ACQ_OK : 0
    else {
      const l = t.acqLock as AnyLock
      r = l.onSpin(this, t)
    }
    if (r === ACQ_OK) return this.acquisitionNoticed(v, t)
    if (r === ACQ_SLEEP) {
      t.waitMode = WM_SLEEP
      return this.guestBlock(v, t)
    }
    const now = this.env.now
    t.spinSince = now
    let next = Infinity
    t.pleAt = Infinity
    t.budgetAt = Infinity
    t.earlyAt = Infinity
    if (this.pleEnabled) {
      t.pleAt = now + Math.max(1, Math.round(v.pleWindowCycles / this.ghz))
      next = t.pleAt
    }
    if (this.pvSpinlocks && t.phase === PH_ACQ && t.acqLock!.family === F_QSPIN) {
      const l = t.acqLock as PvQspinlock
      t.budgetAt = now + Math.max(0, t.spinBudgetNs)
      if (t.budgetAt < next) next = t.budgetAt
      if (!t.isHead && this.waitEarly && l.predecessorBlocked(t)) {
        const consumed = Math.max(0, this.thresholdNs - t.spinBudgetNs)
        t.earlyAt = now + (this.earlyPeriodNs - (consumed % this.earlyPeriodNs))
        if (t.earlyAt < next) next = t.earlyAt
      }
    }
    else if (this.pmt && t.phase === PH_ACQ && t.acqLock!.family === F_QSPIN && t.spinBudgetNs < Infinity) {
      // pmtlock: the waiter's timeout (its remaining distance x TIMEOUT_UNIT spin time)
      t.budgetAt = now + Math.max(0, t.spinBudgetNs)
      if (t.budgetAt < next) next = t.budgetAt
    }
    if (next < Infinity) {
      v.gevKind = GK_SPIN_TIMER
      v.gev = this.env.timer(v.id, next)
    }
  }

  /** @internal (used by guest/interrupts.ts) */
  spinStop(t: Task): void {
    if (t.spinSince < 0) return
    const el = this.env.now - t.spinSince
    this.cnt[C['lock.spinNs']] += el
    t.spinBudgetNs -= el
    t.spinSince = -1
    const v = t.home
    if (v.gev >= 0 && v.gevKind === GK_SPIN_TIMER) {
      this.env.cancelTimer(v.id)
      v.gev = -1
      v.gevKind = GK_NONE
    }
  }

  protected spinTimer(v: Vcpu, t: Task): void {
    const now = this.env.now
    const budgetHit = t.budgetAt <= now
    const earlyHit = t.earlyAt <= now
    const pleHit = t.pleAt <= now
    this.spinStop(t)
    if (budgetHit && this.pmt && t.acqLock !== null && t.acqLock.family === F_QSPIN) return this.pmtTimeout(v, t)
    if (budgetHit || earlyHit) return this.pvWaitHalt(v, t, earlyHit && !budgetHit)
    if (pleHit) return this.pleExit(v)
    this.spinResume(v, t)
  }

  /** pmtlock: the waiter's timeout expired; it competes by test-and-set from now on. */
  protected pmtTimeout(v: Vcpu, t: Task): void {
    t.spinBudgetNs = Infinity
    if ((t.acqLock as PmtLock).onTimeout(this, t) === ACQ_OK) return this.acquisitionNoticed(v, t)
    this.spinResume(v, t)
  }

  /** @internal pmtlock head advanced: restart the waiter's timeout with its new distance. */
  pmtRearm(t: Task, budgetNs: number): void {
    if (this.executing(t) && t.spinSince >= 0) {
      this.spinStop(t)
      t.spinBudgetNs = budgetNs
      this.spinResume(t.home, t)
    } else t.spinBudgetNs = budgetNs
  }

  /** pv_wait_node / pv_wait_head_or_lock gives up spinning: HLT until kicked. */
  protected pvWaitHalt(v: Vcpu, t: Task, early: boolean): void {
    const l = t.acqLock as PvQspinlock
    if (l.onSpin(this, t) === ACQ_OK) return this.acquisitionNoticed(v, t)
    if (early && !l.predecessorBlocked(t)) {
      t.spinBudgetNs = Math.max(t.spinBudgetNs, 1)
      return this.spinResume(v, t)
    }
    this.cnt[C['pvlock.halts']]++
    if (early) this.cnt[C['pvlock.waitEarly']]++
    l.pvWait(t)
    t.waitMode = WM_PVHALT
    t.spinBudgetNs = this.thresholdNs
    const succ = l.successor(t)
    if (succ) this.respin(succ)
    v.haltReason = HR_PVWAIT
    this.doHalt(v)
  }

  protected pvWokenResume(v: Vcpu, t: Task): void {
    v.g = G_TASK
    if (t.waitMode !== WM_PVHALT) return this.runTask(v, t)
    const l = t.acqLock as PvQspinlock
    t.waitMode = WM_SPIN
    const r = l.pvWoken(this, t)
    if (r === ACQ_OK) return this.acquisitionNoticed(v, t)
    if (!t.isHead) this.cnt[C['pvlock.spuriousWakeups']]++
    this.spinResume(v, t)
  }

  protected acquisitionNoticed(v: Vcpu, t: Task): void {
    v.g = G_TASK
    t.spinSince = -1
    if (t.phase === PH_IPI_WAIT) {
      this.cnt[C['ipi.waitNs']] += this.env.now - t.waitStart
      t.waitMode = WM_NONE
      t.granted = false
      return this.opDone(v, t)
    }
    this.acquired(v, t)
  }

  /** A sleeping lock waiter runs again after its wakeup. */
  protected wakeRun(v: Vcpu, t: Task): void {
    const l = t.acqLock as Mutex | Rwsem
    const r = l.onWakeRun(this, t)
    if (r === ACQ_OK) return this.acquired(v, t)
    if (r === ACQ_SLEEP) return this.guestBlock(v, t)
    t.waitMode = WM_SPIN
    this.spinResume(v, t)
  }
  // ------------------------------------------------------------------------------------------
  // LockHost
  // ------------------------------------------------------------------------------------------

  executing(t: Task): boolean {
    const v = t.home
    return v.cur === t && v.hstate === H_RUNNING && v.g === G_TASK
  }

  ownerOnCpu(t: Task): boolean {
    const v = t.home
    return v.cur === t && v.hstate === H_RUNNING
  }

  grant(t: Task): void {
    t.granted = true
    const v = t.home
    if (this.executing(t) && t.spinSince >= 0) {
      this.spinStop(t)
      // The waiter notices the hand-off one cache-line transfer later; instead of an event for that,
      // the transfer is charged as a delay in front of its hold phase (saves one event per contended op).
      t.debtNs += this.cacheLineNs
      this.acquired(v, t)
    }
  }

  kick(t: Task, from: Task): void {
    from.debtNs += this.kickNs
    this.cnt[C['vcpu.vmExits']]++
    this.cnt[C['vcpu.exitNs']] += this.kickNs
    const now = this.env.now
    const v = t.home
    if (this.tracer && this.tracer.on(now)) this.tracer.add(now, 'kick', v.se.cpu, v.vmIdx, v.index, t.id)
    this.wakeVcpu(v, true)
  }

  respin(t: Task): void {
    if (this.executing(t) && t.spinSince >= 0) {
      this.spinStop(t)
      this.spinResume(t.home, t)
    }
  }

  policySpins(t: Task, family: 'mutex' | 'rwsem'): boolean {
    const v = t.home
    const hostNr = this.rqs[v.se.cpu].nrRunning
    const spin = this.policy.blockedWaiterSpins(v, (v.cur ? 1 : 0) + v.grq.length, family, hostNr)
    if (spin && hostNr > 1) this.cnt[C['bww.spinWhileOverloaded']]++
    return spin
  }

  /** The vCPU stopped running its task: optimistic spinners on its locks and its MCS successor re-check. */
  protected notifyStopped(v: Vcpu): void {
    const t = v.cur
    if (!t) return
    this.notifyOwnerStopped(t)
    if (t.inQueue && t.qnext) this.respin(t.qnext)
  }

  protected notifyOwnerStopped(t: Task): void {
    const held = t.heldLocks
    for (let i = 0; i < held.length; i++) {
      const l = held[i]
      if (l.family === F_MUTEX) (l as Mutex).ownerStopped(this)
      else if (l.family === F_RWSEM) (l as Rwsem).ownerStopped(this)
    }
  }
}
