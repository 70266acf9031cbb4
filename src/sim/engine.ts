/**
 * The engine: an 80-pCPU (configurable) KVM host running multi-vCPU guests, as a discrete-event
 * simulation in integer nanoseconds. Model reference: ../shared/ecs-model.md (§4.1, 4.2, 4.8, 5).
 *
 * Layers and their kernel sources (Linux 4.13 / KVM):
 *  - host CFS per pCPU (host/cfs.ts; kernel/sched/fair.c, core.c): tick at HZ with check_preempt_tick
 *    (+ policy veto), wakeup preemption, yield_to with next/skip buddies, wake placement on an idle pCPU
 *    of the same socket (select_idle_sibling, LLC = socket), new-idle and periodic pulls.
 *  - vCPU threads (virt/kvm/kvm_main.c, arch/x86/kvm/x86.c, vmx.c): HLT -> halt polling (adaptive
 *    halt_poll_ns, only while single_task_running) -> block; kick/IPI -> wakeup after wakeLatencyNs;
 *    steal-time page fields preempted / preempt_count / fake_preempt_count / overloaded maintained at
 *    vcpu_put / vcpu_load; VM exit+entry cost charged as non-guest time; PLE exits after ple_window
 *    cycles of continuous spinning, window grow on exit / reset at sched-in, kvm_vcpu_on_spin
 *    candidate search (2 passes from last_boosted_vcpu, preempted && !halted && dy_eligible, 3 failures).
 *  - guest (per VM): tasks homed on vCPUs, per-vCPU runqueue, idle -> HLT, wakeups via reschedule IPI;
 *    locks in locks/*.ts, RCU in guest/rcu.ts, IRQ/softirq and synchronous IPIs here.
 *
 * Deviations from the spec (all also noted at the code):
 *  - guest tasks never migrate between vCPUs and the guest scheduler is round-robin at section
 *    boundaries (sliceNs) without guest wakeup preemption;
 *  - the exit cost of a PLE exit / HLT / IPI is charged as a stall around the decision, the decision
 *    itself (directed yield, halt) is taken at the exit instant;
 *  - host ticks of all pCPUs are aligned (sched_skew_tick=0, the default); idle pCPUs keep ticking
 *    (instead of NOHZ) and use the tick for idle balancing;
 *  - periodic load balancing is reduced to pulls by idle/underloaded pCPUs (no PELT load averages);
 *  - interrupts are never disabled around spinlocks (no spin_lock_irqsave modelling).
 */
import type { Scenario, Workload } from '../shared/scenario'
import type { SimResult, CsKind } from '../shared/result'
import * as resultMod from '../shared/result'
import { Environment } from './core/environment'
import * as eq from './core/event-queue'
import * as evk from './core/event-kinds'
import * as distMod from './workloads/dist'
import type { CDist } from './workloads/dist'
import * as interrupts from './guest/interrupts'
import { Rng, streamKey } from './core/rng'
import { Tracer } from './core/trace'
import * as assertMod from './core/assert'
import { CfsRq, SchedEntity, removeAt, type CfsTunables } from './host/cfs'
import { Task, Vcpu, type VmState, type LockBase } from './guest/entities'
import * as ent from './guest/entities'
import type { LockHost } from './locks/lock-host'
import * as lockHost from './locks/lock-host'
import { PvQspinlock } from './locks/pv-qspinlock'
import { PmtLock, PMT_TIMEOUT_UNIT_ITERS } from './locks/pmtlock'
import { Qrwlock } from './locks/qrwlock'
import { Mutex } from './locks/mutex'
import { Rwsem } from './locks/rwsem'
import { RcuState, rcuReportQs, rcuSynchronize, type RcuHost } from './guest/rcu'
import * as counters from './metrics/counters'
import { Log2Histogram } from './metrics/histogram'
import { workloadOf } from './scenario/resolve'
import { findPolicy } from './policies/registry'
import type { HostPolicy } from './policies/types'
import * as ptypes from './policies/types'

// Imported constants are copied into module-local consts: module bindings compiled to CommonJS are
// getters, which would cost a call per access on the hot path.
const {
  H_RUNNING, H_RUNNABLE, H_HALTED, G_OFF, G_STALL, G_TASK, G_IRQ, G_POLL,
  HR_NONE, HR_IDLE, HR_PVWAIT, GK_NONE, GK_PHASE_END, GK_SPIN_TIMER, GK_GRANT, GK_STALL_END,
  GK_IRQ_END, GK_POLL_END, PH_COMPUTE, PH_ACQ, PH_HOLD1, PH_INNER, PH_HOLD2, PH_RCU,
  PH_IPI_SEND, PH_IPI_WAIT, PH_SLEEP, PH_SYNC_RCU, WM_NONE, WM_SPIN, WM_SLEEP, WM_PVHALT,
  T_RUNNABLE, T_RUNNING, T_BLOCKED, K_SPIN, K_RWLOCK, K_MUTEX, K_RWSEM, K_RCU,
  K_IRQ, F_QSPIN, F_QRW, F_MUTEX, F_RWSEM
} = ent
const { C, N_COUNTERS, countersToRecord } = counters
const simAssert: (cond: unknown, message: string) => asserts cond = assertMod.simAssert
/** Hot-path form of simAssert: the message template is only built when the check fails. */
function fail(message: string): never {
  throw new assertMod.SimInvariantError(message)
}
const { ACQ_OK, ACQ_SLEEP } = lockHost
const { CS_BIT } = ptypes
const { CS_KINDS } = resultMod
const { PRIO_LATE, PRIO_URGENT } = eq
const { EV_TICK, EV_GUEST, EV_WAKE, EV_IRQ, EV_TASK_TIMER, EV_GP_TICK, EV_NOISE_END, EV_NOISE_WAKE, EV_SAMPLE, EV_WARMUP } = evk
const { sample, compileDist } = distMod
const { irqArrive, irqEnd, startIrq, sendIpis } = interrupts


// Sched-out reasons
const R_NONE = 0
const R_TICK = 1
const R_WAKEUP = 2
const R_YIELD_TARGET = 3
const R_YIELD_SELF = 4
const R_BLOCK = 5

const KIND_BITS = [CS_BIT.spinlock, CS_BIT.rwlock, CS_BIT.mutex, CS_BIT.rwsem, CS_BIT.rcu, CS_BIT.irq]
const FAMILY_KIND = [K_SPIN, K_RWLOCK, K_MUTEX, K_RWSEM]

