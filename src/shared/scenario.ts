/**
 * Scenario format: what to simulate (host, VMs, workloads, policy, duration, seed).
 *
 * This file is the contract between the UI / CLI / store and the engine in src/sim. It is pure zod +
 * types (no runtime imports but zod) and is exported as JSON Schema in schemas/scenario.schema.json
 * by scripts/gen-schemas.ts.
 *
 * Units: every time is an integer number of nanoseconds (field names end in `Ns`), every hardware
 * cost counted in TSC cycles ends in `Cycles` and is converted with `host.cpuGhz`.
 *
 * Two shapes exist:
 *  - `ScenarioInput` (what a user writes): most fields optional, filled from the defaults below;
 *    `{ preset: 'overcommit-2x', ...overrides }` is also accepted by `resolveScenario` in src/sim.
 *  - `Scenario` (what the engine runs): every field present, derived defaults applied
 *    (CFS tunables log-scaled with the CPU count as `sched_tunable_scaling=LOG` does, warm-up, sockets).
 *
 * Defaults and their sources are in ../shared/ecs-model.md §4.8 and §5.4 (Linux 4.13 kernel/sched/fair.c,
 * arch/x86/kvm/vmx.c, virt/kvm/kvm_main.c, kernel/locking/qspinlock_paravirt.h).
 */
import { z } from 'zod'

const int = (min: number, max: number) => z.number().int().min(min).max(max)
const ns = (min: number, max: number) => int(min, max)

/** Largest simulated duration accepted: 1000 s (ns fit in a double exactly up to 2^53). */
export const MAX_DURATION_NS = 1_000_000_000_000

// ---------------------------------------------------------------------------------------------
// Distributions (time in ns)
// ---------------------------------------------------------------------------------------------

export const DistSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('fixed'), ns: ns(0, MAX_DURATION_NS) }).strict(),
  z.object({ type: z.literal('exp'), meanNs: ns(1, MAX_DURATION_NS) }).strict(),
  z.object({ type: z.literal('uniform'), minNs: ns(0, MAX_DURATION_NS), maxNs: ns(0, MAX_DURATION_NS) }).strict(),
  /** Log-normal: median e^mu, shape sigma. Hold times of kernel locks are right-skewed. */
  z.object({ type: z.literal('lognormal'), medianNs: ns(1, MAX_DURATION_NS), sigma: z.number().min(0).max(4) }).strict()
]).meta({ description: 'A time distribution in nanoseconds.' })
export type Dist = z.infer<typeof DistSchema>

/** True if every draw of `d` is 0 ns. */
export function alwaysZero(d: Dist): boolean {
  return d.type === 'fixed' ? d.ns === 0 : d.type === 'uniform' ? d.maxNs === 0 : false
}

// ---------------------------------------------------------------------------------------------
// Workloads
// ---------------------------------------------------------------------------------------------

export const SECTION_KINDS = [
  'spinlock', 'rwlock-read', 'rwlock-write', 'mutex', 'rwsem-read', 'rwsem-write',
  'rcu-read', 'synchronize-rcu', 'ipi', 'tlb-shootdown', 'sleep', 'none'
] as const
export type SectionKind = (typeof SECTION_KINDS)[number]

/** How waiters of a mutex-family section wait (SectionSchema.waiters). */
export const MUTEX_WAITER_MODES = ['spin', 'sleep', 'handoff', 'token'] as const
export type MutexWaiterMode = (typeof MUTEX_WAITER_MODES)[number]

