/**
 * The simulation's state and its construction from a resolved scenario: the host (pCPUs, sockets and
 * the scheduling class behind host/sched-class.ts), the VMs with their vCPU threads, guest tasks, lock
 * instances and compiled distributions, the host noise kthreads, and the statistics accumulators.
 * Model reference: ../shared/ecs-model.md (§4.1, 4.2, 4.8, 5).
 *
 * Behaviour lives in layers built on this state, one file per side of the kernel, bottom to top:
 *   host/host.ts       kernel/sched/core.c glue: __schedule, scheduler_tick (+ the eCS veto gate),
 *                      try_to_wake_up placement, yield_to, idle / periodic pulls, host noise kthreads
 *   kvm/vcpu.ts        virt/kvm/kvm_main.c, arch/x86/kvm/x86.c, vmx.c: vCPU load / put (steal time),
 *                      exits, HLT -> halt polling -> block, kick / wakeup, PLE + kvm_vcpu_on_spin
 *   guest/sched.ts     the guest kernel: scheduler, idle loop, task program, RCU quiescent states
 *   locks/glue.ts      lock hand-off and spinning glue between the lock models and the vCPUs
 *   metrics/stats.ts   preemption accounting, warm-up snapshot, samples, invariants, the result
 *   engine.ts          Simulation: start, run loop and event dispatch
 * The layers form one class chain (each file extends the one below) so that the hot path stays plain,
 * monomorphic `this.method()` calls on one object; a lower layer calls a higher one through an
 * abstract method declared where it is used. No layer imports a higher one.
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
import { Environment } from './core/environment'
import * as distMod from './workloads/dist'
import type { CDist, VmDists } from './workloads/dist'
import { Rng, streamKey } from './core/rng'
import { Tracer } from './core/trace'
import * as assertMod from './core/assert'
import { CfsScheduler } from './host/cfs'
import { EevdfScheduler } from './host/eevdf'
import { SchedEntity, type HostRunqueue, type HostScheduler } from './host/sched-class'
import { Task, Vcpu, type VmState, type LockBase } from './guest/entities'
import * as ent from './guest/entities'
import { PvQspinlock } from './locks/pv-qspinlock'
import { PmtLock, PMT_TIMEOUT_UNIT_ITERS } from './locks/pmtlock'
import { Qrwlock } from './locks/qrwlock'
import { Mutex } from './locks/mutex'
import * as mutexMod from './locks/mutex'
import { Rwsem } from './locks/rwsem'
import { RcuState } from './guest/rcu'
import * as counters from './metrics/counters'
import { Log2Histogram } from './metrics/histogram'
import { RegimeMeter } from './metrics/regime'
import { workloadOf } from './scenario/resolve'
import { findPolicy } from './policies/registry'
import type { HostPolicy } from './policies/types'
import * as ptypes from './policies/types'
import * as evk from './core/event-kinds'

export type { VmDists }

const { MW_SPIN, MW_SLEEP, MW_HANDOFF, MW_TOKEN } = mutexMod
const { F_QSPIN, F_QRW, F_MUTEX, F_RWSEM, K_SPIN, K_RWLOCK, K_MUTEX, K_RWSEM } = ent
const { N_COUNTERS } = counters
const { CS_BIT } = ptypes
const { compileDist } = distMod
const { EV_GUEST } = evk
const simAssert: (cond: unknown, message: string) => asserts cond = assertMod.simAssert

/** Sched-out reasons (why a pCPU's curr stopped running). */
export const R_NONE = 0
export const R_TICK = 1
export const R_WAKEUP = 2
export const R_YIELD_TARGET = 3
export const R_YIELD_SELF = 4
export const R_BLOCK = 5

/** annotate bit of each critical-section kind (K_*), and the CS kind of each lock family (F_*). */
export const KIND_BITS = [CS_BIT.spinlock, CS_BIT.rwlock, CS_BIT.mutex, CS_BIT.rwsem, CS_BIT.rcu, CS_BIT.irq]
export const FAMILY_KIND = [K_SPIN, K_RWLOCK, K_MUTEX, K_RWSEM]

export type AnyLock = PvQspinlock | PmtLock | Qrwlock | Mutex | Rwsem

/** A host noise kthread (kworker, ksoftirqd, vhost), pinned to one pCPU. */
export class NoiseTask {
  readonly se: SchedEntity
  /** The pCPU it runs on: fixed for a noise kthread, chosen at each wake-up for an emulator thread. */
  cpu: number
  readonly rng: Rng
  /** -1: a per-pCPU noise kthread; else the VM whose emulator (VMM main-loop) thread this is (host.emulator). */
  readonly vmIdx: number
  remaining = 0
  ev = -1
  constructor(se: SchedEntity, cpu: number, rng: Rng, vmIdx = -1) {
    this.se = se
    this.cpu = cpu
    this.rng = rng
    this.vmIdx = vmIdx
  }
}