type AnyLock = PvQspinlock | PmtLock | Qrwlock | Mutex | Rwsem

class NoiseTask {
  readonly se: SchedEntity
  readonly cpu: number
  readonly rng: Rng
  remaining = 0
  ev = -1
  constructor(se: SchedEntity, cpu: number, rng: Rng) {
    this.se = se
    this.cpu = cpu
    this.rng = rng
  }
}

/** Per-VM compiled distributions. */
export interface VmDists {
  compute: CDist; hold: CDist[]; nested: (CDist | null)[]; irqHandler: CDist; irqSoft: CDist; kind: number[]
  /** per section: a write acquisition (rwlock-write / rwsem-write) */
  write: boolean[]
}

// Section kinds as numbers (the hot path switches on these, not on strings)
const SK_NONE = 0
const SK_LOCK = 1
const SK_RCU_READ = 2
const SK_SYNC_RCU = 3
const SK_IPI = 4
const SK_SLEEP = 5
function sectionKindCode(kind: string): number {
  switch (kind) {
    case 'spinlock':
    case 'mutex':
    case 'rwlock-read':
    case 'rwsem-read':
    case 'rwlock-write':
    case 'rwsem-write': return SK_LOCK
    case 'rcu-read': return SK_RCU_READ
    case 'synchronize-rcu': return SK_SYNC_RCU
    case 'ipi':
    case 'tlb-shootdown': return SK_IPI
    case 'sleep': return SK_SLEEP
    default: return SK_NONE
  }
}

export class Simulation implements LockHost, RcuHost {
  readonly env: Environment
  readonly cnt = new Float64Array(N_COUNTERS)
  readonly s: Scenario
  private readonly version: string
  readonly policy: HostPolicy
  private readonly tun: CfsTunables
  readonly rqs: CfsRq[]
  readonly vcpus: Vcpu[] = []
  readonly vms: VmState[] = []
  readonly tasks: Task[] = []
  private readonly noise: NoiseTask[] = []
  private readonly ents: SchedEntity[] = []
  private readonly rcu: RcuState[] = []
  /** @internal */ readonly dists: VmDists[] = []
  private readonly noiseBurst: CDist
  private readonly noiseSleep: CDist
  readonly locks: AnyLock[] = []
  /** @internal */ readonly tracer: Tracer | null
  private readonly hist = new Log2Histogram(40)
  // derived constants (ns)
  private readonly tickNs: number
  private readonly ghz: number
  private readonly exitNs: number
  /** @internal */ readonly ipiSendNs: number
  private readonly kickNs: number
  /** @internal */ readonly cacheLineNs: number
  private readonly csNs: number
  private readonly wakeLatNs: number
  private readonly spinIterNs: number
  private readonly thresholdNs: number
  private readonly earlyPeriodNs: number
  /** guest.waitEarlyMask > 0: pv_wait_node checks the predecessor (PV_PREV_CHECK_MASK) */
  private readonly waitEarly: boolean
  private readonly guestTickNs: number
  readonly pleEnabled: boolean
  readonly pvSpinlocks: boolean
  /** Guest spinlocks are preemptable ticket locks (policy `pmtlock`): no pv_wait halting. */
  private readonly pmt: boolean
  /** policy.annotate, copied (read on every section entry / exit). */
  private readonly annotate: number
  private readonly perSocket: number
  // idle pCPU sets per socket (stack + position)
  private readonly idleStack: Int32Array
  private readonly idlePos: Int32Array
  private readonly idleCount: Int32Array
  private nOverloaded = 0
  private readonly overloaded: Uint8Array
  private tickCount = 0
  private readonly nVcpus: number
  // statistics
  private readonly vmPreempt: Float64Array
  private readonly vmInCs: Float64Array
  private readonly byKind = new Float64Array(6)
  private lockHolder = 0
  private lockWaiter = 0
  private base: {
    cnt: Float64Array; hist: Float64Array; vmOps: number[]; sumExec: number[]; steal: number[]; busy: number[]; idle: number[]
    byKind: Float64Array; lockHolder: number; lockWaiter: number; vmPreempt: Float64Array; vmInCs: Float64Array
  } | null = null
  private readonly seriesT: number[] = []
  private readonly seriesOps: number[][]
  private readonly seriesPre: number[][]
  private readonly seriesInCs: number[][]
  private readonly lastOps: number[]
  private readonly lastPre: Float64Array
  private readonly lastInCs: Float64Array
  /** @internal */ readonly scratch: Int32Array
  // veto cost accounting (per vCPU): sum_exec at the first avoided tick preemption of this run stint
  // (-1: none), and whether the next sched-in follows a veto-extended stint (CFS pay-back wait)
  private readonly vetoFromNs: Float64Array
  private readonly vetoOwed: Uint8Array
  /** Per vCPU (measured window): extra run time vetoes granted (summed per VM in the result), and the runnable waits that directly followed. */
  private readonly vcpuVetoExtraNs: Float64Array
  private readonly vcpuPaybackWaitNs: Float64Array

  /**
   * @param policyOverride test hook: run with this HostPolicy instead of the registry's `s.policy.id`
   *   (lets a spec exercise the policy hooks without registering a policy).
   */
  /** Window-mode trace: the state snapshot at the trace start is still owed (checked once per event while true). */
  private snapPending = false