export const SectionSchema = z.object({
  kind: z.enum(SECTION_KINDS).meta({ description: 'What the task does after its non-critical work.' }),
  weight: z.number().min(0).max(1e9).default(1).meta({ description: 'Relative probability of choosing this section.' }),
  lock: z.string().min(1).max(64).default('L').meta({ description: 'Lock class name; sections with the same family (spinlock / rwlock / mutex / rwsem) and name share instances.' }),
  instances: int(1, 1_000_000).default(1).meta({ description: 'Number of lock instances in the class; each acquisition picks one uniformly (fewer = more contention).' }),
  holdNs: DistSchema.default({ type: 'exp', meanNs: 1000 }).meta({ description: 'Time in the critical section (or sleep time for kind=sleep, handler time for ipi).' }),
  /** Optional inner spinlock taken inside a blocking section (mutex/rwsem) to model nesting. */
  nested: z.object({
    prob: z.number().min(0).max(1),
    lock: z.string().min(1).max(64).default('inner'),
    instances: int(1, 1_000_000).default(1),
    holdNs: DistSchema
  }).strict().optional(),
  targets: int(0, 4096).default(0).meta({ description: 'ipi / tlb-shootdown: number of other vCPUs signalled; 0 = all others.' }),
  waiters: z.enum(MUTEX_WAITER_MODES).optional().meta({ description: "mutex only: how waiters wait. 'spin' (absent): kernel/locking/mutex.c, optimistic spinning while the owner runs, then sleep, hand-off after a failed wake-up; 'sleep': a wait queue, waiters sleep at once and retry when woken, the releaser may take it again (fs/locks.c flock_lock_inode + locks_lock_inode_wait); 'handoff': waiters sleep and every unlock passes ownership to the first waiter, FIFO; 'token': a token ring (FUTEX_WAKE-then-FUTEX_WAIT on a counter): a task never takes the lock twice in a row, it goes on at once when another task took it since its last op (spinning while that task holds it), else it sleeps; each release wakes the first sleeper without reserving the lock for it (engine 0.9.0); one task alone waits forever." })
}).strict()
export type Section = z.infer<typeof SectionSchema>
export type SectionInput = z.input<typeof SectionSchema>

export const WorkloadSchema = z.object({
  title: z.string().max(200).optional(),
  description: z.string().max(4000).optional(),
  tasksPerVcpu: int(1, 64).default(1).meta({ description: 'Guest threads per vCPU (each is homed on one vCPU).' }),
  computeNs: DistSchema.default({ type: 'exp', meanNs: 10_000 }).meta({ description: 'Non-critical work between sections.' }),
  sections: z.array(SectionSchema).max(32).default([]),
  irq: z.object({
    ratePerSec: z.number().min(0).max(1e6).default(0).meta({ description: 'Device interrupts per vCPU per second (Poisson).' }),
    handlerNs: DistSchema.default({ type: 'exp', meanNs: 2000 }),
    softirqNs: DistSchema.default({ type: 'fixed', ns: 0 })
  }).strict().default({ ratePerSec: 0, handlerNs: { type: 'exp', meanNs: 2000 }, softirqNs: { type: 'fixed', ns: 0 } })
}).strict().superRefine((w, ctx) => {
  // Sections are drawn by weight: all-zero weights would silently mean "no sections".
  if (w.sections.length > 0 && w.sections.every((s) => s.weight === 0)) {
    ctx.addIssue({ code: 'custom', path: ['sections'], message: 'every section has weight 0: give at least one section a weight > 0 (0 < weight <= 1e9), or remove the sections' })
  }
  // An operation is computeNs then one section drawn by weight: if every choice takes 0 ns, simulated
  // time never advances and the run would loop forever at one instant.
  const drawn = w.sections.filter((s) => s.weight > 0)
  if (alwaysZero(w.computeNs) && drawn.every((s) => alwaysZero(s.holdNs))) {
    ctx.addIssue({
      code: 'custom', path: ['computeNs'],
      message: `an operation takes 0 ns (computeNs is always 0${drawn.length ? ' and so is every section\'s holdNs' : ' and there are no sections'}): ` +
        'simulated time would never advance; give computeNs or a section holdNs a time > 0 ns'
    })
  }
})
export type Workload = z.infer<typeof WorkloadSchema>
export type WorkloadInput = z.input<typeof WorkloadSchema>

// ---------------------------------------------------------------------------------------------
// Host
// ---------------------------------------------------------------------------------------------

export const CfsSchema = z.object({
  latencyNs: ns(100_000, 1_000_000_000).optional().meta({ description: 'sysctl_sched_latency; default 6 ms x (1+log2(min(pcpus,8))) = 24 ms on >= 8 CPUs.' }),
  minGranularityNs: ns(100_000, 1_000_000_000).optional().meta({ description: 'sysctl_sched_min_granularity; default 0.75 ms x factor = 3 ms.' }),
  wakeupGranularityNs: ns(0, 1_000_000_000).optional().meta({ description: 'sysctl_sched_wakeup_granularity; default 1 ms x factor = 4 ms.' }),
  migrationCostNs: ns(0, 1_000_000_000).default(500_000).meta({ description: 'sysctl_sched_migration_cost (task_hot window), 0.5 ms.' })
}).strict()

