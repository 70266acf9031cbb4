/**
 * Host scheduling glue, the scheduler-independent side of kernel/sched/core.c (Linux 4.13): __schedule
 * (put_prev / pick_next / context switch), scheduler_tick on every pCPU (aligned ticks,
 * sched_skew_tick = 0) with the policy's veto gate at the class's tick-time resched decision,
 * try_to_wake_up's placement (select_task_rq_fair -> select_idle_sibling: the previous pCPU if idle,
 * else an idle pCPU of its socket = LLC) and check_preempt_curr, yield_to (core.c: -ESRCH unless the
 * target is runnable and not running; one of the two runqueues has another entity), idle and periodic
 * balancing reduced to pulls (kernel/sched/fair.c idle_balance / load_balance: new-idle pulls respect
 * task_hot = migration_cost, tick-driven pulls do not, as after nr_balance_failed escalation; an
 * underloaded pCPU pulls only from pCPUs with >= 3 runnable), and the host noise kthreads.
 *
 * The scheduling class itself (vruntime, slices, buddies) is behind `HostScheduler` (host/sched-class.ts;
 * CFS 4.13 in host/cfs.ts). vCPU load / put (what KVM does when its thread is switched) is the next
 * layer up (kvm/vcpu.ts), reached through the abstract vcpuLoad / vcpuPut / vcpuBlock.
 *
 * Deviations: no PELT load averages and no periodic load_balance beyond the pulls above; idle pCPUs
 * keep ticking (no NOHZ) and use the tick for the pull.
 */
import type { Vcpu } from '../guest/entities'
import * as ent from '../guest/entities'
import * as counters from '../metrics/counters'
import * as evk from '../core/event-kinds'
import * as distMod from '../workloads/dist'
import { SimState, type NoiseTask } from '../sim-state'
import * as st from '../sim-state'
import type { HostRunqueue, SchedEntity, TickGate } from './sched-class'

const { R_NONE, R_TICK, R_WAKEUP, R_YIELD_TARGET, R_YIELD_SELF, fail } = st

const { H_RUNNABLE, H_HALTED, G_POLL } = ent
const { C } = counters
const { EV_TICK, EV_NOISE_END, EV_NOISE_WAKE, EV_IDLE_EXIT } = evk
const { sample } = distMod

export abstract class HostLayer extends SimState implements TickGate {
  /** kvm_arch_vcpu_load side of a context switch to vCPU `v` (kvm/vcpu.ts). */
  protected abstract vcpuLoad(v: Vcpu, rq: HostRunqueue): void
  /** kvm_arch_vcpu_put side of a context switch away from `v` (kvm/vcpu.ts). */
  protected abstract vcpuPut(v: Vcpu, reason: number, rq: HostRunqueue): void
  /** kvm_vcpu_block -> schedule(): a halt-polling vCPU stops polling and sleeps (kvm/vcpu.ts). */
  protected abstract vcpuBlock(v: Vcpu): void

  protected socketOf(cpu: number): number {
    return Math.floor(cpu / this.perSocket)
  }

  protected updateOverloaded(rq: HostRunqueue): void {
    const o = rq.nrRunning >= 2 ? 1 : 0
    if (o !== this.overloaded[rq.cpu]) {
      this.overloaded[rq.cpu] = o
      this.nOverloaded += o ? 1 : -1
    }
  }

  protected setIdle(cpu: number, idle: boolean): void {
    const pos = this.idlePos[cpu]
    const sock = this.socketOf(cpu)
    const baseIdx = sock * this.perSocket
    if (idle && pos < 0) {
      const p = this.idleCount[sock]++
      this.idleStack[baseIdx + p] = cpu
      this.idlePos[cpu] = p
    } else if (!idle && pos >= 0) {
      const last = --this.idleCount[sock]
      const moved = this.idleStack[baseIdx + last]
      this.idleStack[baseIdx + pos] = moved
      this.idlePos[moved] = pos
      this.idlePos[cpu] = -1
    }
  }

  /** Bring the rq's accounting and curr's runtime up to now. */
  protected sync(rq: HostRunqueue): void {
    this.hs.update(rq, this.env.now)
  }

  /** __schedule on a pCPU: put_prev / pick_next / context switch. */
  protected schedule(rq: HostRunqueue, reason: number): void {
    const now = this.env.now
    this.sync(rq)
    const prev = rq.curr
    const next = this.hs.pickNext(rq, now)
    if (next === prev) return
    if (prev) {
      prev.lastRanNs = now
      this.onSchedOut(prev, reason, rq)
      if (next) this.cnt[C['host.contextSwitches']]++
    }
    if (next) {
      this.setIdle(rq.cpu, false)
      this.idleExitAt[rq.cpu] = -1
      this.onSchedIn(next, rq)
    } else this.becameIdle(rq)
  }

