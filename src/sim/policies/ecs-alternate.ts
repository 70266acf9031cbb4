/**
 * Policy `ecs-alternate`: full eCS with the veto toggle working as kvm_arch_check_schedule's code is
 * written (ecs-model.md §2.3 "as written: alternation"): the cached preempt_toggle flips on every tick
 * that finds the vCPU in a CS and vetoes only when it reads 1 — one extra tick, then normal.
 * Everything else as `ecs` (ecs.ts).
 */
import { ECS_FULL, ecsFamilyDef } from './ecs'

export const ecsAlternatePolicy = ecsFamilyDef(
  'ecs-alternate',
  'eCS, alternating veto (as the code comment intends)',
  'Full eCS, but the tick veto alternates: the preempt_toggle flips on every in-CS tick and vetoes when it reads 1.',
  { ...ECS_FULL, vetoMode: 'alternate' }
)
