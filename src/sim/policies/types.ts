/**
 * Host/guest policy hooks: a strategy in the style of a kernel ops table (struct sched_class,
 * pv_lock_ops). Each policy lives in its own file and registers a factory under a string id in
 * registry.ts; the scenario stores `{ id, params }` and `params` is validated by the policy's own
 * zod schema.
 *
 * The hooks are the places where the released eCS patch changes stock KVM/Linux 4.13
 * (ecs-model.md §2.3-2.6, §5.3), so an eCS policy can be written on top of them without engine changes:
 *
 *  - `annotate`          which guest primitives maintain steal_time.preempt_count (spinlock, rwlock, rcu,
 *                        irq) and fake_preempt_count (mutex, rwsem; follows the task across guest context
 *                        switches). 0 for stock KVM: the vanilla guest annotates nothing.
 *  - `tickVeto`          kernel/sched/fair.c check_preempt_tick: called on every host tick where the pCPU's
 *                        cfs_rq has nr_running > 1 and curr is a running vCPU; returning true vetoes
 *                        both tick-preemption conditions (the eCS `flag`). The vCPU's steal-time fields,
 *                        `preemptToggle` and `vetoStreak` are the policy's to read and write.
 *  - `pleCandidate`      virt/kvm/kvm_main.c kvm_vcpu_on_spin: a first pass before the vanilla round-robin
 *                        search; return the VM-local index of the vCPU to yield_to, or -1 to fall back.
 *  - `blockedWaiterSpins` kernel/locking/mutex.c __mutex_lock_common / rwsem-xadd.c writer slowpath: just
 *                        before a blocked waiter would sleep, return true to keep it spinning (TASK_RUNNING)
 *                        instead (the eCS BWW fix reads single_task_running() and steal_time.overloaded).
 *  - `onSchedIn`         vCPU load (kvm_arch_vcpu_load / record_steal_time): e.g. reset a veto streak.
 */
import type { CsKind } from '../../shared/result'

/** Bit for each critical-section kind in `annotate` masks. */
export const CS_BIT: Record<CsKind, number> = { spinlock: 1, rwlock: 2, mutex: 4, rwsem: 8, rcu: 16, irq: 32 }
export const CS_BITS_ALL = 63

/** The per-vCPU state a policy may read (and, for its own scratch fields, write). */
export interface VcpuPolicyView {
  /** Index of the vCPU inside its VM. */
  readonly index: number
  /** Index of the VM. */
  readonly vmIdx: number
  /** steal_time.preempt_count: non-blocking annotated sections held on this vCPU. */
  readonly preemptCount: number
  /** steal_time.fake_preempt_count: blocking-lock holds of the task currently on this vCPU. */
  readonly fakePreemptCount: number
  /** steal_time.preempted (set at every vcpu_put, cleared at entry). */
  readonly stPreempted: number
  /** steal_time.overloaded (!single_task_running() on the host pCPU, written by record_steal_time at vCPU load). */
  readonly stOverloaded: number
  /** Host-side vcpu->preempted (involuntary sched-out while TASK_RUNNING); used by PLE. */
  readonly hostPreempted: boolean
  /** Blocked in the host in halt (not runnable). */
  readonly halted: boolean
  /** Policy scratch: the eCS alternation toggle (host cache of steal_time.preempt_toggle). */
  preemptToggle: number
  /** Policy scratch: consecutive vetoes granted (for capped variants). */
  vetoStreak: number
  /** Policy scratch: nice boosts granted (boost variants). */
  boosts: number
}

export interface HostPolicy {
  readonly id: string
  /** Pause-Loop Exiting on (ple_gap != 0 and the policy does not disable it). */
  readonly pleEnabled: boolean
  /** Bitmask of CS_BIT: primitives whose enter/exit update the steal-time counters. */
  readonly annotate: number
  /** Guest spinlock implementation: PV qspinlock (default) or preemptable ticket spinlocks (locks/pmtlock.ts). */
  readonly spinlock?: 'qspinlock' | 'pmtlock'
  /** @param wouldPreempt check_preempt_tick's own verdict for this tick (slice used up or vruntime lead). */
  tickVeto(v: VcpuPolicyView, wouldPreempt: boolean): boolean
  pleCandidate(me: VcpuPolicyView, vcpus: readonly VcpuPolicyView[]): number
  /** @param hostNrRunning nr_running of the host pCPU the vCPU runs on now (for what-if variants; the released
   *  code can only read v.stOverloaded, written at vCPU load). */
  blockedWaiterSpins(v: VcpuPolicyView, guestNrRunning: number, family: 'mutex' | 'rwsem', hostNrRunning: number): boolean
  onSchedIn(v: VcpuPolicyView): void
  /**
   * Optional nice-boost hook (set_user_nice on the vCPU thread): called on the same ticks as tickVeto,
   * before it, with the VM's configured weight; returns the load weight the vCPU thread should have
   * now. The engine reweights (update_curr first), re-evaluates check_preempt_tick, and restores the
   * configured weight when the vCPU blocks (halt).
   */
  tickWeight?(v: VcpuPolicyView, wouldPreempt: boolean, baseWeight: number): number
}

export interface PolicyCreateContext {
  /** host.ple.gap from the scenario (0 = PLE disabled in the host). */
  pleGap: number
}

export interface PolicyDef {
  readonly id: string
  readonly title: string
  readonly description: string
  /** zod schema of `policy.params` (defaults applied on parse). */
  readonly paramsSchema: { safeParse(input: unknown): { success: true; data: unknown } | { success: false; error: import('zod').ZodError } }
  create(params: unknown, ctx: PolicyCreateContext): HostPolicy
}