export const HOST_SCHEDULERS = ['cfs', 'eevdf'] as const
export type HostSchedulerId = (typeof HOST_SCHEDULERS)[number]

export const EevdfSchema = z.object({
  baseSliceNs: ns(100_000, 1_000_000_000).optional().meta({ description: 'sysctl_sched_base_slice (Linux 6.6); default 0.75 ms x (1+log2(min(pcpus,8))) = 3 ms on >= 8 CPUs.' })
}).strict()

export const PleSchema = z.object({
  gap: int(0, 1 << 30).default(128).meta({ description: 'ple_gap in cycles; 0 disables Pause-Loop Exiting (vmx.c).' }),
  window: int(1, 1 << 30).default(4096).meta({ description: 'ple_window in cycles (vmx.c: most spinlocks held < 2^12 cycles).' }),
  grow: int(0, 1 << 20).default(2).meta({ description: 'ple_window_grow: multiply window on each PAUSE exit (vmx.c).' }),
  shrink: int(0, 1 << 20).default(0).meta({ description: 'ple_window_shrink: 0 = reset to window at sched-in (vmx_sched_in).' }),
  windowMax: int(1, 1 << 30).default(1073741823).meta({ description: 'ple_window_max = INT_MAX/2 cycles.' })
}).strict()

export const HaltPollSchema = z.object({
  maxNs: ns(0, 1_000_000_000).default(200_000).meta({ description: 'halt_poll_ns: upper bound of adaptive polling (x86 KVM_HALT_POLL_NS_DEFAULT 200 us).' }),
  startNs: ns(0, 1_000_000_000).default(10_000).meta({ description: 'First non-zero poll window after a grow (kvm_main.c grow_halt_poll_ns: 10 us).' }),
  grow: int(0, 64).default(2).meta({ description: 'halt_poll_ns_grow.' }),
  shrink: int(0, 64).default(0).meta({ description: 'halt_poll_ns_shrink: 0 = reset to 0.' })
}).strict()

export const CostsSchema = z.object({
  vmExitCycles: int(0, 10_000_000).default(2000).meta({ description: 'Direct VM exit + entry round trip (SplitX: ~2,000 cycles).' }),
  wakeLatencyNs: ns(0, 100_000_000).default(6000).meta({ description: 'Host wakeup of a vCPU thread blocked in halt until it can enter (halt-poll commit: polling saves 5-7 us).' }),
  idleExitNs: ns(0, 100_000_000).optional().meta({ description: 'Extra delay before an idle pCPU runs a thread woken onto it (reschedule IPI + idle-state exit; on a host that is itself a guest, a HLT exit to the outer hypervisor). Absent = 0, as in the paper-host model.' }),
  haltExitNs: ns(0, 100_000_000).optional().meta({ description: 'CPU time of a vCPU thread woken from a blocking HLT before its guest code runs again, on top of contextSwitchNs. KVM: part of the VM entry (contextSwitchNs covers it). Multi-threaded TCG: the way out of qemu_wait_io_event under the BQL plus the emulated guest idle exit (interrupt delivery, NOHZ tick restart with clocksource reads and LAPIC timer writes), tens of us. Absent = 0, as in the paper-host model.' }),
  ipiSendCycles: int(0, 10_000_000).default(2000).meta({ description: 'Sender cost per destination of a virtual IPI: one ICR write exit (KVM PV-IPI commit).' }),
  kickCycles: int(0, 10_000_000).default(2000).meta({ description: 'KVM_HC_KICK_CPU hypercall on the kicking vCPU (one exit).' }),
  cacheLineNs: ns(0, 1_000_000).default(100).meta({ description: 'Lock hand-off latency to a spinning waiter on another core. ASSUMPTION: one cache-line transfer, ~100 ns between sockets of a multi-socket Xeon (Intel MLC-class loaded latencies).' }),
  contextSwitchNs: ns(0, 1_000_000).default(2000).meta({ description: 'Host switch to a vCPU thread until the guest runs again: context switch + vcpu_load (VMCS load) + VM entry. ASSUMPTION: ~1 us thread switch (lmbench lat_ctx class) + one ~2,000-cycle exit/entry round trip (SplitX).' })
}).strict()

