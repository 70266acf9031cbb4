/**
 * Policy `ecs`: full eCS as released (sslab-gatech/eCS eCS.patch against Linux 4.13; ecs-model.md
 * §2.3-2.6, §5.3). One factory builds the whole family; `ecs-alternate`, `ecs-host` and `ecs-guest`
 * are this policy with other defaults (their own files).
 *
 *  guest   every primitive of §2.6 is annotated: qspinlock, qrwlock, RCU reader, hard IRQ/softirq on
 *          steal_time.preempt_count; mutex and rwsem on fake_preempt_count, which follows the task across
 *          guest context switches (the engine saves/restores it). Intended semantics, not the released
 *          code's slips (rwsem helpers compiled out, slowpath double count, uncontended mutex_unlock not
 *          decrementing): `annotate` can drop kinds to emulate the released build.
 *  host    kvm_arch_check_schedule: on a tick with cfs_rq nr_running > 1 and the vCPU in a CS
 *          (preempt_count > 0 || fake_preempt_count > 0) the flag vetoes both check_preempt_tick
 *          conditions. vetoMode 'effective' = veto every in-CS tick (what the released code does: the
 *          flipped toggle is overwritten from guest memory at the next read); 'alternate' = flip the
 *          toggle on every in-CS tick and veto when it reads 1 (what its comment intends).
 *          Optional `vetoCap` k: at most k avoided preemptions per run stint (a stand-in for the paper's
 *          unknown abuse bound; ecs-model.md §5.3 (f)).
 *          kvm_vcpu_on_spin: first pass over all vCPUs of the VM for one that is preempted, not halted
 *          and in a CS; else the vanilla round-robin search.
 *  guest   BWW fix: a mutex / rwsem waiter about to sleep keeps spinning when its guest runqueue has a
 *          single task and steal_time.overloaded is 0 (__mutex_lock_common, rwsem writer slowpath).
 *          `overloaded: 'steal-time'` (released) reads the flag as the host last wrote it: record_steal_time
 *          sets `overloaded = !single_task_running()` only when KVM_REQ_STEAL_UPDATE is pending, which
 *          kvm_arch_vcpu_load alone requests ([PATCH] x86.c record_steal_time; nothing else in the patch
 *          requests it), so a vCPU loaded onto an idle pCPU keeps reading 0 after another vCPU thread
 *          becomes runnable there. `overloaded: 'live'` is a what-if, not released code: the guest sees the
 *          pCPU's current run queue (as if the host rewrote the flag on every enqueue/dequeue), the upper
 *          bound of what a fresher flag could do.
 *
 *  host    optional `boost: 'nice'` variant (disabled `#if 0` code of the patch, ecs-model.md §2.3 (e);
 *          INFERRED semantics from its constants): instead of vetoing, a tick that would preempt an in-CS
 *          vCPU raises its thread to nice -6 (KVM_MIN_NICE; weight 3906 vs 1024) — a longer slice and
 *          slower vruntime — up to MAX_EXTRA_SCHEDULES = 8 such ticks; after that nice +7 (KVM_MAX_NICE,
 *          weight 215) as the penalty until it leaves its CS; back to nice 0 when a tick finds it outside a
 *          CS or when it blocks.
 *
 * Deviations: the round-robin boost-token variant (disabled code) is not modelled; the toggle persists
 * across run stints (host cache) in 'alternate' mode.
 */
import { z } from 'zod'
import { CS_KINDS, type CsKind } from '../../shared/result'
import { CS_BIT, type HostPolicy, type PolicyCreateContext, type PolicyDef, type VcpuPolicyView } from './types'

export type VetoMode = 'effective' | 'alternate'

/** sched_prio_to_weight[] of nice -6 and nice +7 (kernel/sched/core.c), and MAX_EXTRA_SCHEDULES. */
export const NICE_M6_WEIGHT = 3906
export const NICE_P7_WEIGHT = 215
export const MAX_EXTRA_SCHEDULES = 8

export interface EcsOptions {
  /** Host: veto tick preemption of in-CS vCPUs. */
  veto: boolean
  vetoMode: VetoMode
  /** Max avoided tick preemptions per run stint; null = unbounded (released code). */
  vetoCap: number | null
  /** Host: PLE directed yield looks for a preempted in-CS vCPU first. */
  plePass: boolean
  /** Guest: blocked mutex/rwsem waiters spin when alone on a non-overloaded pCPU. */
  blockedWaiterSpin: boolean
  /** Guest primitives that maintain the steal-time counters. */
  annotate: CsKind[]
  /** 'nice': the disabled nice-boost variant replaces the veto. */
  boost: 'none' | 'nice'
  /** Guest BWW fix: the overloaded hint as released ('steal-time', refreshed at vCPU load) or current ('live', what-if). */
  overloaded: 'steal-time' | 'live'
}