// Section kinds as numbers (the hot path switches on these, not on strings)
export const SK_NONE = 0
export const SK_LOCK = 1
export const SK_RCU_READ = 2
export const SK_SYNC_RCU = 3
export const SK_IPI = 4
export const SK_SLEEP = 5
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


/** Hot-path form of simAssert: the message template is only built when the check fails. */
export function fail(message: string): never {
  throw new assertMod.SimInvariantError(message)
}

export abstract class SimState {
  readonly env: Environment
  readonly cnt = new Float64Array(N_COUNTERS)
  readonly s: Scenario
  protected readonly version: string
  readonly policy: HostPolicy
  /** The host scheduling class (one implementation per run) and its per-pCPU runqueues. */
  readonly hs: HostScheduler
  readonly rqs: readonly HostRunqueue[]
  readonly vcpus: Vcpu[] = []
  readonly vms: VmState[] = []
  readonly tasks: Task[] = []
  protected readonly noise: NoiseTask[] = []
  protected readonly ents: SchedEntity[] = []
  protected readonly rcu: RcuState[] = []
  /** @internal */ readonly dists: VmDists[] = []
  protected readonly noiseBurst: CDist
  protected readonly noiseSleep: CDist
  /** host.emulator.burstNs (null without emulator threads). */
  protected emuBurst: CDist | null = null
  readonly locks: AnyLock[] = []
  /** @internal */ readonly tracer: Tracer | null
  /** Window-mode trace: the state snapshot at the trace start is still owed (checked once per event while true). */
  protected snapPending = false
  protected readonly hist = new Log2Histogram(40)
  // derived constants (ns)
  protected readonly tickNs: number
  protected readonly ghz: number
  protected readonly exitNs: number
  /** @internal */ readonly ipiSendNs: number
  protected readonly kickNs: number
  /** @internal */ readonly cacheLineNs: number
  protected readonly csNs: number
  protected readonly wakeLatNs: number
  /** host.costs.idleExitNs: delay before an idle pCPU runs what was woken onto it (0 = none). */
  protected readonly idleExitNs: number
  /** host.costs.haltExitNs: extra stall of a vCPU switched in after a blocking halt (0 = none). */
  protected readonly haltExitNs: number
  protected readonly spinIterNs: number
  protected readonly thresholdNs: number
  protected readonly earlyPeriodNs: number
  /** guest.waitEarlyMask > 0: pv_wait_node checks the predecessor (PV_PREV_CHECK_MASK) */
  protected readonly waitEarly: boolean
  protected readonly guestTickNs: number
  readonly pleEnabled: boolean
  readonly pvSpinlocks: boolean
  /** guest.lazyTlb as LAZY_* (guest/interrupts.ts). */
  readonly lazyTlb: number
  /** Guest spinlocks are preemptable ticket locks (policy `pmtlock`): no pv_wait halting. */
  protected readonly pmt: boolean
  /** policy.annotate, copied (read on every section entry / exit). */
  protected readonly annotate: number
  protected readonly perSocket: number
  // idle pCPU sets per socket (stack + position)
  protected readonly idleStack: Int32Array
  protected readonly idlePos: Int32Array
  protected readonly idleCount: Int32Array
  protected nOverloaded = 0
  protected readonly overloaded: Uint8Array
  /** Per pCPU: time its pending idle exit completes (host/host.ts leaveIdle), -1 when none is pending. */
  protected readonly idleExitAt: Float64Array
  protected tickCount = 0
  protected readonly nVcpus: number
  // statistics
  protected readonly vmPreempt: Float64Array
  protected readonly vmInCs: Float64Array
  /** Regime meters: multi-runnable ticks, vCPUs of each VM running at once (metrics/regime.ts). */
  protected readonly regime: RegimeMeter
  protected readonly byKind = new Float64Array(6)
  protected lockHolder = 0
  protected lockWaiter = 0
  protected base: {
    cnt: Float64Array; hist: Float64Array; vmOps: number[]; sumExec: number[]; steal: number[]; busy: number[]; idle: number[]
    byKind: Float64Array; lockHolder: number; lockWaiter: number; vmPreempt: Float64Array; vmInCs: Float64Array
    regime: { tickSlots: number; multiRunnableTicks: number; coRunNs: Float64Array[] }
  } | null = null
  protected readonly seriesT: number[] = []
  protected readonly seriesOps: number[][]
  protected readonly seriesPre: number[][]
  protected readonly seriesInCs: number[][]
  protected readonly lastOps: number[]
  protected readonly lastPre: Float64Array
  protected readonly lastInCs: Float64Array
  /** @internal */ readonly scratch: Int32Array
  // veto cost accounting (per vCPU): sum_exec at the first avoided tick preemption of this run stint
  // (-1: none), and whether the next sched-in follows a veto-extended stint (CFS pay-back wait)
  protected readonly vetoFromNs: Float64Array
  protected readonly vetoOwed: Uint8Array
  /** Per vCPU (measured window): extra run time vetoes granted (summed per VM in the result), and the runnable waits that directly followed. */
  protected readonly vcpuVetoExtraNs: Float64Array
  protected readonly vcpuPaybackWaitNs: Float64Array


