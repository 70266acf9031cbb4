/**
 * The engine's policies as the app and the CLI list them (parameters as JSON Schema, defaults
 * included), and the variant label of a stored run (`ecs {vetoCap: 4}`; see shared/policy-label).
 */
import { z } from 'zod'
import { listPolicies } from '../sim/index'
import type { PolicyInfo } from '../shared/scenario'
import { defaultsFromSchema, policyLabel } from '../shared/policy-label'

export type PolicyListing = PolicyInfo & { params: Record<string, unknown> }

let listing: PolicyListing[] | null = null
let defaults: Map<string, Record<string, unknown>> | null = null

/** Every registered policy with its parameters' JSON Schema (input side: defaults included). */
export function policyListing(): PolicyListing[] {
  listing ??= listPolicies().map((p) => ({
    id: p.id,
    title: p.title,
    description: p.description,
    params: z.toJSONSchema(p.paramsSchema as unknown as z.ZodType, { io: 'input' }) as Record<string, unknown>
  }))
  return listing
}

/** A policy's parameter defaults ({} for an unknown id). */
export function policyDefaults(id: string): Record<string, unknown> {
  defaults ??= new Map(policyListing().map((p) => [p.id, defaultsFromSchema(p.params)]))
  return defaults.get(id) ?? {}
}

/** The label of a run's policy: the id plus the parameters that differ from the engine's defaults. */
export function runPolicyLabel(id: string, params: Record<string, unknown> | null | undefined): string {
  return policyLabel(id, params, policyDefaults(id))
}