export const NoiseSchema = z.object({
  tasksPerPcpu: int(0, 16).default(0).meta({ description: 'Host noise threads per pCPU (e.g. kworkers, ksoftirqd, vhost).' }),
  burstNs: DistSchema.default({ type: 'exp', meanNs: 200_000 }).meta({ description: 'Run time of one noise burst. ASSUMPTION: kworker/vhost-style bursts of ~0.2 ms.' }),
  sleepNs: DistSchema.default({ type: 'exp', meanNs: 5_000_000 }).meta({ description: 'Sleep between bursts. ASSUMPTION: ~4% duty cycle per noise thread.' })
}).strict()

export const GuestSchema = z.object({
  spinThreshold: int(1, 1 << 30).default(1 << 15).meta({ description: 'PV qspinlock SPIN_THRESHOLD iterations before pv_wait (arch/x86/include/asm/spinlock.h: 1<<15).' }),
  waitEarlyMask: int(0, 1 << 20).default(0xff).meta({ description: 'PV_PREV_CHECK_MASK: check the predecessor every mask+1 iterations (qspinlock_paravirt.h).' }),
  spinIterCycles: int(1, 100_000).default(16).meta({ description: 'Cycles per spin-loop iteration: PAUSE (~10 cycles before Skylake, ~140 from Skylake on, per the Intel optimization manual) + load/compare. ASSUMPTION: 16 on the 2.4 GHz pre-Skylake host, so SPIN_THRESHOLD (2^15) lasts ~218 us.' }),
  hz: z.literal([100, 250, 300, 1000]).default(250).meta({ description: 'Guest tick rate (RCU quiescent-state reporting granularity).' }),
  sliceNs: ns(100_000, 1_000_000_000).default(3_000_000).meta({ description: 'Guest round-robin slice between tasks on one vCPU (checked at section boundaries); 3 ms = the guest CFS min_granularity on >= 8 CPUs (kernel/sched/fair.c).' }),
  pvSpinlocks: z.boolean().default(true).meta({ description: 'CONFIG_PARAVIRT_SPINLOCKS: pv_wait/pv_kick halting in qspinlock. false = waiters spin forever.' }),
  lazyTlb: z.enum(['leave-mm', 'skip-lazy', 'all']).default('leave-mm').meta({ description: "Which idle (lazy-TLB) vCPUs a tlb-shootdown section signals. 'leave-mm' (Linux 4.13, arch/x86/mm/tlb.c flush_tlb_func: a CPU in TLBSTATE_LAZY that gets a flush calls leave_mm and leaves mm_cpumask): an idle vCPU gets one shootdown, then none until it runs a task again; 'skip-lazy' (Linux 4.19 to 6.x native_flush_tlb_multi: on_each_cpu_cond_mask(tlb_is_not_lazy)): idle vCPUs get none; 'all': every chosen vCPU, idle or not (engine 0.8.0 and earlier)." })
}).strict()

/** Cores per socket of the default socket layout: the paper's 80-core host is 8 sockets x 10 cores (E7-8870). */
export const DEFAULT_CORES_PER_SOCKET = 10

/**
 * `host.sockets` when the scenario leaves it out (the one place this default is decided; the engine's
 * resolveScenario and the layout designer both call it): sockets of 10 cores when the pCPU count is a
 * multiple of 10 and at least 20 (80 pCPUs = 8 x 10, the paper's host), else one socket. A small host
 * (2, 4, 8 pCPUs) is one socket, as such machines are, not a row of one-core sockets.
 */
export function defaultSockets(pcpus: number): number {
  return pcpus >= 2 * DEFAULT_CORES_PER_SOCKET && pcpus % DEFAULT_CORES_PER_SOCKET === 0 ? pcpus / DEFAULT_CORES_PER_SOCKET : 1
}

