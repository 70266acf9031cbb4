/**
 * vCPU threads, the KVM side (Linux 4.13 virt/kvm/kvm_main.c, arch/x86/kvm/x86.c, arch/x86/kvm/vmx.c):
 *  - vcpu load / put at host context switches (kvm_arch_vcpu_load / kvm_arch_vcpu_put): steal time,
 *    the steal-time page fields preempted / overloaded (record_steal_time runs on KVM_REQ_STEAL_UPDATE,
 *    which kvm_arch_vcpu_load requests), PLE window reset at sched-in (vmx_sched_in -> shrink_ple_window);
 *  - VM exit + entry cost charged as non-guest time (a stall);
 *  - HLT: kvm_vcpu_halt -> kvm_vcpu_block with halt polling (adaptive halt_poll_ns: grow_halt_poll_ns /
 *    shrink_halt_poll_ns, polling only while single_task_running()) -> schedule() (the thread sleeps);
 *  - wakeups (kvm_vcpu_kick / kvm_vcpu_wake_up, pv_kick = KVM_HC_KICK_CPU: pv_unhalted if the vCPU has
 *    not halted yet) after the host wakeup latency, then try_to_wake_up placement (host/host.ts);
 *  - PLE exits (handle_pause -> grow_ple_window -> kvm_vcpu_on_spin): candidate search in two passes from
 *    last_boosted_vcpu over preempted, non-halted vCPUs with kvm_vcpu_eligible_for_directed_yield, at most
 *    3 failed yield_to attempts, the policy's first pass (eCS: a preempted in-CS vCPU) before it.
 * Deviations: the exit's decision (yield, halt) is taken at the exit instant and its cost charged as a
 * stall after it.
 */
import type { Task, Vcpu } from '../guest/entities'
import * as ent from '../guest/entities'
import * as counters from '../metrics/counters'
import * as evk from '../core/event-kinds'
import { HostLayer } from '../host/host'
import type { HostRunqueue } from '../host/sched-class'
import * as st from '../sim-state'

const { R_BLOCK, R_YIELD_SELF, fail } = st

const {
  H_RUNNING, H_RUNNABLE, H_HALTED, G_OFF, G_STALL, G_TASK, G_IRQ, G_POLL, HR_IDLE, HR_PVWAIT, GK_NONE, GK_PHASE_END, GK_STALL_END, GK_POLL_END
} = ent
const { C } = counters
const { EV_WAKE } = evk

export abstract class VcpuLayer extends HostLayer {
  /** Preemption statistics of a descheduled, still runnable vCPU (metrics/stats.ts). */
  protected abstract accountPreemption(v: Vcpu, reason: number, rq: HostRunqueue): void
  /** The vCPU stopped running its task: lock waiters re-check (locks/glue.ts). */
  protected abstract notifyStopped(v: Vcpu): void
  /** A spinning task stops spinning (locks/glue.ts). */
  abstract spinStop(t: Task): void

