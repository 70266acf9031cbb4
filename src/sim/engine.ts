/**
 * The engine: an 80-pCPU (configurable) KVM host running multi-vCPU guests, as a discrete-event
 * simulation in integer nanoseconds. Model reference: ../shared/ecs-model.md (§4.1, 4.2, 4.8, 5).
 *
 * `Simulation` is the top of the layer chain described in sim-state.ts (state and construction) ->
 * host/host.ts (kernel/sched/core.c glue; the scheduling class behind host/sched-class.ts, CFS 4.13 in
 * host/cfs.ts) -> kvm/vcpu.ts (KVM vCPU lifecycle, PLE) -> guest/sched.ts (guest scheduler, task program,
 * RCU) -> locks/glue.ts (lock hand-off, spinning) -> metrics/stats.ts (statistics, result). This file
 * holds what is left: the initial state at t = 0, the run loop and the dispatch of every event kind.
 */
import type { Scenario } from '../shared/scenario'
import type { Vcpu } from './guest/entities'
import * as ent from './guest/entities'
import * as eq from './core/event-queue'
import * as evk from './core/event-kinds'
import * as distMod from './workloads/dist'
import * as interrupts from './guest/interrupts'
import * as assertMod from './core/assert'
import type { HostPolicy } from './policies/types'
import { StatsLayer } from './metrics/stats'
import * as st from './sim-state'
import * as resultMod from '../shared/result'

const { H_RUNNABLE, H_RUNNING, H_HALTED, PH_ACQ, GK_NONE, GK_PHASE_END, GK_SPIN_TIMER, GK_GRANT, GK_STALL_END, GK_IRQ_END, GK_POLL_END } = ent
const { PRIO_LATE, PRIO_URGENT } = eq
const { EV_TICK, EV_GUEST, EV_WAKE, EV_IRQ, EV_TASK_TIMER, EV_GP_TICK, EV_NOISE_END, EV_NOISE_WAKE, EV_SAMPLE, EV_WARMUP, EV_IDLE_EXIT } = evk
const { sample } = distMod
const { irqArrive, irqEnd } = interrupts
const simAssert: (cond: unknown, message: string) => asserts cond = assertMod.simAssert

export type { VmDists } from './sim-state'

const { R_NONE, FAMILY_KIND } = st
const { CS_KINDS } = resultMod

export class Simulation extends StatsLayer {
  /**
   * @param policyOverride test hook: run with this HostPolicy instead of the registry's `s.policy.id`
   *   (lets a spec exercise the policy hooks without registering a policy).
   */
  constructor(s: Scenario, version: string, trace?: { fromNs: number; toNs: number; maxRecords?: number; snapshot?: boolean }, policyOverride?: HostPolicy) {
    super(s, version, trace, policyOverride)
    this.start()
  }

  // ------------------------------------------------------------------------------------------
  // Setup and run loop
  // ------------------------------------------------------------------------------------------

  protected start(): void {
    const P = this.rqs.length
    // Initial placement: vCPU i on pCPU i mod P (pinned ones on their pCPU), like a fresh fork balance.
    // Initial vruntimes are spread uniformly over one sched_latency (per-vCPU RNG stream): the run
    // starts from VMs that have been running for a while at arbitrary phases. With identical
    // vruntimes and aligned ticks, VMs sharing pCPUs would alternate in lockstep, i.e. be accidentally
    // gang-scheduled, which no real host does.
    //
    // Staggered start (scenario.start, default): the vCPU threads were started at staggered, seeded
    // times before the simulated window opens (VMs boot at different times, their threads are created
    // one by one), so each pCPU is somewhere in the middle of its current slice at t = 0
    // (HostScheduler.startPhase, a share drawn from the running vCPU's stream). With aligned ticks
    // (sched_skew_tick = 0) and a fresh slice on every pCPU at t = 0 instead, every pCPU ends its slices
    // on the same tick for the whole run and a VM's vCPUs are descheduled together (accidental gang
    // scheduling, issue 11). `start.mode = 'in-phase'` keeps that synthetic start (no extra RNG draw).
    const staggered = this.s.start.mode === 'staggered'
    for (const v of this.vcpus) {
      const cpu = v.pinned >= 0 ? v.pinned : v.id % P
      v.hstate = H_RUNNABLE
      v.runnableSince = 0
      this.hs.enqueueInitial(this.rqs[cpu], v.se, v.rng.nextFloat())
    }
    // every task starts with a fresh non-critical work phase
    for (const t of this.tasks) t.remaining = sample(t.rng, this.dists[t.vmIdx].compute)
    for (const n of this.noise) {
      n.remaining = sample(n.rng, n.vmIdx >= 0 ? this.emuBurst! : this.noiseBurst)
      this.hs.enqueue(this.rqs[n.cpu], n.se)
    }
    for (let c = 0; c < P; c++) {
      const rq = this.rqs[c]
      this.updateOverloaded(rq)
      this.schedule(rq, R_NONE)
      // the threads running at t = 0 started their slices at staggered times before the window
      const curr = rq.curr
      if (staggered && curr !== null && curr.id < this.vcpus.length) this.hs.startPhase(rq, curr, this.vcpus[curr.id].rng.nextFloat())
    }
    // Ticks are aligned on all pCPUs (sched_skew_tick = 0): one event per tick period runs every
    // pCPU's scheduler_tick in pCPU order (the same order separate same-time events would have).
    this.env.at(this.tickNs, EV_TICK, 0)
    for (const vm of this.vms) {
      const rate = vm.workload.irq.ratePerSec
      if (rate > 0) for (const v of vm.vcpus) this.env.at(Math.round(v.rng.exp(1e9 / rate)), EV_IRQ, v.id)
    }
    if (this.s.warmupNs > 0) this.env.at(this.s.warmupNs, EV_WARMUP, 0, 0, PRIO_URGENT)
    else this.snapshotBase()
    this.env.at(Math.min(this.s.sampleIntervalNs, this.s.durationNs), EV_SAMPLE, 0, 0, PRIO_LATE)
  }