  protected becameIdle(rq: HostRunqueue): void {
    this.setIdle(rq.cpu, true)
    if (this.tracer && this.tracer.on(this.env.now)) this.tracer.add(this.env.now, 'idle', rq.cpu, -1, -1)
    this.pull(rq, true)
  }

  /** Enqueue a waking entity; a halt-polling curr stops polling (single_task_running() false). */
  protected enqueueOn(rq: HostRunqueue, se: SchedEntity): void {
    const c = rq.curr
    if (c && c.id < this.nVcpus) {
      const v = this.vcpus[c.id]
      if (v.g === G_POLL) this.vcpuBlock(v)
    }
    this.hs.enqueue(rq, se)
    this.updateOverloaded(rq)
  }

  /** check_preempt_wakeup (or run it if the pCPU idles: at once, or after the idle exit). */
  protected checkPreemptWakeup(rq: HostRunqueue, se: SchedEntity): void {
    if (rq.curr === null) {
      if (this.idleExitNs > 0) this.leaveIdle(rq)
      else this.schedule(rq, R_NONE)
      return
    }
    this.sync(rq)
    if (this.hs.checkPreemptWakeup(rq, se)) {
      this.cnt[C['host.wakeupPreemptions']]++
      this.schedule(rq, R_WAKEUP)
    }
  }

  /**
   * A task was woken onto an idle pCPU: the pCPU runs it only after its idle exit. try_to_wake_up ->
   * ttwu_queue / ttwu_do_activate -> resched_curr (kernel/sched/core.c) sends the reschedule IPI (idle
   * CPUs that do not poll TIF_NEED_RESCHED, i.e. that halt); the target leaves its idle state
   * (do_idle -> cpuidle_idle_call / default_idle -> HLT in kernel/sched/idle.c) before it calls
   * schedule_idle. The exit latency is `host.costs.idleExitNs`: a C-state exit on bare metal (C1 ~1 us,
   * deeper states tens of us), and on a host that is itself a guest (the measured machine) a HLT exit
   * to, and wake-up by, the outer hypervisor. While the exit is pending the pCPU is not idle for
   * select_idle_sibling (6.x idle_cpu() is false once rq->nr_running or ttwu_pending is set), and
   * whatever else is woken onto it waits for the same exit.
   */
  protected leaveIdle(rq: HostRunqueue): void {
    const cpu = rq.cpu
    this.setIdle(cpu, false)
    if (this.idleExitAt[cpu] >= 0) return
    const at = this.env.now + this.idleExitNs
    this.idleExitAt[cpu] = at
    this.env.at(at, EV_IDLE_EXIT, cpu)
  }

  protected onIdleExit(cpu: number): void {
    if (this.idleExitAt[cpu] !== this.env.now) return // stale: the pCPU ran something in between
    this.idleExitAt[cpu] = -1
    const rq = this.rqs[cpu]
    if (rq.curr === null) this.schedule(rq, R_NONE)
  }

  protected onTickAll(): void {
    this.env.at(this.env.now + this.tickNs, EV_TICK, 0)
    this.tickCount++
    const n = this.rqs.length
    this.regime.tickSlots += n
    for (let cpu = 0; cpu < n; cpu++) this.onTick(cpu)
  }

  protected onTick(cpu: number): void {
    const rq = this.rqs[cpu]
    if (rq.nrRunning > 1) this.regime.multiRunnableTicks++
    const curr = rq.curr
    if (curr === null) {
      if (this.nOverloaded > 0 && this.idleExitAt[cpu] < 0) this.pull(rq, false)
      return
    }
    this.sync(rq)
    this.cnt[C['host.ticks']]++
    if (this.hs.tick(rq, curr, this)) {
      this.cnt[C['host.tickPreemptions']]++
      this.schedule(rq, R_TICK)
    } else if (rq.nrRunning <= 1 && this.nOverloaded > 0 && (this.tickCount & 3) === 0) {
      this.pull(rq, false)
    }
  }

