/**
 * Policy `ecs-guest`: the guest half of eCS (ecs-model.md §5.3 (b)): blocked mutex/rwsem waiters keep
 * spinning when their guest runqueue has one task and steal_time.overloaded is 0 (the BWW fix); the host
 * is stock KVM (no veto, vanilla PLE search). Annotations still run (they are plain memory writes) so
 * the host-side debugfs counters stay comparable.
 */
import { ECS_FULL, ecsFamilyDef } from './ecs'

export const ecsGuestPolicy = ecsFamilyDef(
  'ecs-guest',
  'eCS guest side only (blocked-waiter spin)',
  'Stock KVM host (no veto, vanilla PLE); the guest keeps blocked mutex/rwsem waiters spinning when alone on a non-overloaded pCPU.',
  { ...ECS_FULL, veto: false, plePass: false }
)