export const HostSchema = z.object({
  pcpus: int(1, 4096).default(80).meta({ description: 'Physical CPUs of the host.' }),
  sockets: int(1, 4096).optional().meta({ description: 'Sockets (scheduling domains for balancing); must divide pcpus. Default pcpus / 10 sockets of 10 cores when pcpus is a multiple of 10 and >= 20 (80 pCPUs: 8 x 10), else 1.' }),
  hz: z.literal([100, 250, 300, 1000]).default(250).meta({ description: 'Host CONFIG_HZ (Kconfig default 250).' }),
  cpuGhz: z.number().min(0.1).max(10).default(2.4).meta({ description: 'TSC frequency used to convert cycles to ns (ASSUMPTION: E7-8870 2.4 GHz).' }),
  scheduler: z.enum(HOST_SCHEDULERS).optional().meta({ description: "Host scheduler: 'cfs' (Linux 4.13 CFS, the paper's host; default) or 'eevdf' (Linux 6.6 EEVDF)." }),
  cfs: CfsSchema.default({ migrationCostNs: 500_000 }),
  eevdf: EevdfSchema.optional().meta({ description: "EEVDF tunables (used with scheduler 'eevdf')." }),
  ple: PleSchema.default({ gap: 128, window: 4096, grow: 2, shrink: 0, windowMax: 1073741823 }),
  haltPoll: HaltPollSchema.default({ maxNs: 200_000, startNs: 10_000, grow: 2, shrink: 0 }),
  costs: CostsSchema.default({ vmExitCycles: 2000, wakeLatencyNs: 6000, ipiSendCycles: 2000, kickCycles: 2000, cacheLineNs: 100, contextSwitchNs: 2000 }),
  emulator: z.object({
    burstNs: DistSchema.meta({ description: 'Run time of one wake-up of the emulator thread (timer callback, interrupt delivery, kick).' })
  }).strict().optional().meta({ description: "One emulator (VMM main-loop) thread per VM at the VM's weight, not pinned, woken once per guest tick of each non-halted vCPU: QEMU's main loop under TCG runs the guest's LAPIC timers. Absent (default): KVM's in-kernel LAPIC timer, no such thread." }),
  noise: NoiseSchema.default({ tasksPerPcpu: 0, burstNs: { type: 'exp', meanNs: 200_000 }, sleepNs: { type: 'exp', meanNs: 5_000_000 } })
}).strict()

export const VmSchema = z.object({
  name: z.string().min(1).max(64),
  vcpus: int(1, 1024),
  workload: z.union([z.string().min(1).max(64), WorkloadSchema], { error: 'expected a workload preset id (string) or a workload object' }).meta({ description: 'Workload preset id or a custom workload object.' }),
  pinning: z.array(int(0, 4095)).max(1024).optional().meta({ description: 'pCPU per vCPU (length = vcpus). Default: unpinned.' }),
  weight: int(2, 262144).default(1024).meta({ description: 'CFS load weight of each vCPU thread (1024 = nice 0).' })
}).strict()
export type VmInput = z.input<typeof VmSchema>

export const PolicySchema = z.object({
  id: z.string().min(1).max(64).default('kvm').meta({ description: 'Host/guest policy id from the registry (kvm, kvm-nople, ...).' }),
  params: z.record(z.string(), z.unknown()).default({})
}).strict()

export const START_MODES = ['staggered', 'in-phase'] as const

export const StartSchema = z.object({
  mode: z.enum(START_MODES).default('staggered').meta({ description: "staggered (default): the vCPU threads were started at staggered, seeded times before the simulated window, so every pCPU is at its own point of its current slice at t = 0 (real hosts boot VMs at different times); in-phase: every pCPU starts a fresh slice at t = 0 and, with aligned ticks, switches on the same ticks for the whole run (accidental gang scheduling)." })
}).strict()

export const ScenarioInputSchema = z.object({
  name: z.string().max(200).optional(),
  host: HostSchema.default(HostSchema.parse({})),
  guest: GuestSchema.default(GuestSchema.parse({})),
  vms: z.array(VmSchema).min(1).max(64),
  durationNs: ns(1_000, MAX_DURATION_NS).default(1_000_000_000).meta({ description: 'Simulated time, ns.' }),
  warmupNs: ns(0, MAX_DURATION_NS).optional().meta({ description: 'Excluded from statistics. Default min(50 ms, 10% of duration).' }),
  sampleIntervalNs: ns(1_000, MAX_DURATION_NS).optional().meta({ description: 'Time-series sampling interval. Default duration/100 (>= 1 us).' }),
  seed: int(0, 0xffffffff).default(1).meta({ description: 'uint32 seed; every entity derives its own stream from (seed, stream index).' }),
  start: StartSchema.default({ mode: 'staggered' }).meta({ description: 'How the vCPU threads start: at staggered seeded times before the window (default) or all in phase at t = 0.' }),
  policy: PolicySchema.default({ id: 'kvm', params: {} })
}).strict()
export type ScenarioInput = z.input<typeof ScenarioInputSchema>
type ScenarioParsed = z.output<typeof ScenarioInputSchema>

