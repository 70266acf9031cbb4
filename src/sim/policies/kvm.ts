/**
 * Policy `kvm`: stock KVM on Linux 4.13 with a vanilla PV guest (the paper's inferred baseline,
 * ecs-model.md §3.2 "INFERRED baselines"): PV qspinlock with pv_wait/pv_kick, vcpu_is_preempted for
 * optimistic spinning, Pause-Loop Exiting with kvm_vcpu_on_spin directed yield. No guest annotation,
 * no tick veto, blocked waiters always sleep.
 * Sources: virt/kvm/kvm_main.c (kvm_vcpu_on_spin), arch/x86/kvm/vmx.c (handle_pause, ple_window),
 * kernel/sched/fair.c (check_preempt_tick), kernel/locking/mutex.c.
 */
import { z } from 'zod'
import type { HostPolicy, PolicyDef } from './types'

export const kvmParams = z.object({}).strict()

export function makeStockPolicy(id: string, pleEnabled: boolean): HostPolicy {
  return {
    id,
    pleEnabled,
    annotate: 0,
    tickVeto: () => false,
    pleCandidate: () => -1,
    blockedWaiterSpins: () => false,
    onSchedIn: () => {}
  }
}

export const kvmPolicy: PolicyDef = {
  id: 'kvm',
  title: 'KVM baseline (PLE + directed yield, PV qspinlock)',
  description: 'Stock Linux 4.13 KVM host with a PV guest: PLE on (ple_gap=128), pv_wait/pv_kick, vcpu_is_preempted.',
  paramsSchema: kvmParams,
  create: (_params, ctx) => makeStockPolicy('kvm', ctx.pleGap > 0)
}