  /**
   * kvm_arch_vcpu_load (x86.c) when the vCPU thread is switched in: steal time accrued while runnable,
   * record_steal_time (preempted = 0, overloaded from this runqueue), vmx_sched_in -> shrink_ple_window,
   * the policy's onSchedIn, then the context-switch cost as a stall.
   */
  protected vcpuLoad(v: Vcpu, rq: HostRunqueue): void {
    const now = this.env.now
    if (!(v.hstate === H_RUNNABLE)) fail(`vCPU ${v.id} scheduled in from state ${v.hstate}`)
    v.hstate = H_RUNNING
    this.regime.runChange(v.vmIdx, 1, now)
    if (v.yieldedInSpinLoop) {
      // back from schedule() in yield_to: kvm_vcpu_on_spin ends (in_spin_loop and dy_eligible cleared)
      v.yieldedInSpinLoop = false
      v.inSpinLoop = false
      v.dyEligible = false
    }
    const st = now - v.runnableSince
    v.stealNs += st
    this.cnt[C['vcpu.stealNs']] += st
    this.cnt[C['vcpu.runnableWaits']]++
    if (this.vetoOwed[v.id] !== 0) {
      this.vetoOwed[v.id] = 0
      this.cnt[C['veto.paybackWaits']]++
      this.cnt[C['veto.paybackWaitNs']] += st
      if (now >= this.s.warmupNs) this.vcpuPaybackWaitNs[v.id] += st
    }
    // record_steal_time / kvm_arch_vcpu_load
    v.stPreempted = 0
    v.hostPreempted = false
    v.stOverloaded = rq.nrRunning > 1 ? 1 : 0
    // vmx_sched_in -> shrink_ple_window (shrink = 0: reset to ple_window)
    if (this.pleEnabled) {
      const ple = this.s.host.ple
      if (ple.shrink === 0) v.pleWindowCycles = ple.window
      else v.pleWindowCycles = Math.max(ple.window, Math.floor(v.pleWindowCycles / ple.shrink))
    }
    this.policy.onSchedIn(v)
    if (this.tracer && this.tracer.on(now)) this.tracer.add(now, 'run', rq.cpu, v.vmIdx, v.index, v.cur?.id)
    // host.costs.haltExitNs: the way out of a blocking HLT (0 unless the host profile sets it)
    const haltExit = v.wokeFromHalt ? this.haltExitNs : 0
    v.wokeFromHalt = false
    this.stall(v, this.csNs + haltExit)
  }

  /**
   * kvm_arch_vcpu_put when the vCPU thread is switched out: the guest's progress is saved,
   * steal_time.preempted = 1; blocked (HLT / pv_wait) or still runnable (preempted, counted by cause).
   */
  protected vcpuPut(v: Vcpu, reason: number, rq: HostRunqueue): void {
    const now = this.env.now
    const se = v.se
    if (this.vetoFromNs[v.id] >= 0) {
      const extra = se.sumExec - this.vetoFromNs[v.id]
      this.vetoFromNs[v.id] = -1
      this.cnt[C['veto.extendedStints']]++
      this.cnt[C['veto.extraRunNs']] += extra
      if (now >= this.s.warmupNs) {
        this.vcpuVetoExtraNs[v.id] += extra
      }
      if (reason !== R_BLOCK) this.vetoOwed[v.id] = 1
    }
    this.saveGuest(v)
    v.g = G_OFF
    this.regime.runChange(v.vmIdx, -1, now)
    v.stPreempted = 1
    if (reason === R_BLOCK) {
      if (this.policy.tickWeight !== undefined) {
        // boost variant: reset on block
        v.boosts = 0
        if (se.weight !== this.s.vms[v.vmIdx].weight) this.hs.reweight(rq, se, this.s.vms[v.vmIdx].weight)
      }
      if (v.preemptCount > 0 || v.fakePreemptCount > 0 || (v.cur !== null && v.cur.heldLocks.length > 0)) this.cnt[C['preempt.inCsBlock']]++
      v.hstate = H_HALTED
      v.hostPreempted = false
      if (this.tracer && this.tracer.on(now)) this.tracer.add(now, 'halt', rq.cpu, v.vmIdx, v.index, v.cur?.id, undefined, v.haltReason === HR_PVWAIT ? 'pv_wait' : 'idle')
    } else {
      v.hstate = H_RUNNABLE
      v.hostPreempted = true
      v.runnableSince = now
      if (reason === R_YIELD_SELF) {
        this.cnt[C['preempt.yieldSelf']]++
        if (this.tracer && this.tracer.on(now)) this.tracer.add(now, 'yield', rq.cpu, v.vmIdx, v.index, v.cur?.id)
      } else this.accountPreemption(v, reason, rq)
    }
    this.notifyStopped(v)
  }

  /** Non-guest time on a running vCPU (exit/entry, context switch), then resume the guest. */
  protected stall(v: Vcpu, ns: number): void {
    v.g = G_STALL
    v.stallEnd = this.env.now + ns
    v.gevKind = GK_STALL_END
    v.gev = this.env.timer(v.id, v.stallEnd)
  }

