/**
 * Guest-side and vCPU entity records. Plain classes with numeric/enum state; behaviour lives in the
 * engine's layers (host/host.ts, kvm/vcpu.ts, guest/sched.ts, locks/glue.ts; see sim-state.ts) and in
 * the lock / RCU / IPI model files.
 *
 * vCPU host state (`hstate`), after KVM: RUNNING (current on a pCPU), RUNNABLE (queued, descheduled:
 * steal_time.preempted = 1), HALTED (blocked in kvm_vcpu_block after HLT or pv_wait).
 * vCPU guest state (`g`) says what the pCPU is doing for it while RUNNING: OFF (not running), STALL
 * (exit/entry or context-switch overhead: no guest progress), TASK (running the current guest task),
 * IRQ (in a hard-IRQ/softirq handler), POLL (halt polling in the host).
 */
import type { Rng } from '../core/rng'
import type { SchedEntity } from '../host/sched-class'
import type { Section, Workload } from '../../shared/scenario'
import type { VcpuPolicyView } from '../policies/types'

export const H_RUNNING = 0
export const H_RUNNABLE = 1
export const H_HALTED = 2

export const G_OFF = 0
export const G_STALL = 1
export const G_TASK = 2
export const G_IRQ = 3
export const G_POLL = 4

/** Why a vCPU halted. */
export const HR_NONE = 0
export const HR_IDLE = 1
export const HR_PVWAIT = 2

/** Kind of the single pending guest event of a vCPU. */
export const GK_NONE = 0
export const GK_PHASE_END = 1
export const GK_SPIN_TIMER = 2
export const GK_GRANT = 3
export const GK_STALL_END = 4
export const GK_IRQ_END = 5
export const GK_POLL_END = 6

/** Task phases (a workload loop iteration). */
export const PH_COMPUTE = 0
export const PH_ACQ = 1 // waiting for task.acqLock (spinning, sleeping or pv-halted)
export const PH_HOLD1 = 2 // first half of an outer hold with a nested section to come
export const PH_INNER = 3 // holding the nested spinlock
export const PH_HOLD2 = 4 // (rest of the) outer hold
export const PH_RCU = 5
export const PH_IPI_SEND = 6
export const PH_IPI_WAIT = 7
export const PH_SLEEP = 8 // blocked in a timed sleep
export const PH_SYNC_RCU = 9 // blocked in synchronize_rcu
export const PH_DONE_BLOCKED = 10 // woken from a blocking op; completes the op when it runs

/** How a task waits in PH_ACQ / PH_IPI_WAIT. */
export const WM_NONE = 0
export const WM_SPIN = 1
export const WM_SLEEP = 2
export const WM_PVHALT = 3

/** Task scheduling state in the guest. */
export const T_RUNNABLE = 0
export const T_RUNNING = 1
export const T_BLOCKED = 2

/** Index of critical-section kinds (order of CS_KINDS in shared/result.ts). */
export const K_SPIN = 0
export const K_RWLOCK = 1
export const K_MUTEX = 2
export const K_RWSEM = 3
export const K_RCU = 4
export const K_IRQ = 5

/** Lock families. */
export const F_QSPIN = 0
export const F_QRW = 1
export const F_MUTEX = 2
export const F_RWSEM = 3

export interface LockBase {
  readonly family: number
  readonly id: number
  readonly name: string
}

