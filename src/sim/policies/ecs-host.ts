/**
 * Policy `ecs-host`: the host half of eCS (ecs-model.md §5.3 (a)): annotations + tick veto + PLE
 * in-CS first pass; the guest's blocked-waiter spin-instead-of-sleep is off (waiters sleep as in stock
 * 4.13). The annotations are a guest change but carry no behaviour by themselves.
 */
import { ECS_FULL, ecsFamilyDef } from './ecs'

export const ecsHostPolicy = ecsFamilyDef(
  'ecs-host',
  'eCS host side only (veto + PLE pass)',
  'Guest annotations with the host tick veto (every in-CS tick) and the PLE in-CS pass; blocked waiters still sleep.',
  { ...ECS_FULL, blockedWaiterSpin: false }
)