  /** @internal (used by guest/interrupts.ts) */
  saveGuest(v: Vcpu): void {
    const now = this.env.now
    switch (v.g) {
      case G_TASK: {
        const t = v.cur
        if (t === null) break
        if (t.spinSince >= 0) this.spinStop(t)
        else if (v.gevKind === GK_PHASE_END) t.remaining = Math.max(0, t.phaseEnd - now)
        break
      }
      case G_IRQ:
        v.irqRem = Math.max(0, v.irqEnd - now)
        break
      default:
        break
    }
    if (v.gev >= 0) this.env.cancelTimer(v.id)
    v.gev = -1
    v.gevKind = GK_NONE
  }

  /** HLT (guest idle or pv_wait): exit, halt-poll while alone on the pCPU, then block. */
  protected doHalt(v: Vcpu): void {
    const now = this.env.now
    // need_resched (a task became runnable while entering idle), pv_unhalted or a pending interrupt:
    // HLT returns at once
    if (v.kickPending || v.irqDevicePending > 0 || v.ipiQueue.length > 0 || (v.haltReason === HR_IDLE && v.grq.length > 0)) {
      v.kickPending = false
      this.cnt[C['vcpu.vmExits']]++
      this.cnt[C['vcpu.exitNs']] += this.exitNs
      this.stall(v, this.exitNs)
      return
    }
    this.cnt[C['vcpu.halts']]++
    this.cnt[C['vcpu.vmExits']]++
    this.cnt[C['vcpu.exitNs']] += this.exitNs
    v.haltStart = now
    const rq = this.rqs[v.se.cpu]
    if (v.haltPollNs > 0 && rq.nrRunning === 1) {
      v.g = G_POLL
      v.pollStart = now
      v.gevKind = GK_POLL_END
      v.gev = this.env.timer(v.id, now + this.exitNs + v.haltPollNs)
      return
    }
    this.vcpuBlock(v)
  }

  /** kvm_vcpu_block -> schedule(): the vCPU thread sleeps in the host. */
  protected vcpuBlock(v: Vcpu): void {
    const rq = this.rqs[v.se.cpu]
    if (!(rq.curr === v.se)) fail(`vCPU ${v.id} blocks but is not curr on pCPU ${rq.cpu}`)
    this.sync(rq)
    v.se.lastRanNs = this.env.now
    this.onSchedOut(v.se, R_BLOCK, rq)
    this.hs.dequeue(rq, v.se)
    this.updateOverloaded(rq)
    this.cnt[C['vcpu.haltBlocks']]++
    const next = this.hs.pickNext(rq, this.env.now)
    if (next) {
      this.cnt[C['host.contextSwitches']]++
      this.onSchedIn(next, rq)
    } else this.becameIdle(rq)
  }

  /** Wake a halting vCPU (IPI, kick, timer). `kick` = pv_kick semantics (pv_unhalted if not halted yet). */
  /** @internal (used by guest/interrupts.ts) */
  wakeVcpu(v: Vcpu, kick: boolean): void {
    if (v.hstate === H_RUNNING && v.g === G_POLL) {
      if (v.gev >= 0) this.env.cancelTimer(v.id)
      v.gev = -1
      this.cnt[C['vcpu.haltPollSuccess']]++
      this.stall(v, this.exitNs >> 1)
      return
    }
    if (v.hstate === H_HALTED) {
      if (!v.wakePending) {
        v.wakePending = true
        this.env.at(this.env.now + this.wakeLatNs, EV_WAKE, v.id)
      }
      return
    }
    if (kick) v.kickPending = true
  }

