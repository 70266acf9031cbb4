/**
 * What the Compare page shows, as pure functions: the parameter diff (scenario fields once, policy
 * parameters at their default hidden, lists of names as one row), the baseline a comparison is
 * relative to, and per-run deltas of a metric against that baseline.
 */
import { canonicalJson } from '../../../shared/canonical-json'
import { GuestSchema, HostSchema } from '../../../shared/scenario'
import { log2HistogramQuantile } from '../../../shared/histogram'
import { comparePaths, flatten, type DiffRow } from './flatten'

/** The parts of a stored run the diff looks at. */
export interface CompareItem {
  scenario: Record<string, unknown>
  policy: string
  policyParams: Record<string, unknown>
  seed: number
  engineVersion: string
}

export interface CompareDiffOptions {
  differencesOnly: boolean
  /** Show rows where every run is at the default (policy parameters, host and guest fields). */
  showDefaults: boolean
  /** A policy's parameter defaults (from the catalog's schema), undefined when unknown. */
  policyDefaults?: (policyId: string) => Record<string, unknown> | undefined
}

type Leaf = string | number | boolean | null

/** Flatten, but a list of plain values (annotate: ['spinlock', ...]) is one leaf: `spinlock, rwlock`. */
export function flattenCompact(value: unknown, prefix = '', out: Record<string, Leaf> = {}): Record<string, Leaf> {
  if (Array.isArray(value) && value.length > 0 && value.every((x) => x === null || typeof x !== 'object')) {
    out[prefix] = value.map((x) => String(x)).join(', ')
    return out
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>)
    if (entries.length === 0) return flatten(value, prefix, out)
    for (const [k, v] of entries) flattenCompact(v, prefix ? `${prefix}.${k}` : k, out)
    return out
  }
  if (Array.isArray(value) && value.length > 0) {
    value.forEach((v, i) => flattenCompact(v, prefix ? `${prefix}.${i}` : String(i), out))
    return out
  }
  return flatten(value, prefix, out)
}

/** Defaults of the scenario's host and guest blocks, as flattened paths (`host.hz` -> 250). */
function scenarioDefaults(): Record<string, Leaf> {
  return flattenCompact({ host: HostSchema.parse({}), guest: GuestSchema.parse({}) })
}
let cachedDefaults: Record<string, Leaf> | null = null

/**
 * One row per parameter: `policy`, `policy.params.*`, `seed`, `engine`, then the scenario's own fields
 * (`host.pcpus`, `vms.0.workload`, ...) once — the scenario's embedded policy and seed are the same
 * values, so they are not repeated as `scenario.policy.*`.
 */
export function compareDiff(items: readonly CompareItem[], opts: CompareDiffOptions): DiffRow[] {
  const defaults = (cachedDefaults ??= scenarioDefaults())
  const flats = items.map((it) => {
    const { policy: _p, seed: _s, ...scenario } = it.scenario
    return flattenCompact({ policy: it.policy, seed: it.seed, engine: it.engineVersion, ...scenario, ...prefixed('policy.params', it.policyParams) })
  })
  const paths = [...new Set(flats.flatMap((f) => Object.keys(f)))].sort(orderPaths)
  const rows: DiffRow[] = []
  for (const path of paths) {
    const values = flats.map((f) => (path in f ? f[path]! : null))
    const differs = values.some((v) => v !== values[0])
    if (opts.differencesOnly && !differs) continue
    if (!opts.showDefaults && atDefault(path, values, items, defaults, opts.policyDefaults)) continue
    rows.push({ path, values, differs })
  }
  return rows
}

function prefixed(prefix: string, params: Record<string, unknown>): Record<string, Leaf> {
  const flat = flattenCompact(params ?? {})
  return Object.fromEntries(Object.entries(flat).map(([k, v]) => [`${prefix}.${k}`, v]))
}

function atDefault(path: string, values: Leaf[], items: readonly CompareItem[], defaults: Record<string, Leaf>, policyDefaults?: CompareDiffOptions['policyDefaults']): boolean {
  if (path.startsWith('policy.params.')) {
    const key = path.slice('policy.params.'.length)
    // every run either has no such parameter (another policy) or has it at its policy's default
    return values.every((v, i) => {
      if (v === null && !(key in (items[i]!.policyParams ?? {}))) return true
      const d = policyDefaults?.(items[i]!.policy)
      if (!d || !(key in d)) return false
      return canonicalJson(flattenCompact({ x: d[key] })['x'] ?? null) === canonicalJson(v)
    })
  }
  return path in defaults && values.every((v) => v === defaults[path])
}

const FIRST = ['policy', 'seed', 'engine']
/** policy, its parameters, seed, engine first; then the scenario's paths (numeric segments as numbers). */
function orderPaths(a: string, b: string): number {
  const rank = (p: string) => {
    const i = FIRST.indexOf(p)
    if (i >= 0) return i === 0 ? 0 : i + 1
    return p.startsWith('policy.params.') ? 1 : 10
  }
  return rank(a) - rank(b) || comparePaths(a, b)
}

/** The default baseline: the first run of the kernel's own policy (`kvm`), else the first run. */
export function defaultBaseline(runs: readonly { id: string; policy: string }[]): string | null {
  return (runs.find((r) => r.policy === 'kvm') ?? runs[0])?.id ?? null
}

export interface Delta {
  value: number | null
  /** value - baseline. */
  delta: number | null
  /** 100 * (value - baseline) / baseline; null when the baseline is 0 or a value is missing. */
  percent: number | null
}

/** A run's value of one metric against the baseline's. */
export function deltaTo(baseline: number | undefined | null, value: number | undefined | null): Delta {
  const ok = (x: number | undefined | null): x is number => typeof x === 'number' && Number.isFinite(x)
  if (!ok(value)) return { value: null, delta: null, percent: null }
  if (!ok(baseline)) return { value, delta: null, percent: null }
  return { value, delta: value - baseline, percent: baseline === 0 ? null : (100 * (value - baseline)) / baseline }
}

/** A signed percentage: `+3.2 %`, `-0.5 %`, `0 %`, `—`. */
export function formatPercent(p: number | null): string {
  if (p === null) return '—'
  if (p === 0) return '0 %'
  const digits = Math.abs(p) >= 100 ? 0 : Math.abs(p) >= 10 ? 1 : 2
  return `${p > 0 ? '+' : '−'}${Math.abs(p).toFixed(digits)} %`
}

/**
 * A run's metrics with the lock-wait percentiles recomputed from its stored histogram (interpolated
 * within the log2 bucket), so runs stored before that change do not show bucket bounds (only the
 * percentile metrics the run has are replaced).
 */
export function withInterpolatedPercentiles(metrics: Record<string, number>, histogram: readonly number[] | undefined): Record<string, number> {
  if (!histogram || !histogram.length) return metrics
  const out = { ...metrics }
  if ('lockWait.p50Ns' in out) out['lockWait.p50Ns'] = log2HistogramQuantile(histogram, 0.5)
  if ('lockWait.p99Ns' in out) out['lockWait.p99Ns'] = log2HistogramQuantile(histogram, 0.99)
  return out
}