  constructor(s: Scenario, version: string, trace?: { fromNs: number; toNs: number; maxRecords?: number; snapshot?: boolean }, policyOverride?: HostPolicy) {
    this.s = s
    this.version = version
    this.env = new Environment()
    this.env.setDispatch((k, a, b) => this.dispatch(k, a, b))
    const h = s.host
    if (policyOverride) this.policy = policyOverride
    else {
      const def = findPolicy(s.policy.id)
      simAssert(def, `unknown policy ${s.policy.id}`)
      this.policy = def.create(s.policy.params, { pleGap: h.ple.gap })
    }
    this.tun = { latencyNs: h.cfs.latencyNs, minGranularityNs: h.cfs.minGranularityNs, wakeupGranularityNs: h.cfs.wakeupGranularityNs }
    this.tracer = trace ? new Tracer(trace.fromNs, trace.toNs, trace.maxRecords, trace.snapshot ? () => this.traceSnapshot() : null) : null
    this.snapPending = !!trace?.snapshot
    this.ghz = h.cpuGhz
    this.tickNs = Math.round(1e9 / h.hz)
    this.exitNs = Math.round(h.costs.vmExitCycles / this.ghz)
    this.ipiSendNs = Math.round(h.costs.ipiSendCycles / this.ghz)
    this.kickNs = Math.round(h.costs.kickCycles / this.ghz)
    this.cacheLineNs = h.costs.cacheLineNs
    this.csNs = h.costs.contextSwitchNs
    this.wakeLatNs = h.costs.wakeLatencyNs
    this.spinIterNs = s.guest.spinIterCycles / this.ghz
    this.thresholdNs = Math.round(s.guest.spinThreshold * this.spinIterNs)
    this.earlyPeriodNs = Math.max(1, Math.round((s.guest.waitEarlyMask + 1) * this.spinIterNs))
    this.waitEarly = s.guest.waitEarlyMask > 0
    this.guestTickNs = Math.round(1e9 / s.guest.hz)
    this.pleEnabled = this.policy.pleEnabled && h.ple.gap > 0
    this.pmt = this.policy.spinlock === 'pmtlock'
    this.annotate = this.policy.annotate
    this.pvSpinlocks = s.guest.pvSpinlocks && !this.pmt
    this.perSocket = h.pcpus / h.sockets
    this.rqs = Array.from({ length: h.pcpus }, (_, i) => new CfsRq(i))
    this.idleStack = new Int32Array(h.pcpus)
    this.idlePos = new Int32Array(h.pcpus).fill(-1)
    this.idleCount = new Int32Array(h.sockets)
    this.overloaded = new Uint8Array(h.pcpus)

    // --- VMs, vCPUs, tasks, locks
    let vcpuId = 0
    let maxVcpus = 1
    s.vms.forEach((vmCfg, vmIdx) => {
      const w: Workload = workloadOf(vmCfg.workload)
      const vcpus: Vcpu[] = []
      for (let i = 0; i < vmCfg.vcpus; i++) {
        const se = new SchedEntity(vcpuId, vmCfg.weight)
        const pinned = vmCfg.pinning ? vmCfg.pinning[i] : -1
        const v = new Vcpu(vcpuId, vmIdx, i, se, new Rng(s.seed, streamKey(1, vmIdx, i)), pinned)
        v.pleWindowCycles = h.ple.window
        vcpus.push(v)
        this.vcpus.push(v)
        this.ents.push(se)
        vcpuId++
      }
      maxVcpus = Math.max(maxVcpus, vmCfg.vcpus)
      const tasks: Task[] = []
      for (let i = 0; i < vmCfg.vcpus; i++) {
        for (let j = 0; j < w.tasksPerVcpu; j++) {
          const t = new Task(this.tasks.length, vmIdx, vcpus[i], new Rng(s.seed, streamKey(2, vmIdx, i * 64 + j)))
          tasks.push(t)
          this.tasks.push(t)
          vcpus[i].tasks.push(t)
          vcpus[i].grq.push(t)
        }
      }
      // lock classes: family + name share instances within a VM
      const classes = new Map<string, LockBase[]>()
      const getClass = (family: number, name: string, n: number): LockBase[] => {
        const key = `${family}:${name}`
        let arr = classes.get(key)
        if (!arr) {
          arr = []
          for (let k = 0; k < n; k++) arr.push(this.newLock(family, `${vmCfg.name}/${name}#${k}`))
          classes.set(key, arr)
        }
        return arr
      }
      const sectionLocks: LockBase[][] = []
      const nestedLocks: (LockBase[] | null)[] = []
      const cum: number[] = []
      let acc = 0
      for (const sec of w.sections) {
        acc += sec.weight
        cum.push(acc)
        const fam = familyOf(sec.kind)
        sectionLocks.push(fam >= 0 ? getClass(fam, sec.lock, sec.instances) : [])
        nestedLocks.push(sec.nested && fam >= 0 ? getClass(F_QSPIN, sec.nested.lock, sec.nested.instances) : null)
      }
      this.vms.push({
        idx: vmIdx, name: vmCfg.name, workload: w, workloadName: typeof vmCfg.workload === 'string' ? vmCfg.workload : (w.title ?? 'custom'),
        vcpus, tasks, cumWeights: cum, sectionLocks, nestedLocks, lastBoosted: -1, ops: 0
      })
      this.rcu.push(new RcuState())
      this.dists.push({
        compute: compileDist(w.computeNs),
        hold: w.sections.map((x) => compileDist(x.holdNs)),
        nested: w.sections.map((x) => (x.nested ? compileDist(x.nested.holdNs) : null)),
        irqHandler: compileDist(w.irq.handlerNs),
        irqSoft: compileDist(w.irq.softirqNs),
        kind: w.sections.map((x) => sectionKindCode(x.kind)),
        write: w.sections.map((x) => x.kind === 'rwlock-write' || x.kind === 'rwsem-write')
      })
    })
    this.nVcpus = vcpuId
    // each vCPU has at most one pending guest event (v.gev): a per-vCPU timer dispatched as EV_GUEST
    this.env.initTimers(vcpuId, EV_GUEST)
    this.vetoFromNs = new Float64Array(vcpuId).fill(-1)
    this.vetoOwed = new Uint8Array(vcpuId)
    this.vcpuVetoExtraNs = new Float64Array(vcpuId)
    this.vcpuPaybackWaitNs = new Float64Array(vcpuId)
    this.noiseBurst = compileDist(h.noise.burstNs)
    this.noiseSleep = compileDist(h.noise.sleepNs)
    this.scratch = new Int32Array(maxVcpus)
    // --- noise threads (per pCPU kthreads, pinned)
    for (let c = 0; c < h.pcpus; c++) {
      for (let j = 0; j < h.noise.tasksPerPcpu; j++) {
        const se = new SchedEntity(this.ents.length, 1024)
        this.ents.push(se)
        this.noise.push(new NoiseTask(se, c, new Rng(s.seed, streamKey(3, c, j))))
      }
    }
    const nVm = s.vms.length
    this.vmPreempt = new Float64Array(nVm)
    this.vmInCs = new Float64Array(nVm)
    this.seriesOps = s.vms.map(() => [])
    this.seriesPre = s.vms.map(() => [])
    this.seriesInCs = s.vms.map(() => [])
    this.lastOps = s.vms.map(() => 0)
    this.lastPre = new Float64Array(nVm)
    this.lastInCs = new Float64Array(nVm)
    this.start()
  }