  protected onVcpuWake(v: Vcpu): void {
    v.wakePending = false
    if (v.hstate !== H_HALTED) return
    const now = this.env.now
    const hp = this.s.host.haltPoll
    // kvm_vcpu_block: adapt halt_poll_ns from the block time
    const blockNs = now - v.haltStart
    if (hp.maxNs > 0) {
      if (v.haltPollNs > 0 && blockNs > hp.maxNs) v.haltPollNs = hp.shrink === 0 ? 0 : Math.floor(v.haltPollNs / hp.shrink)
      else if (v.haltPollNs < hp.maxNs && blockNs < hp.maxNs) {
        const g = v.haltPollNs * hp.grow
        v.haltPollNs = Math.min(hp.maxNs, g === 0 ? hp.startNs : g)
      }
    } else v.haltPollNs = 0
    this.cnt[C['vcpu.wakeups']]++
    const cpu = this.selectCpu(v)
    const rq = this.rqs[cpu]
    const old = this.rqs[v.se.cpu]
    this.sync(rq)
    if (cpu !== v.se.cpu) {
      this.hs.migrated(v.se, old, rq)
      this.cnt[C['host.migrations']]++
    }
    this.hs.placeWakeup(rq, v.se)
    v.hstate = H_RUNNABLE
    v.hostPreempted = false
    v.runnableSince = now
    v.wokeFromHalt = true
    if (this.tracer && this.tracer.on(now)) this.tracer.add(now, 'wake', cpu, v.vmIdx, v.index)
    this.enqueueOn(rq, v.se)
    this.checkPreemptWakeup(rq, v.se)
  }
  // ------------------------------------------------------------------------------------------
  // PLE and directed yield (kvm_vcpu_on_spin)
  // ------------------------------------------------------------------------------------------

  protected pleExit(v: Vcpu): void {
    const now = this.env.now
    const ple = this.s.host.ple
    this.cnt[C['ple.exits']]++
    this.cnt[C['vcpu.vmExits']]++
    this.cnt[C['vcpu.exitNs']] += this.exitNs
    if (this.tracer && this.tracer.on(now)) this.tracer.add(now, 'ple-exit', v.se.cpu, v.vmIdx, v.index, v.cur?.id, undefined, String(v.pleWindowCycles))
    // grow_ple_window
    if (ple.grow >= 1) {
      const w = ple.grow < ple.window ? v.pleWindowCycles * ple.grow : v.pleWindowCycles + ple.grow
      v.pleWindowCycles = Math.min(w, ple.windowMax)
    }
    v.g = G_STALL
    // kvm_vcpu_on_spin (virt/kvm/kvm_main.c, 4.13): kvm_vcpu_set_in_spin_loop(me, true), the candidate
    // loop, then set_in_spin_loop(me, false) + set_dy_eligible(me, false) -- but a successful
    // kvm_vcpu_yield_to -> yield_to() calls schedule() before returning, so a yielder that is switched
    // out stays in_spin_loop while descheduled, and other spinners' kvm_vcpu_eligible_for_directed_yield
    // skip it every other time. Cleared when it runs again (vcpuLoad).
    v.inSpinLoop = true
    this.directedYield(v)
    if (v.hstate === H_RUNNING) {
      v.inSpinLoop = false
      v.dyEligible = false
    } else v.yieldedInSpinLoop = true
    if (v.hstate === H_RUNNING && v.gev < 0) this.stall(v, this.exitNs)
  }

  protected directedYield(me: Vcpu): boolean {
    const vm = this.vms[me.vmIdx]
    const vcpus = vm.vcpus
    const first = this.policy.pleCandidate(me, vcpus)
    if (first >= 0 && first < vcpus.length && vcpus[first] !== me) {
      if (this.yieldTo(me, vcpus[first]) > 0) {
        vm.lastBoosted = first
        return true
      }
    }
    const last = vm.lastBoosted
    let tries = 3
    let attempts = 0
    const n = vcpus.length
    for (let pass = 0; pass < 2 && tries > 0; pass++) {
      for (let i = pass === 0 ? last + 1 : 0; i < n; i++) {
        if (pass === 1 && i > last) break
        const u = vcpus[i]
        if (!u.hostPreempted || u === me || u.hstate === H_HALTED) continue
        // kvm_vcpu_eligible_for_directed_yield
        const eligible = !u.inSpinLoop || u.dyEligible
        if (u.inSpinLoop) u.dyEligible = !u.dyEligible
        if (!eligible) {
          this.cnt[C['ple.notEligible']]++
          continue
        }
        attempts++
        const r = this.yieldTo(me, u)
        if (r > 0) {
          vm.lastBoosted = i
          return true
        }
        if (r < 0) {
          this.cnt[C['ple.yieldFailures']]++
          if (--tries === 0) break
        }
      }
    }
    if (attempts === 0) this.cnt[C['ple.noCandidate']]++
    return false
  }
}
