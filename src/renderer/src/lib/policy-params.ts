/**
 * A policy's parameters as form fields, from the JSON Schema the catalog lists for it (pure):
 * booleans -> checkbox, enums -> select, numbers -> number input with the schema's range, nullable ->
 * an extra "unbounded" option, arrays of enums -> multi-checkbox; anything else -> JSON text.
 */
import { canonicalJson } from '../../../shared/canonical-json'
import { defaultsFromSchema, nonDefaultParams, type ParamSchema } from '../../../shared/policy-label'

export type ParamKind = 'boolean' | 'enum' | 'number' | 'multi' | 'json'

export interface ParamField {
  name: string
  kind: ParamKind
  description: string
  default: unknown
  /** null is allowed (shown as "unbounded" for numbers). */
  nullable: boolean
  /** enum / multi: the allowed values. */
  options: string[]
  integer: boolean
  min?: number
  max?: number
}

function typesOf(s: ParamSchema): string[] {
  return Array.isArray(s.type) ? s.type : s.type ? [s.type] : []
}

/** One field from a property schema (anyOf with a null branch = nullable). */
export function fieldOf(name: string, prop: ParamSchema): ParamField {
  const branches = prop.anyOf ?? [prop]
  const nullable = branches.some((b) => typesOf(b).includes('null')) || (prop.default === null)
  const main = branches.find((b) => !(typesOf(b).length === 1 && typesOf(b)[0] === 'null')) ?? prop
  const types = typesOf(main).filter((t) => t !== 'null')
  const base = { name, description: prop.description ?? main.description ?? '', default: prop.default, nullable, options: [] as string[], integer: false }
  if (main.enum && main.enum.every((x) => typeof x === 'string')) return { ...base, kind: 'enum', options: main.enum as string[] }
  if (types.includes('boolean')) return { ...base, kind: 'boolean' }
  if (types.includes('integer') || types.includes('number')) {
    const min = main.minimum ?? (main.exclusiveMinimum !== undefined ? main.exclusiveMinimum : undefined)
    const max = main.maximum ?? (main.exclusiveMaximum !== undefined ? main.exclusiveMaximum : undefined)
    return { ...base, kind: 'number', integer: types.includes('integer'), ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) }
  }
  if (types.includes('array') && main.items?.enum?.every((x) => typeof x === 'string')) return { ...base, kind: 'multi', options: main.items.enum as string[] }
  return { ...base, kind: 'json' }
}

/** The fields of a policy's params schema, in the schema's order. */
export function paramFields(schema: Record<string, unknown> | null | undefined): ParamField[] {
  const props = (schema?.['properties'] ?? {}) as Record<string, ParamSchema>
  return Object.entries(props).map(([k, p]) => fieldOf(k, p))
}

/** The form's starting values: every field at its default (a copy). */
export function initialValues(fields: readonly ParamField[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f.name, f.default === undefined ? (f.kind === 'multi' ? [] : f.kind === 'boolean' ? false : null) : JSON.parse(JSON.stringify(f.default)) as unknown]))
}

/** A readable problem with a field's value (null when it is fine), in the words the engine uses. */
export function validateField(f: ParamField, v: unknown): string | null {
  if (v === null) return f.nullable ? null : `${f.name}: a value is required`
  switch (f.kind) {
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return `${f.name}: expected a number${rangeText(f)}`
      if (f.integer && !Number.isInteger(v)) return `${f.name}: expected a whole number${rangeText(f)}`
      if ((f.min !== undefined && v < f.min) || (f.max !== undefined && v > f.max)) return `${f.name}: ${v} is out of range (allowed:${rangeText(f)})`
      return null
    }
    case 'enum':
      return typeof v === 'string' && f.options.includes(v) ? null : `${f.name}: expected one of ${f.options.map((o) => `'${o}'`).join(', ')}`
    case 'multi':
      return Array.isArray(v) && v.every((x) => typeof x === 'string' && f.options.includes(x)) ? null : `${f.name}: expected some of ${f.options.map((o) => `'${o}'`).join(', ')}`
    case 'boolean':
      return typeof v === 'boolean' ? null : `${f.name}: expected true or false`
    default:
      return null
  }
}

function rangeText(f: ParamField): string {
  if (f.min !== undefined && f.max !== undefined) return ` ${f.min} to ${f.max}${f.nullable ? ' or unbounded' : ''}`
  if (f.min !== undefined) return ` >= ${f.min}${f.nullable ? ' or unbounded' : ''}`
  if (f.max !== undefined) return ` <= ${f.max}${f.nullable ? ' or unbounded' : ''}`
  return ''
}

/** Arrays of enum values in the schema's order (so equal selections give equal labels and run keys). */
export function normalizeValues(fields: readonly ParamField[], values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...values }
  for (const f of fields) {
    const v = out[f.name]
    if (f.kind === 'multi' && Array.isArray(v)) out[f.name] = f.options.filter((o) => v.includes(o))
  }
  return out
}

/** The parameters a variant sends: only those that differ from the schema's defaults. */
export function variantParams(schema: Record<string, unknown> | null | undefined, values: Record<string, unknown>): Record<string, unknown> {
  return nonDefaultParams(normalizeValues(paramFields(schema), values), defaultsFromSchema(schema))
}

/** Whether two variants run the same policy with the same parameters. */
export function sameVariant(a: { id: string; params: Record<string, unknown> }, b: { id: string; params: Record<string, unknown> }): boolean {
  return a.id === b.id && canonicalJson(a.params) === canonicalJson(b.params)
}

/**
 * Variants from the URL: each `?variant=` value is `id:{json params}` (or a bare id); unknown ids and
 * bad JSON are reported, not thrown.
 */
export function parseVariantQuery(values: readonly string[], knownIds: readonly string[]): { variants: { id: string; params: Record<string, unknown> }[]; errors: string[] } {
  const variants: { id: string; params: Record<string, unknown> }[] = []
  const errors: string[] = []
  for (const raw of values) {
    const i = raw.indexOf(':')
    const id = (i < 0 ? raw : raw.slice(0, i)).trim()
    if (!knownIds.includes(id)) {
      errors.push(`variant '${raw}': unknown policy '${id}'`)
      continue
    }
    let params: unknown = {}
    if (i >= 0 && raw.slice(i + 1).trim()) {
      try {
        params = JSON.parse(raw.slice(i + 1))
      } catch {
        errors.push(`variant '${raw}': the parameters are not JSON (e.g. ecs:{"vetoCap":4})`)
        continue
      }
    }
    if (!params || typeof params !== 'object' || Array.isArray(params)) {
      errors.push(`variant '${raw}': the parameters must be a JSON object`)
      continue
    }
    variants.push({ id, params: params as Record<string, unknown> })
  }
  return { variants, errors }
}

/** The `?variant=` value of a variant (inverse of parseVariantQuery). */
export function variantQueryValue(v: { id: string; params: Record<string, unknown> }): string {
  return Object.keys(v.params).length ? `${v.id}:${JSON.stringify(v.params)}` : v.id
}