/** A fully resolved scenario: every default applied. This is what the engine runs and what is stored. */
export type Scenario = Omit<ScenarioParsed, 'host' | 'warmupNs' | 'sampleIntervalNs' | 'vms'> & {
  host: Omit<ScenarioParsed['host'], 'sockets' | 'cfs' | 'scheduler' | 'eevdf'> & {
    sockets: number
    cfs: { latencyNs: number; minGranularityNs: number; wakeupGranularityNs: number; migrationCostNs: number }
    /** Absent = 'cfs' (kept absent so CFS scenarios resolve exactly as before the scheduler choice existed). */
    scheduler?: 'eevdf'
    eevdf?: { baseSliceNs: number }
  }
  vms: Array<Omit<z.output<typeof VmSchema>, 'workload'> & { workload: string | Workload }>
  warmupNs: number
  sampleIntervalNs: number
}

// ---------------------------------------------------------------------------------------------
// Catalog of presets (filled by src/sim)
// ---------------------------------------------------------------------------------------------

export interface ScenarioPresetInfo {
  id: string
  title: string
  description: string
  commitRatio: number
  /** The preset's simulated time, ns (the Run form checks its warm-up against it). */
  durationNs: number
}
export interface WorkloadPresetInfo { id: string; title: string; description: string; mimics: string }
export interface PolicyInfo {
  id: string
  title: string
  description: string
  /** JSON Schema of `policy.params` with defaults (added by main's presets:list; absent straight from src/sim). */
  params?: Record<string, unknown>
}
export interface PresetCatalog {
  scenarios: ScenarioPresetInfo[]
  workloads: WorkloadPresetInfo[]
  policies: PolicyInfo[]
}

/** Thrown by resolveScenario: the message names the field path and the allowed range. */
export class ScenarioError extends Error {
  readonly issues: { path: string; message: string }[]
  constructor(issues: { path: string; message: string }[]) {
    super(issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; '))
    this.name = 'ScenarioError'
    this.issues = issues
  }
}

/** Format zod issues as `path: message` items with allowed ranges spelled out. */
export function formatZodIssues(error: z.ZodError, prefix = ''): { path: string; message: string }[] {
  return formatIssues(error.issues, [prefix])
}

/**
 * A union whose input had the type of exactly one branch (a workload object, not a preset id) reports
 * that branch's own issues with their paths, so the message names the field inside it and its allowed
 * values instead of only "expected a preset id or a workload object".
 */
function formatIssues(issues: readonly z.core.$ZodIssue[], base: string[]): { path: string; message: string }[] {
  return issues.flatMap((i) => {
    const at = [...base, ...i.path.map(String)]
    if (i.code === 'invalid_union' && Array.isArray(i.errors)) {
      const typed = i.errors.filter((b) => !(b.length === 1 && b[0].code === 'invalid_type' && b[0].path.length === 0))
      if (typed.length === 1) return formatIssues(typed[0], at)
    }
    let message = i.message
    if (i.code === 'too_small' || i.code === 'too_big') {
      const rel = i.code === 'too_small' ? (i.inclusive ? '>=' : '>') : (i.inclusive ? '<=' : '<')
      message = `${i.message} (allowed: ${rel} ${String(i.code === 'too_small' ? i.minimum : i.maximum)})`
    }
    return [{ path: at.filter((x) => x !== '').join('.'), message }]
  })
}

/**
 * The sizes a layout import must respect before anything is drawn (the host grid draws one cell per
 * pCPU and vCPU): the scenario's own ranges for pCPUs, VMs and vCPUs per VM. Other fields are checked
 * when the layout is saved or run.
 */
export const LayoutSizeSchema = z.object({
  host: z.object({ pcpus: HostSchema.shape.pcpus }).partial().optional(),
  vms: z.array(z.object({ vcpus: VmSchema.shape.vcpus }).loose()).min(1).max(64)
}).loose()