  private newLock(family: number, name: string): LockBase {
    const id = this.locks.length
    let l: AnyLock
    if (family === F_QSPIN) l = this.pmt ? new PmtLock(id, name, PMT_TIMEOUT_UNIT_ITERS * this.spinIterNs) : new PvQspinlock(id, name)
    else if (family === F_QRW) l = new Qrwlock(id, name)
    else if (family === F_MUTEX) l = new Mutex(id, name)
    else l = new Rwsem(id, name)
    this.locks.push(l)
    return l
  }

  get now(): number {
    return this.env.now
  }

  get events(): number {
    return this.env.events
  }

  // ------------------------------------------------------------------------------------------
  // Setup and run loop
  // ------------------------------------------------------------------------------------------

  private start(): void {
    const P = this.rqs.length
    // Initial placement: vCPU i on pCPU i mod P (pinned ones on their pCPU), like a fresh fork balance.
    // Initial vruntimes are spread uniformly over one sched_latency (per-vCPU RNG stream): the run
    // starts from VMs that have been running for a while at arbitrary phases. With identical
    // vruntimes and aligned ticks, VMs sharing pCPUs would alternate in lockstep, i.e. be accidentally
    // gang-scheduled, which no real host does.
    for (const v of this.vcpus) {
      const cpu = v.pinned >= 0 ? v.pinned : v.id % P
      v.hstate = H_RUNNABLE
      v.runnableSince = 0
      v.se.vruntime = Math.floor(v.rng.nextFloat() * this.tun.latencyNs)
      this.rqs[cpu].enqueue(v.se)
    }
    // every task starts with a fresh non-critical work phase
    for (const t of this.tasks) t.remaining = sample(t.rng, this.dists[t.vmIdx].compute)
    for (const n of this.noise) {
      n.remaining = sample(n.rng, this.noiseBurst)
      this.rqs[n.cpu].enqueue(n.se)
    }
    for (let c = 0; c < P; c++) {
      const rq = this.rqs[c]
      this.updateOverloaded(rq)
      this.schedule(rq, R_NONE)
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
  private traceSnapshot(): void {
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

  private dispatch(kind: number, a: number, b: number): void {
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
      default: simAssert(false, `unknown event kind ${kind} (b=${b})`)
    }
  }

  // ------------------------------------------------------------------------------------------
  // Host: CFS scheduling
  // ------------------------------------------------------------------------------------------

  private socketOf(cpu: number): number {
    return Math.floor(cpu / this.perSocket)
  }

  private updateOverloaded(rq: CfsRq): void {
    const o = rq.nrRunning >= 2 ? 1 : 0
    if (o !== this.overloaded[rq.cpu]) {
      this.overloaded[rq.cpu] = o
      this.nOverloaded += o ? 1 : -1
    }
  }

  private setIdle(cpu: number, idle: boolean): void {
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
  private sync(rq: CfsRq): void {
    const now = this.env.now
    rq.account(now)
    rq.updateCurr(now)
  }

  /** __schedule on a pCPU: put_prev / pick_next / context switch. */
  private schedule(rq: CfsRq, reason: number): void {
    const now = this.env.now
    this.sync(rq)
    const prev = rq.curr
    const next = rq.pickNext(now, this.tun)
    if (next === prev) return
    if (prev) {
      prev.lastRanNs = now
      this.onSchedOut(prev, reason, rq)
      if (next) this.cnt[C['host.contextSwitches']]++
    }
    if (next) {
      this.setIdle(rq.cpu, false)
      this.onSchedIn(next, rq)
    } else this.becameIdle(rq)
  }

  private becameIdle(rq: CfsRq): void {
    this.setIdle(rq.cpu, true)
    if (this.tracer && this.tracer.on(this.env.now)) this.tracer.add(this.env.now, 'idle', rq.cpu, -1, -1)
    this.pull(rq, true)
  }

  /** Enqueue a waking entity; a halt-polling curr stops polling (single_task_running() false). */
  private enqueueOn(rq: CfsRq, se: SchedEntity): void {
    const c = rq.curr
    if (c && c.id < this.nVcpus) {
      const v = this.vcpus[c.id]
      if (v.g === G_POLL) this.vcpuBlock(v)
    }
    rq.enqueue(se)
    this.updateOverloaded(rq)
  }

  /** check_preempt_wakeup (or run it if the pCPU idles). */
  private checkPreemptWakeup(rq: CfsRq, se: SchedEntity): void {
    if (rq.curr === null) {
      this.schedule(rq, R_NONE)
      return
    }
    this.sync(rq)
    if (rq.wakeupPreemptEntity(rq.curr, se, this.tun) === 1) {
      this.cnt[C['host.wakeupPreemptions']]++
      this.schedule(rq, R_WAKEUP)
    }
  }

  private onTickAll(): void {
    this.env.at(this.env.now + this.tickNs, EV_TICK, 0)
    this.tickCount++
    const n = this.rqs.length
    for (let cpu = 0; cpu < n; cpu++) this.onTick(cpu)
  }

  private onTick(cpu: number): void {
    const rq = this.rqs[cpu]
    const curr = rq.curr
    if (curr === null) {
      if (this.nOverloaded > 0) this.pull(rq, false)
      return
    }
    this.sync(rq)
    this.cnt[C['host.ticks']]++
    if (rq.nrRunning > 1) {
      // check_preempt_tick (both conditions computed first; the policy's flag is ANDed in below)
      const ideal = rq.slice(curr, this.tun)
      const deltaExec = curr.sumExec - curr.prevSumExec
      let resched = false
      if (deltaExec > ideal) resched = true
      else if (deltaExec >= this.tun.minGranularityNs && rq.queue.length > 0) {
        if (curr.vruntime - rq.queue[0].vruntime > ideal) resched = true
      }
      let veto = false
      if (curr.id < this.nVcpus) {
        const v = this.vcpus[curr.id]
        if (v.g !== G_POLL && this.policy.tickWeight !== undefined) {
          // nice-boost variant: set_user_nice, then check_preempt_tick with the new weight
          const w = this.policy.tickWeight(v, resched, this.s.vms[v.vmIdx].weight)
          if (w !== curr.weight) {
            if (w > curr.weight) this.cnt[C['boost.boosts']]++
            rq.reweight(curr, w)
            const ideal2 = rq.slice(curr, this.tun)
            resched = deltaExec > ideal2 || (deltaExec >= this.tun.minGranularityNs && rq.queue.length > 0 && curr.vruntime - rq.queue[0].vruntime > ideal2)
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
      if (resched) {
        if (rq.next === curr) rq.next = null
        if (rq.skip === curr) rq.skip = null
        this.cnt[C['host.tickPreemptions']]++
        this.schedule(rq, R_TICK)
      }
    } else if (this.nOverloaded > 0 && (this.tickCount & 3) === 0) {
      this.pull(rq, false)
    }
  }

  /**
   * Idle / periodic balance: pull one queued, movable entity from an overloaded pCPU, same socket
   * first. New-idle pulls respect task_hot (migration_cost); tick-driven pulls do not
   * (nr_balance_failed escalation). An underloaded (nr_running == 1) pCPU only pulls from pCPUs
   * with >= 3 runnable.
   */
  private pull(rq: CfsRq, newIdle: boolean): void {
    if (this.nOverloaded === 0) return
    const now = this.env.now
    const P = this.rqs.length
    const need = rq.nrRunning === 0 ? 2 : 3
    const sock = this.socketOf(rq.cpu)
    const per = this.perSocket
    const base = sock * per
    const start = (rq.cpu + 1) % per
    let best: SchedEntity | null = null
    let src: CfsRq | null = null
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

  private migrate(se: SchedEntity, src: CfsRq, dst: CfsRq): void {
    this.sync(dst)
    src.dequeue(se)
    this.updateOverloaded(src)
    se.vruntime += dst.minVruntime - src.minVruntime
    this.enqueueOn(dst, se)
    this.cnt[C['host.migrations']]++
  }

  /** select_task_rq_fair for a waking vCPU: prev pCPU if idle, else an idle pCPU of its socket, else prev. */
  private selectCpu(v: Vcpu): number {
    if (v.pinned >= 0) return v.pinned
    const prev = v.se.cpu
    const prq = this.rqs[prev]
    if (prq.curr === null && prq.queue.length === 0) return prev
    const sock = this.socketOf(prev)
    const n = this.idleCount[sock]
    if (n > 0) return this.idleStack[sock * this.perSocket + n - 1]
    return prev
  }

  private onSchedIn(se: SchedEntity, rq: CfsRq): void {
    const now = this.env.now
    if (se.id >= this.nVcpus) {
      const n = this.noise[se.id - this.nVcpus]
      this.cnt[C['host.noiseRuns']]++
      n.ev = this.env.at(now + Math.max(0, n.remaining), EV_NOISE_END, se.id - this.nVcpus)
      return
    }
    const v = this.vcpus[se.id]
    if (!(v.hstate === H_RUNNABLE)) fail(`vCPU ${v.id} scheduled in from state ${v.hstate}`)
    v.hstate = H_RUNNING
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
    this.stall(v, this.csNs)
  }

  private onSchedOut(se: SchedEntity, reason: number, rq: CfsRq): void {
    const now = this.env.now
    if (se.id >= this.nVcpus) {
      const n = this.noise[se.id - this.nVcpus]
      if (n.ev >= 0) {
        this.env.cancel(n.ev)
        n.ev = -1
      }
      n.remaining = Math.max(0, n.remaining - (se.sumExec - se.prevSumExec))
      return
    }
    const v = this.vcpus[se.id]
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
    v.stPreempted = 1
    if (reason === R_BLOCK) {
      if (this.policy.tickWeight !== undefined) {
        // boost variant: reset on block
        v.boosts = 0
        if (se.weight !== this.s.vms[v.vmIdx].weight) rq.reweight(se, this.s.vms[v.vmIdx].weight)
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

  private accountPreemption(v: Vcpu, reason: number, rq: CfsRq): void {
    const cnt = this.cnt
    cnt[C['preempt.total']]++
    if (reason === R_TICK) cnt[C['preempt.tick']]++
    else if (reason === R_WAKEUP) cnt[C['preempt.wakeup']]++
    else if (reason === R_YIELD_TARGET) {
      cnt[C['preempt.yieldTarget']]++
      cnt[C['ple.targetPreemptions']]++
    }
    this.vmPreempt[v.vmIdx]++
    const t = v.cur
    let inCs = false
    let csName: string | undefined
    if (t) {
      for (let k = 0; k < 5; k++) {
        if (t.holds[k] > 0) {
          this.byKind[k]++
          inCs = true
          csName = CS_KINDS[k]
        }
      }
      if (t.heldLocks.length > 0) {
        this.lockHolder++
        cnt[C['preempt.lockHolder']]++
      }
      if ((t.phase === PH_ACQ && t.waitMode === WM_SPIN)) {
        this.lockWaiter++
        cnt[C['preempt.lockWaiter']]++
      }
      if (t.holds[K_RCU] > 0) cnt[C['preempt.rcuReader']]++
    }
    if (v.inIrq) {
      this.byKind[K_IRQ]++
      inCs = true
      csName = 'irq'
      cnt[C['preempt.irq']]++
    }
    if (inCs) {
      cnt[C['preempt.inCs']]++
      if (reason === R_TICK) cnt[C['preempt.inCsTick']]++
      else if (reason === R_WAKEUP) cnt[C['preempt.inCsWakeup']]++
      else cnt[C['preempt.inCsYield']]++
      this.vmInCs[v.vmIdx]++
    }
    const now = this.env.now
    if (this.tracer && this.tracer.on(now)) this.tracer.add(now, 'preempt', rq.cpu, v.vmIdx, v.index, t?.id, csName, reason === R_TICK ? 'tick' : reason === R_WAKEUP ? 'wakeup' : 'yield-target')
  }

  /** The vCPU stopped running its task: optimistic spinners on its locks and its MCS successor re-check. */
  private notifyStopped(v: Vcpu): void {
    const t = v.cur
    if (!t) return
    this.notifyOwnerStopped(t)
    if (t.inQueue && t.qnext) this.respin(t.qnext)
  }

  private notifyOwnerStopped(t: Task): void {
    const held = t.heldLocks
    for (let i = 0; i < held.length; i++) {
      const l = held[i]
      if (l.family === F_MUTEX) (l as Mutex).ownerStopped(this)
      else if (l.family === F_RWSEM) (l as Rwsem).ownerStopped(this)
    }
  }

  // ------------------------------------------------------------------------------------------
  // vCPU: halt, poll, block, wake, kick
  // ------------------------------------------------------------------------------------------

  /** Non-guest time on a running vCPU (exit/entry, context switch), then resume the guest. */
  private stall(v: Vcpu, ns: number): void {
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

  private onGuestEvent(v: Vcpu): void {
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

  private enterIdle(v: Vcpu): void {
    this.cnt[C['guest.idleEntries']]++
    v.g = G_STALL
    this.reportQs(v)
    v.haltReason = HR_IDLE
    this.doHalt(v)
  }

  /** HLT (guest idle or pv_wait): exit, halt-poll while alone on the pCPU, then block. */
  private doHalt(v: Vcpu): void {
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
  private vcpuBlock(v: Vcpu): void {
    const rq = this.rqs[v.se.cpu]
    if (!(rq.curr === v.se)) fail(`vCPU ${v.id} blocks but is not curr on pCPU ${rq.cpu}`)
    this.sync(rq)
    v.se.lastRanNs = this.env.now
    this.onSchedOut(v.se, R_BLOCK, rq)
    rq.dequeue(v.se)
    this.updateOverloaded(rq)
    this.cnt[C['vcpu.haltBlocks']]++
    const next = rq.pickNext(this.env.now, this.tun)
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

  private onVcpuWake(v: Vcpu): void {
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
      v.se.vruntime += rq.minVruntime - old.minVruntime
      this.cnt[C['host.migrations']]++
    }
    rq.placeWakeup(v.se, this.tun)
    v.hstate = H_RUNNABLE
    v.hostPreempted = false
    v.runnableSince = now
    if (this.tracer && this.tracer.on(now)) this.tracer.add(now, 'wake', cpu, v.vmIdx, v.index)
    this.enqueueOn(rq, v.se)
    this.checkPreemptWakeup(rq, v.se)
  }

  // ------------------------------------------------------------------------------------------
  // PLE and directed yield (kvm_vcpu_on_spin)
  // ------------------------------------------------------------------------------------------

  private pleExit(v: Vcpu): void {
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
    v.inSpinLoop = true
    this.directedYield(v)
    v.inSpinLoop = false
    v.dyEligible = false
    if (v.hstate === H_RUNNING && v.gev < 0) this.stall(v, this.exitNs)
  }

  private directedYield(me: Vcpu): boolean {
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
        if (!eligible) continue
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

  /** yield_to(target, preempt=true) -> yield_to_task_fair. Returns 1 on success, -1 on -ESRCH. */
  private yieldTo(me: Vcpu, u: Vcpu): number {
    this.cnt[C['ple.yieldAttempts']]++
    if (u.hstate !== H_RUNNABLE) return -1
    const rqMe = this.rqs[me.se.cpu]
    const rqT = this.rqs[u.se.cpu]
    if (rqMe.nrRunning === 1 && rqT.nrRunning === 1) return -1
    this.cnt[C['ple.directedYields']]++
    rqT.next = u.se
    if (rqMe.nrRunning > 1) {
      this.sync(rqMe)
      rqMe.skip = me.se
    }
    if (rqT !== rqMe) this.schedule(rqT, R_YIELD_TARGET)
    this.schedule(rqMe, R_YIELD_SELF)
    return 1
  }

  // ------------------------------------------------------------------------------------------
  // Guest scheduler and task program
  // ------------------------------------------------------------------------------------------

  private switchIn(v: Vcpu, t: Task): void {
    v.cur = t
    t.state = T_RUNNING
    t.sliceStart = this.env.now
    v.fakePreemptCount = (this.policy.annotate & (CS_BIT.mutex | CS_BIT.rwsem)) ? t.fakeCount : 0
    this.runTask(v, t)
  }

  /** The current task blocks (sleep, sleeping lock, synchronize_rcu): guest context switch. */
  private guestBlock(v: Vcpu, t: Task): void {
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

  private runTask(v: Vcpu, t: Task): void {
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

  private startTimed(v: Vcpu, t: Task): void {
    const rem = t.remaining + t.debtNs
    t.debtNs = 0
    t.phaseEnd = this.env.now + rem
    v.g = G_TASK
    v.gevKind = GK_PHASE_END
    v.gev = this.env.timer(v.id, t.phaseEnd)
  }

  private phaseEnd(v: Vcpu, t: Task): void {
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

  private opDone(v: Vcpu, t: Task): void {
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

  private beginSection(v: Vcpu, t: Task): void {
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
        const n = vm.vcpus.length
        const k = sec.targets === 0 || sec.targets >= n - 1 ? n - 1 : sec.targets
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
  // Locks (engine side)
  // ------------------------------------------------------------------------------------------

  private lockAcquire(v: Vcpu, t: Task, lock: LockBase, write: boolean): void {
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

  private acquired(v: Vcpu, t: Task): void {
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

  private lockRelease(v: Vcpu, t: Task, lock: LockBase, write: boolean): void {
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
  private csEnter(v: Vcpu, t: Task, k: number, lockName?: string): void {
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

  private csExit(v: Vcpu, t: Task, k: number, lockName?: string): void {
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

  private spinTimer(v: Vcpu, t: Task): void {
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
  private pmtTimeout(v: Vcpu, t: Task): void {
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
  private pvWaitHalt(v: Vcpu, t: Task, early: boolean): void {
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

  private pvWokenResume(v: Vcpu, t: Task): void {
    v.g = G_TASK
    if (t.waitMode !== WM_PVHALT) return this.runTask(v, t)
    const l = t.acqLock as PvQspinlock
    t.waitMode = WM_SPIN
    const r = l.pvWoken(this, t)
    if (r === ACQ_OK) return this.acquisitionNoticed(v, t)
    if (!t.isHead) this.cnt[C['pvlock.spuriousWakeups']]++
    this.spinResume(v, t)
  }

  private acquisitionNoticed(v: Vcpu, t: Task): void {
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
  private wakeRun(v: Vcpu, t: Task): void {
    const l = t.acqLock as Mutex | Rwsem
    const r = l.onWakeRun(this, t)
    if (r === ACQ_OK) return this.acquired(v, t)
    if (r === ACQ_SLEEP) return this.guestBlock(v, t)
    t.waitMode = WM_SPIN
    this.spinResume(v, t)
  }

  // LockHost
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

  // ------------------------------------------------------------------------------------------
  // RCU
  // ------------------------------------------------------------------------------------------

  private reportQs(v: Vcpu): void {
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

  private onGpTick(vmIdx: number): void {
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

  // ------------------------------------------------------------------------------------------
  // Host noise threads
  // ------------------------------------------------------------------------------------------

  private onNoiseEnd(n: NoiseTask): void {
    n.ev = -1
    const rq = this.rqs[n.cpu]
    if (!(rq.curr === n.se)) fail('noise end while not running')
    this.sync(rq)
    n.se.lastRanNs = this.env.now
    rq.dequeue(n.se)
    this.updateOverloaded(rq)
    n.remaining = sample(n.rng, this.noiseBurst)
    this.env.at(this.env.now + Math.max(1, sample(n.rng, this.noiseSleep)), EV_NOISE_WAKE, n.se.id - this.nVcpus)
    const next = rq.pickNext(this.env.now, this.tun)
    if (next) this.onSchedIn(next, rq)
    else this.becameIdle(rq)
  }

  private onNoiseWake(n: NoiseTask): void {
    const rq = this.rqs[n.cpu]
    this.sync(rq)
    rq.placeWakeup(n.se, this.tun)
    this.enqueueOn(rq, n.se)
    this.checkPreemptWakeup(rq, n.se)
  }

  // ------------------------------------------------------------------------------------------
  // Statistics
  // ------------------------------------------------------------------------------------------

  /**
   * Bring busy/idle accounting to now. Measurement must not perturb the model: this never calls
   * update_curr (which would advance vruntime/min_vruntime at a point the kernel would not).
   */
  private accountAll(): void {
    const now = this.env.now
    for (const rq of this.rqs) rq.account(now)
  }

  /** Execution time of a vCPU thread including its not-yet-charged current stint. */
  private execOf(v: Vcpu): number {
    const se = v.se
    return se.sumExec + (v.hstate === H_RUNNING ? this.env.now - se.execStart : 0)
  }

  private stealOf(v: Vcpu): number {
    return v.stealNs + (v.hstate === H_RUNNABLE ? this.env.now - v.runnableSince : 0)
  }

  private snapshotBase(): void {
    this.accountAll()
    this.base = {
      cnt: this.cnt.slice(),
      hist: this.hist.snapshot(),
      vmOps: this.vms.map((vm) => vm.ops),
      sumExec: this.vms.map((vm) => vm.vcpus.reduce((a, v) => a + this.execOf(v), 0)),
      steal: this.vms.map((vm) => vm.vcpus.reduce((a, v) => a + this.stealOf(v), 0)),
      busy: this.rqs.map((r) => r.busyNs),
      idle: this.rqs.map((r) => r.idleNs),
      byKind: this.byKind.slice(),
      lockHolder: this.lockHolder,
      lockWaiter: this.lockWaiter,
      vmPreempt: this.vmPreempt.slice(),
      vmInCs: this.vmInCs.slice()
    }
    // the steal counter is recomputed from per-vCPU state at the end; keep it consistent
    this.base.cnt[C['vcpu.stealNs']] = this.vcpus.reduce((a, v) => a + this.stealOf(v), 0)
  }

  private onSample(): void {
    const now = this.env.now
    this.seriesT.push(now)
    for (let i = 0; i < this.vms.length; i++) {
      const ops = this.vms[i].ops
      this.seriesOps[i].push(ops - this.lastOps[i])
      this.lastOps[i] = ops
      this.seriesPre[i].push(this.vmPreempt[i] - this.lastPre[i])
      this.lastPre[i] = this.vmPreempt[i]
      this.seriesInCs[i].push(this.vmInCs[i] - this.lastInCs[i])
      this.lastInCs[i] = this.vmInCs[i]
    }
    const next = now + this.s.sampleIntervalNs
    if (now < this.s.durationNs) this.env.at(Math.min(next, this.s.durationNs), EV_SAMPLE, 0, 0, PRIO_LATE)
  }

  /** Engine invariants (used by property tests). Throws SimInvariantError on violation. */
  checkInvariants(): void {
    const seen = new Int32Array(this.ents.length).fill(-1)
    for (const rq of this.rqs) {
      const list = rq.curr ? [rq.curr, ...rq.queue] : rq.queue
      for (const se of list) {
        simAssert(seen[se.id] < 0, `entity ${se.id} on pCPU ${rq.cpu} and ${seen[se.id]}`)
        seen[se.id] = rq.cpu
        simAssert(se.cpu === rq.cpu, `entity ${se.id} thinks it is on ${se.cpu}, found on ${rq.cpu}`)
      }
      let load = 0
      for (const se of list) load += se.weight
      simAssert(load === rq.load, `pCPU ${rq.cpu} load ${rq.load} != ${load}`)
      for (let i = 1; i < rq.queue.length; i++) simAssert(rq.queue[i - 1].vruntime <= rq.queue[i].vruntime, `pCPU ${rq.cpu} queue unsorted`)
    }
    for (const v of this.vcpus) {
      const rq = v.se.onRq ? this.rqs[v.se.cpu] : null
      if (v.hstate === H_RUNNING) simAssert(rq !== null && rq.curr === v.se, `vCPU ${v.id} RUNNING but not curr`)
      else if (v.hstate === H_RUNNABLE) simAssert(rq !== null && rq.curr !== v.se && seen[v.se.id] >= 0, `vCPU ${v.id} RUNNABLE but not queued`)
      else simAssert(seen[v.se.id] < 0, `vCPU ${v.id} HALTED but on a runqueue`)
      if (v.hstate !== H_RUNNING) simAssert(v.g === G_OFF, `vCPU ${v.id} not running but guest state ${v.g}`)
      if (v.cur) simAssert(v.cur.home === v && v.cur.state === T_RUNNING, `vCPU ${v.id} current task inconsistent`)
      for (const t of v.grq) simAssert(t.state === T_RUNNABLE, `task ${t.id} in guest rq but state ${t.state}`)
      // no lost wakeups: a vCPU blocked in guest idle has nothing runnable and no pending interrupt
      if (v.hstate === H_HALTED && v.haltReason === HR_IDLE && !v.wakePending) {
        simAssert(v.grq.length === 0 && v.irqDevicePending === 0 && v.ipiQueue.length === 0, `vCPU ${v.id} idles in halt with work pending (lost wakeup)`)
      }
    }
    // every held lock is held consistently
    for (const t of this.tasks) {
      for (const l of t.heldLocks) {
        const lk = l as AnyLock
        if (lk instanceof PvQspinlock) simAssert(lk.holder === t, `${lk.name}: ${t.id} thinks it holds it, holder ${lk.holder?.id}`)
        else if (lk instanceof Mutex) simAssert(lk.owner === t, `${lk.name}: owner mismatch`)
        else if (lk instanceof Rwsem || lk instanceof Qrwlock) {
          if (t.outerWrite && l === t.outerLock) simAssert(lk.writer === t, `${lk.name}: writer mismatch`)
          else simAssert(lk.readers > 0, `${lk.name}: reader count 0 while ${t.id} reads`)
        }
      }
    }
    for (const l of this.locks) {
      if (l instanceof PvQspinlock && l.holder) simAssert(l.holder.heldLocks.includes(l) || l.holder.acqLock === l, `${l.name}: holder ${l.holder.id} does not know`)
      if (l instanceof Mutex && l.owner) simAssert(l.owner.heldLocks.includes(l) || l.owner.acqLock === l, `${l.name}: owner does not know`)
    }
    const now = this.env.now
    for (const rq of this.rqs) {
      rq.account(now)
      simAssert(Math.abs(rq.busyNs + rq.idleNs - now) < 1e-6, `pCPU ${rq.cpu}: busy ${rq.busyNs} + idle ${rq.idleNs} != ${now}`)
    }
  }

  result(): SimResult {
    this.accountAll()
    const s = this.s
    const now = this.env.now
    const b = this.base!
    const measured = Math.max(1, now - s.warmupNs)
    const cnt = this.cnt.slice()
    // veto extensions still open at the end (a vCPU that never left its CS) count up to now
    const vcpuVetoExtra = this.vcpuVetoExtraNs.slice()
    for (const v of this.vcpus) {
      if (this.vetoFromNs[v.id] < 0) continue
      const extra = this.execOf(v) - this.vetoFromNs[v.id]
      cnt[C['veto.extendedStints']]++
      cnt[C['veto.extraRunNs']] += extra
      vcpuVetoExtra[v.id] += extra
    }
    cnt[C['vcpu.stealNs']] = this.vcpus.reduce((a, v) => a + this.stealOf(v), 0)
    const byKind = {} as Record<CsKind, number>
    CS_KINDS.forEach((k, i) => { byKind[k] = this.byKind[i] - b.byKind[i] })
    const hist = this.hist.snapshot()
    let lastNz = 0
    for (let i = 0; i < hist.length; i++) if (hist[i] - b.hist[i] > 0) lastNz = i
    const out: SimResult = {
      engineVersion: this.version,
      policy: s.policy.id,
      policyParams: s.policy.params,
      seed: s.seed,
      simulatedNs: now,
      warmupNs: s.warmupNs,
      measuredNs: now - s.warmupNs,
      events: this.env.events,
      digest: (this.env.digest >>> 0).toString(16).padStart(8, '0'),
      vms: this.vms.map((vm, i) => {
        const ops = vm.ops - b.vmOps[i]
        const vetoExtra = vm.vcpus.reduce((a, v) => a + vcpuVetoExtra[v.id], 0)
        return {
          name: vm.name,
          vcpus: vm.vcpus.length,
          workload: vm.workloadName,
          ops,
          opsPerSec: (ops * 1e9) / measured,
          opsPerVcpuPerSec: (ops * 1e9) / measured / vm.vcpus.length,
          cpuTimeNs: Math.round(vm.vcpus.reduce((a, v) => a + this.execOf(v), 0) - b.sumExec[i]),
          stealNs: Math.round(vm.vcpus.reduce((a, v) => a + this.stealOf(v), 0) - b.steal[i]),
          vetoExtraNs: Math.round(vetoExtra),
          // per vCPU only where vetoes extended a stint (keeps results of kvm runs small)
          ...(vetoExtra > 0
            ? {
                vcpuVetoExtraNs: vm.vcpus.map((v) => Math.round(vcpuVetoExtra[v.id])),
                vcpuPaybackWaitNs: vm.vcpus.map((v) => Math.round(this.vcpuPaybackWaitNs[v.id]))
              }
            : {})
        }
      }),
      preemptions: {
        total: Math.round(cnt[C['preempt.total']] - b.cnt[C['preempt.total']]),
        inCriticalSection: { total: Math.round(cnt[C['preempt.inCs']] - b.cnt[C['preempt.inCs']]), byKind },
        lockHolder: this.lockHolder - b.lockHolder,
        lockWaiter: this.lockWaiter - b.lockWaiter
      },
      counters: countersToRecord(cnt, b.cnt),
      series: {
        intervalNs: s.sampleIntervalNs,
        t: this.seriesT.slice(),
        perVm: this.vms.map((vm, i) => ({ name: vm.name, ops: this.seriesOps[i].slice(), preemptions: this.seriesPre[i].slice(), inCsPreemptions: this.seriesInCs[i].slice() }))
      },
      lockWaitHistogram: { unit: 'ns', buckets: Array.from(hist.subarray(0, lastNz + 1), (x, i) => Math.round(x - b.hist[i])) },
      pcpuBusyNs: this.rqs.map((r, i) => Math.round(r.busyNs - b.busy[i])),
      pcpuIdleNs: this.rqs.map((r, i) => Math.round(r.idleNs - b.idle[i]))
    }
    if (s.name !== undefined) out.scenarioName = s.name
    if (this.tracer) {
      if (this.tracer.snapshotPending && this.env.now >= this.tracer.fromNs) this.tracer.takeSnapshot()
      out.trace = { fromNs: this.tracer.fromNs, toNs: this.tracer.toNs, dropped: this.tracer.dropped, ...(this.tracer.fullAtNs !== null ? { fullAtNs: this.tracer.fullAtNs } : {}), records: this.tracer.records() }
    }
    return out
  }
}

function familyOf(kind: string): number {
  switch (kind) {
    case 'spinlock': return F_QSPIN
    case 'rwlock-read':
    case 'rwlock-write': return F_QRW
    case 'mutex': return F_MUTEX
    case 'rwsem-read':
    case 'rwsem-write': return F_RWSEM
    default: return -1
  }
}

// Unused-import guards for constants referenced only in comments/asserts.
void T_BLOCKED
void WM_PVHALT
void H_HALTED