/** zod schema of the family's params with per-policy defaults. */
export function ecsParamsSchema(d: EcsOptions) {
  return z.object({
    veto: z.boolean().default(d.veto).describe('host: veto tick preemption while the vCPU is in a critical section'),
    vetoMode: z.enum(['effective', 'alternate']).default(d.vetoMode).describe("'effective': every in-CS tick (released code); 'alternate': every other in-CS tick (its comment)"),
    vetoCap: z.number().int().min(1).max(1_000_000).nullable().default(d.vetoCap).describe('at most k avoided tick preemptions per run stint (null: unbounded)'),
    plePass: z.boolean().default(d.plePass).describe('host: PLE directed yield prefers a preempted, non-halted in-CS vCPU'),
    blockedWaiterSpin: z.boolean().default(d.blockedWaiterSpin).describe('guest: blocked mutex/rwsem waiters spin when single_task_running && !overloaded'),
    annotate: z.array(z.enum(CS_KINDS)).default(d.annotate).describe('annotated primitives (spinlock, rwlock, mutex, rwsem, rcu, irq)'),
    boost: z.enum(['none', 'nice']).default(d.boost).describe("'nice': instead of vetoing, nice -6 for up to 8 ticks that would preempt an in-CS vCPU, then nice +7 until it leaves the CS (disabled variant of the patch)"),
    overloaded: z.enum(['steal-time', 'live']).default(d.overloaded).describe("guest BWW fix reads 'steal-time' (steal_time.overloaded as released: refreshed only at vCPU load) or 'live' (what-if: the pCPU's current run queue)")
  }).strict()
}

export const ECS_FULL: EcsOptions = { veto: true, vetoMode: 'effective', vetoCap: null, plePass: true, blockedWaiterSpin: true, annotate: [...CS_KINDS], boost: 'none', overloaded: 'steal-time' }

function inCs(v: VcpuPolicyView): boolean {
  return v.preemptCount > 0 || v.fakePreemptCount > 0
}

export function makeEcsPolicy(id: string, o: EcsOptions, ctx: PolicyCreateContext): HostPolicy {
  let mask = 0
  for (const k of o.annotate) mask |= CS_BIT[k]
  const alternate = o.vetoMode === 'alternate'
  const cap = o.vetoCap
  const niceBoost = o.boost === 'nice'
  const liveOverloaded = o.overloaded === 'live'
  const p: HostPolicy = {
    id,
    pleEnabled: ctx.pleGap > 0,
    annotate: mask,
    tickVeto(v: VcpuPolicyView, wouldPreempt: boolean): boolean {
      if (!o.veto || niceBoost || !inCs(v)) return false
      let flag = true
      if (alternate) {
        // preempt_toggle ^= 1; flag = preempt_toggle (the toggle flips on every in-CS tick)
        v.preemptToggle ^= 1
        flag = v.preemptToggle === 1
      }
      if (flag && wouldPreempt && cap !== null) {
        if (v.vetoStreak >= cap) return false
        v.vetoStreak++
      }
      return flag
    },
    pleCandidate(me: VcpuPolicyView, vcpus: readonly VcpuPolicyView[]): number {
      if (!o.plePass) return -1
      for (let i = 0; i < vcpus.length; i++) {
        const v = vcpus[i]
        if (v !== me && v.hostPreempted && !v.halted && inCs(v)) return v.index
      }
      return -1
    },
    blockedWaiterSpins(v: VcpuPolicyView, guestNrRunning: number, _family: 'mutex' | 'rwsem', hostNrRunning: number): boolean {
      if (!o.blockedWaiterSpin || guestNrRunning !== 1) return false
      // vcpu_pcpu_is_overloaded(): steal_time.overloaded as the host last wrote it, or (what-if) now
      return liveOverloaded ? hostNrRunning <= 1 : v.stOverloaded === 0
    },
    onSchedIn(v: VcpuPolicyView): void {
      v.vetoStreak = 0
    }
  }
  if (niceBoost) {
    p.tickWeight = (v: VcpuPolicyView, wouldPreempt: boolean, baseWeight: number): number => {
      if (!inCs(v)) {
        v.boosts = 0
        return baseWeight
      }
      if (wouldPreempt) v.boosts++
      if (v.boosts === 0) return baseWeight
      return Math.round((baseWeight * (v.boosts <= MAX_EXTRA_SCHEDULES ? NICE_M6_WEIGHT : NICE_P7_WEIGHT)) / 1024)
    }
  }
  return p
}

/** How the tick veto works on an EEVDF host (host/eevdf.ts): this project's port, not released code. */
export const ECS_EEVDF_NOTE = " On an EEVDF host (this project's port; the patch targets 4.13 CFS): the veto applies to update_deadline's slice-expiry resched at the tick, and a vetoed request stays expired so every following tick re-asks."

/** Build a PolicyDef of the family with its own defaults. */
export function ecsFamilyDef(id: string, title: string, description: string, defaults: EcsOptions): PolicyDef {
  const schema = ecsParamsSchema(defaults)
  return {
    id,
    title,
    description: defaults.veto ? description + ECS_EEVDF_NOTE : description,
    paramsSchema: schema,
    create: (params, ctx) => makeEcsPolicy(id, schema.parse(params ?? {}) as EcsOptions, ctx)
  }
}

export const ecsPolicy: PolicyDef = ecsFamilyDef(
  'ecs',
  'eCS (full, as released: veto every in-CS tick)',
  'Guest annotates all primitives; host vetoes every in-CS tick preemption, PLE prefers preempted in-CS vCPUs; blocked mutex/rwsem waiters spin when alone on a non-overloaded pCPU.',
  ECS_FULL
)
