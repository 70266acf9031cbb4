/** Dotted-path views of nested objects, for parameter diffs and "any parameter" filters (pure). */

/** `{host: {pcpus: 8}, vms: [{name: 'a'}]}` -> `{'host.pcpus': 8, 'vms.0.name': 'a'}` (leaves only). */
export function flatten(value: unknown, prefix = '', out: Record<string, string | number | boolean | null> = {}): Record<string, string | number | boolean | null> {
  if (value === null || value === undefined) {
    if (prefix) out[prefix] = null
    return out
  }
  if (Array.isArray(value)) {
    if (value.length === 0 && prefix) out[prefix] = '[]'
    value.forEach((v, i) => flatten(v, prefix ? `${prefix}.${i}` : String(i), out))
    return out
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
    if (entries.length === 0 && prefix) out[prefix] = '{}'
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out)
    return out
  }
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
    out[prefix] = value
    return out
  }
  out[prefix] = String(value)
  return out
}

export interface DiffRow {
  path: string
  values: (string | number | boolean | null)[]
  /** True when not every column has the same value. */
  differs: boolean
}

/** One row per path present in any of `items`, sorted by path, optionally only those that differ. */
export function paramDiff(items: readonly Record<string, unknown>[], differencesOnly: boolean): DiffRow[] {
  const flats = items.map((x) => flatten(x))
  const paths = [...new Set(flats.flatMap((f) => Object.keys(f)))].sort(comparePaths)
  const rows = paths.map((path) => {
    const values = flats.map((f) => (path in f ? f[path] : null))
    const differs = values.some((v) => v !== values[0])
    return { path, values, differs }
  })
  return differencesOnly ? rows.filter((r) => r.differs) : rows
}

/** Sorts `vms.10.x` after `vms.2.x` (numeric segments compare as numbers). */
export function comparePaths(a: string, b: string): number {
  const as = a.split('.')
  const bs = b.split('.')
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    if (as[i] === bs[i]) continue
    const an = Number(as[i])
    const bn = Number(bs[i])
    if (Number.isInteger(an) && Number.isInteger(bn)) return an - bn
    return as[i] < bs[i] ? -1 : 1
  }
  return as.length - bs.length
}