  /**
   * TickGate (host/sched-class.ts): the policy hook at the class's tick-time resched decision, called with
   * nr_running > 1. The eCS patch's kvm_arch_check_schedule flag (kernel/sched/fair.c check_preempt_tick,
   * eCS.patch on 4.13): both preemption conditions are computed first and the flag is ANDed in; the
   * nice-boost variant (set_user_nice, then check_preempt_tick with the new weight) reweights first.
   */
  tickVerdict(rq: HostRunqueue, curr: SchedEntity, wouldPreempt: boolean): boolean {
    let resched = wouldPreempt
    let veto = false
    if (curr.id < this.nVcpus) {
      const v = this.vcpus[curr.id]
      if (v.g !== G_POLL && this.policy.tickWeight !== undefined) {
        // nice-boost variant: set_user_nice, then check_preempt_tick with the new weight
        const w = this.policy.tickWeight(v, resched, this.s.vms[v.vmIdx].weight)
        if (w !== curr.weight) {
          if (w > curr.weight) this.cnt[C['boost.boosts']]++
          this.hs.reweight(rq, curr, w)
          resched = this.hs.wouldPreemptAtTick(rq, curr)
        }
      }
      if (v.g !== G_POLL) {
        this.cnt[C['host.vetoChecks']]++
        if (v.preemptCount > 0) this.cnt[C['host.vcsTicks']]++
        if (v.fakePreemptCount > 0) this.cnt[C['host.fakeVcsTicks']]++
        veto = this.policy.tickVeto(v, resched)
        if (veto) this.cnt[C['host.vetoFlags']]++
        // extra run time granted by vetoes: measured from the first avoided preemption to sched-out
        if (resched && veto && this.vetoFromNs[v.id] < 0) this.vetoFromNs[v.id] = curr.sumExec
      }
    }
    if (resched && veto) {
      this.cnt[C['host.vetoes']]++
      resched = false
    }
    return resched
  }

  /**
   * Idle / periodic balance: pull one queued, movable entity from an overloaded pCPU, same socket
   * first. New-idle pulls respect task_hot (migration_cost); tick-driven pulls do not
   * (nr_balance_failed escalation). An underloaded (nr_running == 1) pCPU only pulls from pCPUs
   * with >= 3 runnable.
   */
  protected pull(rq: HostRunqueue, newIdle: boolean): void {
    if (this.nOverloaded === 0) return
    const now = this.env.now
    const P = this.rqs.length
    const need = rq.nrRunning === 0 ? 2 : 3
    const sock = this.socketOf(rq.cpu)
    const per = this.perSocket
    const base = sock * per
    const start = (rq.cpu + 1) % per
    let best: SchedEntity | null = null
    let src: HostRunqueue | null = null
    // same socket, then the others (bounded scan: at most 2 * per candidates)
    for (let pass = 0; pass < 2 && !best; pass++) {
      const n = pass === 0 ? per : Math.min(P, per * 2)
      for (let k = 0; k < n && !best; k++) {
        const c = pass === 0 ? base + ((start + k) % per) : (base + per + ((rq.cpu + k) % P)) % P
        if (c === rq.cpu || !this.overloaded[c]) continue
        const r = this.rqs[c]
        if (r.nrRunning < need) continue
        for (const e of r.queue) {
          if (e.id < this.nVcpus && this.vcpus[e.id].pinned >= 0) continue
          if (e.id >= this.nVcpus) continue
          if (newIdle && now - e.lastRanNs < this.s.host.cfs.migrationCostNs) continue
          best = e
          src = r
          break
        }
      }
    }
    if (!best || !src) return
    this.sync(src)
    this.migrate(best, src, rq)
    this.cnt[C['host.idlePulls']]++
    if (rq.curr === null) this.schedule(rq, R_NONE)
  }

  protected migrate(se: SchedEntity, src: HostRunqueue, dst: HostRunqueue): void {
    this.sync(dst)
    this.hs.dequeue(src, se)
    this.updateOverloaded(src)
    this.hs.migrated(se, src, dst)
    this.enqueueOn(dst, se)
    this.cnt[C['host.migrations']]++
  }

  /** select_task_rq_fair for a waking vCPU: prev pCPU if idle, else an idle pCPU of its socket, else prev. */
  protected selectCpu(v: Vcpu): number {
    if (v.pinned >= 0) return v.pinned
    return this.idleCpuNear(v.se.cpu)
  }

  /** select_idle_sibling: `prev` if idle, else an idle pCPU of its socket (LLC), else `prev`. */
  protected idleCpuNear(prev: number): number {
    const prq = this.rqs[prev]
    if (prq.curr === null && prq.queue.length === 0) return prev
    const sock = this.socketOf(prev)
    const n = this.idleCount[sock]
    if (n > 0) return this.idleStack[sock * this.perSocket + n - 1]
    return prev
  }

  /** A context switch put `se` on the pCPU: a noise kthread starts (the rest of) its burst; a vCPU thread is loaded. */
  protected onSchedIn(se: SchedEntity, rq: HostRunqueue): void {
    const now = this.env.now
    if (se.id >= this.nVcpus) {
      const n = this.noise[se.id - this.nVcpus]
      this.cnt[C['host.noiseRuns']]++
      n.ev = this.env.at(now + Math.max(0, n.remaining), EV_NOISE_END, se.id - this.nVcpus)
      return
    }
    this.vcpuLoad(this.vcpus[se.id], rq)
  }