  /** Run to durationNs; `poll` is called every `every` events and may stop the run (returns true). */
  run(every: number, poll: () => boolean): void {
    this.env.run({ until: this.s.durationNs, pollEvery: every, shouldStop: poll })
  }

  /** Advance to `t` (tests / property checks). */
  runUntil(t: number): void {
    this.env.run({ until: Math.min(t, this.s.durationNs) })
  }

  /**
   * Window-mode trace: the state at the trace start as `state` records, so a timeline knows every lane from the
   * window start (a vCPU that runs through the whole window has no switch in it). Per vCPU: detail
   * `running` (pcpu = the pCPU it is current on; kvm_sched_in happened before the window), `runnable`
   * (on a host runqueue, not running) or `halted` (kvm_vcpu_block), task = its current guest task. Per
   * held critical section (task.holds, by kind): detail `cs` or `cs:<lock name>` (task.heldLocks of that
   * kind), cs = the kind, one record per nesting level.
   * Per task waiting for a lock (phase ACQ): detail `lock-wait:<lock name>`, cs = the kind waited for.
   * Per idle pCPU: vm = vcpu = -1, detail `idle`. Reads state only: the trajectory is unchanged.
   */
  protected traceSnapshot(): void {
    const tr = this.tracer!
    for (const v of this.vcpus) {
      const detail = v.hstate === H_RUNNING ? 'running' : v.hstate === H_HALTED ? 'halted' : 'runnable'
      tr.addState(v.hstate === H_RUNNING ? v.se.cpu : -1, v.vmIdx, v.index, v.cur?.id, undefined, detail)
    }
    for (const task of this.tasks) {
      const v = task.home
      for (let k = 0; k < task.holds.length; k++) {
        if (task.holds[k] === 0) continue
        const names = task.heldLocks.filter((l) => FAMILY_KIND[l.family] === k).map((l) => l.name)
        for (let n = 0; n < task.holds[k]; n++) tr.addState(-1, v.vmIdx, v.index, task.id, CS_KINDS[k], n < names.length ? `cs:${names[n]}` : 'cs')
      }
      if (task.phase === PH_ACQ && task.acqLock) tr.addState(-1, v.vmIdx, v.index, task.id, CS_KINDS[FAMILY_KIND[task.acqLock.family]], `lock-wait:${task.acqLock.name}`)
    }
    for (const rq of this.rqs) if (rq.curr === null) tr.addState(rq.cpu, -1, -1, undefined, undefined, 'idle')
  }

  protected dispatch(kind: number, a: number, b: number): void {
    if (this.snapPending && this.env.now >= this.tracer!.fromNs) {
      this.snapPending = false
      this.tracer!.takeSnapshot()
    }
    switch (kind) {
      case EV_GUEST: return this.onGuestEvent(this.vcpus[a])
      case EV_TICK: return this.onTickAll()
      case EV_WAKE: return this.onVcpuWake(this.vcpus[a])
      case EV_IRQ: return irqArrive(this, this.vcpus[a])
      case EV_TASK_TIMER: return this.wakeTask(this.tasks[a], null)
      case EV_GP_TICK: return this.onGpTick(a)
      case EV_NOISE_END: return this.onNoiseEnd(this.noise[a])
      case EV_NOISE_WAKE: return this.onNoiseWake(this.noise[a])
      case EV_SAMPLE: return this.onSample()
      case EV_WARMUP: return this.snapshotBase()
      case EV_IDLE_EXIT: return this.onIdleExit(a)
      default: simAssert(false, `unknown event kind ${kind} (b=${b})`)
    }
  }

  protected onGuestEvent(v: Vcpu): void {
    const k = v.gevKind
    v.gev = -1
    v.gevKind = GK_NONE
    switch (k) {
      case GK_PHASE_END: return this.phaseEnd(v, v.cur!)
      case GK_SPIN_TIMER: return this.spinTimer(v, v.cur!)
      case GK_GRANT: return this.acquisitionNoticed(v, v.cur!)
      case GK_STALL_END: return this.resumeGuest(v)
      case GK_IRQ_END: return irqEnd(this, v)
      case GK_POLL_END: return this.vcpuBlock(v)
      default: simAssert(false, `vCPU ${v.id}: guest event without kind`)
    }
  }
}
