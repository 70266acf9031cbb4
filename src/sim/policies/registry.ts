/**
 * Policy registry: string id -> PolicyDef (one file per policy, DEFINE_SCHED_CLASS style).
 * Later policies (ecs, ecs-alternate, ecs-host, ecs-guest, pmtlock) add one import + one entry here.
 */
import type { PolicyDef } from './types'
import { kvmPolicy } from './kvm'
import { kvmNoplePolicy } from './kvm-nople'

const POLICIES: readonly PolicyDef[] = [kvmPolicy, kvmNoplePolicy]

export function listPolicies(): readonly PolicyDef[] {
  return POLICIES
}

export function findPolicy(id: string): PolicyDef | undefined {
  return POLICIES.find((p) => p.id === id)
}
