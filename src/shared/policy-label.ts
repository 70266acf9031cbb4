/**
 * Policy variants: a policy id with parameters (`ecs` with `vetoCap: 4`) and the one label every
 * surface shows for it — the id alone when every parameter is at its default, else the id and the
 * non-default parameters in key order: `ecs {vetoCap: 4}`, `ecs {annotate: ['spinlock','mutex'], boost: 'nice'}`.
 * Stored runs carry their fully resolved parameters, so the label needs the policy's defaults to drop
 * the ones at their default (main reads them from the engine, the renderer from the catalog's schema).
 */

import { canonicalJson } from './canonical-json'

/** A `runs:start` policy reference: an id, or an id with (non-default) parameters. */
export type PolicyRef = string | { id: string; params?: Record<string, unknown> }

/** The parameters that differ from `defaults`, keys sorted. A key without a default always counts. */
export function nonDefaultParams(params: Record<string, unknown> | null | undefined, defaults: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(params ?? {}).sort()) {
    const v = params![k]
    if (v === undefined) continue
    if (k in defaults && canonicalJson(v) === canonicalJson(defaults[k])) continue
    out[k] = v
  }
  return out
}

/** A parameter value as a short literal: 4, 'nice', null, true, ['spinlock','mutex']. */
export function formatParamValue(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`
  if (Array.isArray(v)) return `[${v.map(formatParamValue).join(',')}]`
  if (v && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${k}: ${formatParamValue(x)}`).join(', ')}}`
  return String(v)
}

/** `ecs`, `ecs {vetoCap: 4}`, `ecs {boost: 'nice', vetoCap: null}`: the id plus its non-default parameters, keys sorted. */
export function policyLabel(id: string, params?: Record<string, unknown> | null, defaults?: Record<string, unknown>): string {
  const nd = nonDefaultParams(params, defaults)
  const keys = Object.keys(nd)
  return keys.length ? `${id} {${keys.map((k) => `${k}: ${formatParamValue(nd[k])}`).join(', ')}}` : id
}

/** The label of a policy reference as `runs:start` takes it. */
export function policyRefLabel(ref: PolicyRef, defaults?: Record<string, unknown>): string {
  return typeof ref === 'string' ? ref : policyLabel(ref.id, ref.params, defaults)
}

/** The key of a policy reference (its id, or id + canonical non-default params): equal keys run the same policy. */
export function policyRefKey(ref: PolicyRef, defaults?: Record<string, unknown>): string {
  if (typeof ref === 'string') return ref
  const nd = nonDefaultParams(ref.params, defaults)
  return Object.keys(nd).length ? `${ref.id} ${canonicalJson(nd)}` : ref.id
}

/** A JSON Schema property, as `z.toJSONSchema` writes a policy's parameter. */
export interface ParamSchema {
  type?: string | string[]
  enum?: unknown[]
  default?: unknown
  description?: string
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  items?: ParamSchema
  anyOf?: ParamSchema[]
}

/** Every parameter's default from a policy's params JSON Schema (`{ properties: { x: { default } } }`). */
export function defaultsFromSchema(schema: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const props = (schema?.['properties'] ?? {}) as Record<string, ParamSchema>
  const out: Record<string, unknown> = {}
  for (const [k, p] of Object.entries(props)) if (p && 'default' in p) out[k] = p.default
  return out
}