  /**
   * @param policyOverride test hook: run with this HostPolicy instead of the registry's `s.policy.id`
   *   (lets a spec exercise the policy hooks without registering a policy).
   */
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
    this.idleExitNs = h.costs.idleExitNs ?? 0
    this.haltExitNs = h.costs.haltExitNs ?? 0
    this.spinIterNs = s.guest.spinIterCycles / this.ghz
    this.thresholdNs = Math.round(s.guest.spinThreshold * this.spinIterNs)
    this.earlyPeriodNs = Math.max(1, Math.round((s.guest.waitEarlyMask + 1) * this.spinIterNs))
    this.waitEarly = s.guest.waitEarlyMask > 0
    this.guestTickNs = Math.round(1e9 / s.guest.hz)
    this.pleEnabled = this.policy.pleEnabled && h.ple.gap > 0
    this.pmt = this.policy.spinlock === 'pmtlock'
    this.annotate = this.policy.annotate
    this.pvSpinlocks = s.guest.pvSpinlocks && !this.pmt
    this.lazyTlb = s.guest.lazyTlb === 'all' ? 0 : s.guest.lazyTlb === 'skip-lazy' ? 2 : 1
    this.perSocket = h.pcpus / h.sockets
    this.hs = h.scheduler === 'eevdf'
      ? new EevdfScheduler(h.pcpus, h.eevdf!.baseSliceNs, this.tickNs)
      : new CfsScheduler(h.pcpus, { latencyNs: h.cfs.latencyNs, minGranularityNs: h.cfs.minGranularityNs, wakeupGranularityNs: h.cfs.wakeupGranularityNs })
    this.rqs = this.hs.rqs
    this.idleStack = new Int32Array(h.pcpus)
    this.idlePos = new Int32Array(h.pcpus).fill(-1)
    this.idleCount = new Int32Array(h.sockets)
    this.overloaded = new Uint8Array(h.pcpus)
    this.idleExitAt = new Float64Array(h.pcpus).fill(-1)

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
      const getClass = (family: number, name: string, n: number, waiters = 0): LockBase[] => {
        const key = `${family}:${name}`
        let arr = classes.get(key)
        if (!arr) {
          arr = []
          for (let k = 0; k < n; k++) arr.push(this.newLock(family, `${vmCfg.name}/${name}#${k}`, waiters))
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
        sectionLocks.push(fam >= 0 ? getClass(fam, sec.lock, sec.instances, sec.waiters === 'sleep' ? MW_SLEEP : sec.waiters === 'handoff' ? MW_HANDOFF : sec.waiters === 'token' ? MW_TOKEN : MW_SPIN) : [])
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
    // --- emulator threads (host.emulator): one per VM, the VM's weight, not pinned
    if (h.emulator) {
      this.emuBurst = compileDist(h.emulator.burstNs)
      for (let i = 0; i < nVm; i++) {
        const se = new SchedEntity(this.ents.length, s.vms[i].weight)
        this.ents.push(se)
        this.noise.push(new NoiseTask(se, i % h.pcpus, new Rng(s.seed, streamKey(4, i, 0)), i))
      }
    }
    this.vmPreempt = new Float64Array(nVm)
    this.vmInCs = new Float64Array(nVm)
    this.regime = new RegimeMeter(s.vms.map((vm) => vm.vcpus))
    this.seriesOps = s.vms.map(() => [])
    this.seriesPre = s.vms.map(() => [])
    this.seriesInCs = s.vms.map(() => [])
    this.lastOps = s.vms.map(() => 0)
    this.lastPre = new Float64Array(nVm)
    this.lastInCs = new Float64Array(nVm)
  }

  protected newLock(family: number, name: string, waiters: number): LockBase {
    const id = this.locks.length
    let l: AnyLock
    if (family === F_QSPIN) l = this.pmt ? new PmtLock(id, name, PMT_TIMEOUT_UNIT_ITERS * this.spinIterNs) : new PvQspinlock(id, name)
    else if (family === F_QRW) l = new Qrwlock(id, name)
    else if (family === F_MUTEX) l = new Mutex(id, name, waiters)
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

  /** Event dispatch by integer kind (engine.ts). */
  protected abstract dispatch(kind: number, a: number, b: number): void
  /** Window-mode trace: record the state at the trace start (engine.ts). */
  protected abstract traceSnapshot(): void

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