  /** `se` stopped running (`reason`: R_*): a noise kthread keeps its remaining burst; a vCPU thread is put. */
  protected onSchedOut(se: SchedEntity, reason: number, rq: HostRunqueue): void {
    if (se.id >= this.nVcpus) {
      const n = this.noise[se.id - this.nVcpus]
      if (n.ev >= 0) {
        this.env.cancel(n.ev)
        n.ev = -1
      }
      n.remaining = Math.max(0, n.remaining - (se.sumExec - se.prevSumExec))
      return
    }
    this.vcpuPut(this.vcpus[se.id], reason, rq)
  }

  /** yield_to(target, preempt=true) -> yield_to_task_fair. Returns 1 on success, -1 on -ESRCH. */
  protected yieldTo(me: Vcpu, u: Vcpu): number {
    this.cnt[C['ple.yieldAttempts']]++
    if (u.hstate !== H_RUNNABLE) return -1
    const rqMe = this.rqs[me.se.cpu]
    const rqT = this.rqs[u.se.cpu]
    if (rqMe.nrRunning === 1 && rqT.nrRunning === 1) return -1
    this.cnt[C['ple.directedYields']]++
    this.hs.yieldTo(rqMe, me.se, rqT, u.se, this.env.now)
    if (rqT !== rqMe) this.schedule(rqT, R_YIELD_TARGET)
    this.schedule(rqMe, R_YIELD_SELF)
    return 1
  }
  // ------------------------------------------------------------------------------------------
  // Host noise kthreads
  // ------------------------------------------------------------------------------------------

  protected onNoiseEnd(n: NoiseTask): void {
    n.ev = -1
    const rq = this.rqs[n.cpu]
    if (!(rq.curr === n.se)) fail('noise end while not running')
    this.sync(rq)
    n.se.lastRanNs = this.env.now
    this.hs.dequeue(rq, n.se)
    this.updateOverloaded(rq)
    if (n.vmIdx >= 0) {
      n.remaining = sample(n.rng, this.emuBurst!)
      this.env.at(this.env.now + Math.max(1, Math.round(n.rng.exp(this.emulatorSleepMeanNs(n.vmIdx)))), EV_NOISE_WAKE, n.se.id - this.nVcpus)
    } else {
      n.remaining = sample(n.rng, this.noiseBurst)
      this.env.at(this.env.now + Math.max(1, sample(n.rng, this.noiseSleep)), EV_NOISE_WAKE, n.se.id - this.nVcpus)
    }
    const next = this.hs.pickNext(rq, this.env.now)
    if (next) this.onSchedIn(next, rq)
    else this.becameIdle(rq)
  }

  /**
   * Emulator thread (host.emulator): the VMM's main-loop thread, which under TCG runs the guest's
   * timers (QEMU: main_loop_wait -> qemu_clock_run_all_timers -> the LAPIC timer callback ->
   * cpu_interrupt -> qemu_cpu_kick) and device emulation. It wakes once per guest tick of each vCPU
   * that is not halted (a NOHZ guest stops the tick of an idle CPU): the sleep until the next wake-up
   * is exponential with mean 1 / (guest HZ * non-halted vCPUs of its VM), drawn when a burst ends.
   * While all its vCPUs halt it has no timer to run: a wake-up then only re-arms (one guest tick
   * later). With in-kernel LAPIC timers (KVM) the main loop is not on this path: absent by default.
   */
  protected nonHalted(vmIdx: number): number {
    let n = 0
    for (const v of this.vms[vmIdx].vcpus) if (v.hstate !== H_HALTED) n++
    return n
  }

  protected emulatorSleepMeanNs(vmIdx: number): number {
    return this.guestTickNs / Math.max(1, this.nonHalted(vmIdx))
  }

  protected onNoiseWake(n: NoiseTask): void {
    if (n.vmIdx >= 0) {
      if (this.nonHalted(n.vmIdx) === 0) {
        this.env.at(this.env.now + this.guestTickNs, EV_NOISE_WAKE, n.se.id - this.nVcpus)
        return
      }
      const cpu = this.idleCpuNear(n.cpu) // placed like any waking thread
      if (cpu !== n.cpu) {
        const old = this.rqs[n.cpu]
        const dst = this.rqs[cpu]
        this.sync(dst)
        this.hs.migrated(n.se, old, dst)
        n.cpu = cpu
      }
    }
    const rq = this.rqs[n.cpu]
    this.sync(rq)
    this.hs.placeWakeup(rq, n.se)
    this.enqueueOn(rq, n.se)
    this.checkPreemptWakeup(rq, n.se)
  }
}
