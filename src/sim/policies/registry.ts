/**
 * Policy registry: string id -> PolicyDef (one file per policy, DEFINE_SCHED_CLASS style).
 */
import type { PolicyDef } from './types'
import { kvmPolicy } from './kvm'
import { kvmNoplePolicy } from './kvm-nople'
import { ecsPolicy } from './ecs'
import { ecsAlternatePolicy } from './ecs-alternate'
import { ecsHostPolicy } from './ecs-host'
import { ecsGuestPolicy } from './ecs-guest'
import { pmtlockPolicy } from './pmtlock'

const POLICIES: readonly PolicyDef[] = [kvmPolicy, kvmNoplePolicy, ecsPolicy, ecsAlternatePolicy, ecsHostPolicy, ecsGuestPolicy, pmtlockPolicy]

export function listPolicies(): readonly PolicyDef[] {
  return POLICIES
}

export function findPolicy(id: string): PolicyDef | undefined {
  return POLICIES.find((p) => p.id === id)
}