export class Task {
  readonly id: number
  readonly vmIdx: number
  readonly home: Vcpu
  readonly rng: Rng
  state = T_RUNNABLE
  phase = PH_COMPUTE
  /** Remaining ns of the current timed phase while not executing. */
  remaining = 0
  /** Absolute end of the current timed phase while executing. */
  phaseEnd = 0
  /** Overhead (exits) to add to the next timed phase. */
  debtNs = 0
  sliceStart = 0
  // current section
  section: Section | null = null
  sectionIdx = -1
  outerLock: LockBase | null = null
  outerWrite = false
  innerLock: LockBase | null = null
  acqLock: LockBase | null = null
  acqWrite = false
  holdRestNs = 0
  innerHoldNs = 0
  holdStart = 0
  waitStart = 0
  contended = false
  // waiting
  waitMode = WM_NONE
  granted = false
  /** Spin bookkeeping while executing a spin: start of this spin stretch and the armed deadlines. */
  spinSince = -1
  pleAt = Infinity
  budgetAt = Infinity
  earlyAt = Infinity
  /** PV qspinlock: remaining spin budget (ns) of the current SPIN_THRESHOLD loop. */
  spinBudgetNs = 0
  /** qspinlock MCS node. */
  qnext: Task | null = null
  qprev: Task | null = null
  isHead = false
  headSpinning = false
  nodeHalted = false
  inQueue = false
  /** mutex/rwsem: spinning by policy instead of sleeping (eCS guest hint). */
  policySpin = false
  /** sleeping waiter already woken, not yet run. */
  woken = false
  // IPI
  ipiPending = 0
  ipiHandlerNs = 0
  /** Destinations (vCPU indices in the VM) of the call being sent, chosen at the section's start. */
  readonly ipiTargets: number[] = []
  // held state
  /** Held critical sections by kind (K_*), ground truth. */
  readonly holds = new Int32Array(6)
  /** Annotated blocking holds (fake_preempt_count that follows the task). */
  fakeCount = 0
  readonly heldLocks: LockBase[] = []
  blockedSince = 0
  ops = 0
  constructor(id: number, vmIdx: number, home: Vcpu, rng: Rng) {
    this.id = id
    this.vmIdx = vmIdx
    this.home = home
    this.rng = rng
    // Time fields hold doubles (times come from Float64Arrays): give them the double field
    // representation at construction, so the first run does not generalise a Smi field mid-run (that
    // deprecates the map and deoptimises every hot function that saw it). Values stay +0.
    this.sliceStart = 0.5
    this.phaseEnd = 0.5
    this.waitStart = 0.5
    this.holdStart = 0.5
    this.spinSince = 0.5
    this.spinBudgetNs = 0.5
    this.sliceStart = 0
    this.phaseEnd = 0
    this.waitStart = 0
    this.holdStart = 0
    this.spinSince = -1
    this.spinBudgetNs = 0
  }
}

export class Vcpu implements VcpuPolicyView {
  /** Global index. */
  readonly id: number
  readonly vmIdx: number
  /** Index inside the VM. */
  readonly index: number
  readonly se: SchedEntity
  readonly rng: Rng
  readonly pinned: number
  hstate = H_RUNNABLE
  g = G_OFF
  haltReason = HR_NONE
  // steal-time page (ecs-model.md §2.2)
  preemptCount = 0
  fakePreemptCount = 0
  stPreempted = 1
  stOverloaded = 0
  preemptToggle = 0
  vetoStreak = 0
  /** Policy scratch: nice boosts granted since the vCPU last left its CS or blocked. */
  boosts = 0
  // host KVM state
  hostPreempted = false
  inSpinLoop = false
  dyEligible = false
  /** Descheduled inside yield_to -> schedule() from kvm_vcpu_on_spin: in_spin_loop stays set until it runs again. */
  yieldedInSpinLoop = false
  pleWindowCycles = 0
  haltPollNs = 0
  haltStart = 0
  pollStart = 0
  wakePending = false
  /** Woken from a blocking halt and not yet switched in (host.costs.haltExitNs applies at vcpuLoad). */
  wokeFromHalt = false
  kickPending = false
  runnableSince = 0
  // guest
  cur: Task | null = null
  readonly grq: Task[] = []
  tasks: Task[] = []
  /** Pending guest event: the vCPU id while its timer is armed (env.timer), else -1. */
  gev = -1
  gevKind = GK_NONE
  stallEnd = 0
  inIrq = false
  /** In the VM's mm_cpumask (guest.lazyTlb 'leave-mm'): cleared when an idle vCPU takes a shootdown, set when a task runs. */
  inMm = true
  irqEnd = 0
  irqRem = 0
  irqIsIpi = false
  irqSender: Task | null = null
  irqDevicePending = 0
  readonly ipiQueue: Task[] = []
  readonly ipiHandlerNs: number[] = []
  rcuNeedQs = false
  /** Statistics. */
  stealNs = 0
  get halted(): boolean {
    return this.hstate === H_HALTED
  }
  constructor(id: number, vmIdx: number, index: number, se: SchedEntity, rng: Rng, pinned: number) {
    this.id = id
    this.vmIdx = vmIdx
    this.index = index
    this.se = se
    this.rng = rng
    this.pinned = pinned
    // double representation from the start (see Task's constructor)
    this.stallEnd = 0.5
    this.stealNs = 0.5
    this.stallEnd = 0
    this.stealNs = 0
  }
}

export interface VmState {
  readonly idx: number
  readonly name: string
  readonly workload: Workload
  readonly workloadName: string
  readonly vcpus: Vcpu[]
  readonly tasks: Task[]
  /** Section choice: cumulative weights. */
  readonly cumWeights: number[]
  /** Lock instances per section index (outer), and nested per section index. */
  readonly sectionLocks: LockBase[][]
  readonly nestedLocks: (LockBase[] | null)[]
  lastBoosted: number
  ops: number
}
