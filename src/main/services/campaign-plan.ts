/**
 * Expands a campaign into its matrix of runs, validating every cell with the engine before anything
 * is stored: scenarios x sweep points x policies x seeds, in that order (the cell index is stable, so
 * `--shard i/N` takes the cells with index % N == i on every machine).
 *
 * A sweep key is a dotted path into the scenario (`host.hz`, `vms.1.vcpus`, `policy.params.vetoCap`).
 * Values are applied to the scenario *input* (the preset reference plus overrides), so the engine
 * derives dependent defaults (CFS tunables from pcpus, warm-up from duration) from the swept values.
 */
import { setDottedPath } from '../../shared/dotted-path'
import { assertTextDepth } from '../../shared/json-depth'
import { readFileSync } from 'node:fs'
import { basename, dirname, resolve as resolvePath } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { CampaignSchema, campaignSeeds, type Campaign, type CampaignScenario, type Shard } from '../../shared/campaign'
import type { z } from 'zod'
import type { Scenario } from '../../shared/scenario'
import { campaignKey, runKey } from '../store/canonical'

export interface Engine {
  engineVersion: string
  resolveScenario(input: unknown): Scenario
}

export class CampaignError extends Error {
  readonly issues: string[]
  readonly code = 'invalid-argument'
  constructor(source: string, issues: string[]) {
    const shown = issues.slice(0, 20)
    super(`${source}: ${issues.length === 1 ? issues[0] : `${issues.length} problems:\n  - ${shown.join('\n  - ')}${issues.length > shown.length ? `\n  - ... and ${issues.length - shown.length} more` : ''}`}`)
    this.name = 'CampaignError'
    this.issues = issues
  }
}

export interface PlannedRun {
  index: number
  /** Content hash: the run's id in every store. */
  id: string
  scenario: Scenario
  label: string
  policyLabel: string
  seed: number
  /** Matrix coordinates: scenario, policy, seed and one entry per sweep path. */
  params: Record<string, unknown>
}

export interface CampaignPlan {
  id: string
  spec: Campaign
  /** This shard's runs (all of them without --shard). */
  runs: PlannedRun[]
  /** Distinct runs of the whole matrix, all shards. */
  total: number
}

/** One `path: message` line per zod issue; record-key issues report the key's own rule. */
function zodIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const path = i.path.map(String).join('.') || '(root)'
    const inner = (i as { issues?: { message: string }[] }).issues
    const message = i.code === 'invalid_key' && inner?.length ? `invalid key: ${inner.map((x) => x.message).join(', ')}` : i.message
    return `${path}: ${message}`
  })
}

/** Parses YAML or JSON text (JSON is YAML 1.2) and validates it against the campaign schema. */
export function parseCampaignText(text: string, source = 'campaign'): Campaign {
  let raw: unknown
  try {
    // YAML flow collections and JSON nest with brackets; a deep nest would overflow the parser's stack.
    assertTextDepth(text, 'campaign')
  } catch (err) {
    throw new CampaignError(source, [(err as Error).message])
  }
  try {
    raw = parseYaml(text, { prettyErrors: true, uniqueKeys: true })
  } catch (err) {
    throw new CampaignError(source, [`not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`])
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new CampaignError(source, ['(root): expected a mapping with name, scenarios, policies, seeds and sweep'])
  const parsed = CampaignSchema.safeParse(raw)
  if (!parsed.success) throw new CampaignError(source, zodIssues(parsed.error))
  return parsed.data
}

export function readCampaignFile(path: string): { spec: Campaign; baseDir: string } {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new CampaignError(path, [`cannot read the campaign file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`])
  }
  return { spec: parseCampaignText(text, path), baseDir: dirname(resolvePath(path)) }
}

type Json = unknown
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T)
}

/**
 * Sets `path` in `target` (mutating it): the shared prototype-safe setter in strict mode. An array
 * index must exist in `target` or in `reference` (the resolved base scenario), whose array is copied in.
 */
export function setPath(target: Record<string, unknown>, path: string, value: Json, reference: unknown = {}): void {
  setDottedPath(target, path, value, { where: 'sweep', reference })
}

function cartesian(sweep: Record<string, Json[]>): Record<string, Json>[] {
  let points: Record<string, Json>[] = [{}]
  for (const [path, values] of Object.entries(sweep)) {
    points = points.flatMap((p) => values.map((v) => ({ ...p, [path]: v })))
  }
  return points
}

interface BaseScenario {
  label: string
  /** The scenario input the sweep values are applied to. */
  input: Record<string, unknown>
  /** The resolved base (for list lengths along sweep paths). */
  resolved: Scenario
  where: string
}

/** Finds a saved layout's scenario by name (and version): the store, for campaigns that use layouts. */
export type LayoutLookup = (name: string, version?: number) => { scenario: unknown; version: number } | undefined

function scenarioBase(ref: CampaignScenario, i: number, engine: Engine, baseDir: string | undefined, layouts: LayoutLookup | undefined): BaseScenario {
  const where = `scenarios.${i}`
  let label: string
  let input: Record<string, unknown>
  if (typeof ref === 'string') {
    label = ref
    input = { preset: ref }
  } else if ('preset' in ref) {
    label = ref.label ?? ref.preset
    input = { ...(ref.overrides ? (clone(ref.overrides) as Record<string, unknown>) : {}), preset: ref.preset }
  } else if ('scenario' in ref) {
    label = ref.label
    input = clone(ref.scenario) as Record<string, unknown>
  } else if ('layout' in ref) {
    if (!layouts) throw new Error(`${where}.layout: layouts are read from the store; none is available here`)
    const found = layouts(ref.layout, ref.version)
    if (!found) throw new Error(`${where}.layout: no layout named '${ref.layout}'${ref.version ? ` with version ${ref.version}` : ''} in the store`)
    label = ref.label ?? ref.layout
    input = clone(found.scenario) as Record<string, unknown>
  } else {
    if (!baseDir) throw new Error(`${where}.file: scenario files are only available to campaigns read from a file (use an inline scenario)`)
    const file = resolvePath(baseDir, ref.file)
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (err) {
      throw new Error(`${where}.file: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
    }
    let raw: unknown
    try {
      raw = parseYaml(text)
    } catch (err) {
      throw new Error(`${where}.file: ${file} is not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`)
    }
    if (!isObject(raw)) throw new Error(`${where}.file: ${file} does not hold a scenario object`)
    label = ref.label ?? basename(ref.file).replace(/\.(ya?ml|json)$/i, '')
    input = raw
  }
  let resolved: Scenario
  try {
    resolved = engine.resolveScenario(input)
  } catch (err) {
    throw new Error(`${where} (${label}): ${(err as Error).message}`)
  }
  return { label, input, resolved, where }
}

function describeValue(v: Json): string {
  return typeof v === 'string' ? v : JSON.stringify(v)
}

/** Expands and validates the whole matrix. Throws a CampaignError listing every bad cell (up to 20 shown). */
export function planCampaign(spec: Campaign, engine: Engine, opts: { source?: string; baseDir?: string; shard?: Shard; layouts?: LayoutLookup } = {}): CampaignPlan {
  const source = opts.source ?? 'campaign'
  const issues: string[] = []
  const bases: BaseScenario[] = []
  spec.scenarios.forEach((ref, i) => {
    try {
      bases.push(scenarioBase(ref, i, engine, opts.baseDir, opts.layouts))
    } catch (err) {
      issues.push((err as Error).message)
    }
  })
  if (issues.length) throw new CampaignError(source, issues)
  const labels = new Set<string>()
  for (const b of bases) {
    if (labels.has(b.label)) issues.push(`scenarios: the label '${b.label}' is used twice; give each scenario a distinct label`)
    labels.add(b.label)
  }
  const policies = spec.policies.map((p) => (typeof p === 'string' ? { id: p, params: {}, label: p } : { id: p.id, params: p.params, label: p.label ?? p.id }))
  const policyLabels = new Set<string>()
  for (const p of policies) {
    if (policyLabels.has(p.label)) issues.push(`policies: '${p.label}' appears twice; give the variants distinct labels`)
    policyLabels.add(p.label)
  }
  if (issues.length) throw new CampaignError(source, issues)

  const seeds = campaignSeeds(spec)
  const points = cartesian(spec.sweep as Record<string, Json[]>)
  const runs: PlannedRun[] = []
  const seen = new Map<string, number>()
  let index = 0
  let total = 0
  for (const base of bases) {
    for (const point of points) {
      // Sweep values are applied before the policy so `policy.params.x` sweeps reach every policy.
      let pointInput: Record<string, unknown>
      try {
        pointInput = clone(base.input)
        for (const [path, value] of Object.entries(point)) {
          if (path === 'policy' || path.startsWith('policy.')) continue
          setPath(pointInput, path, value, base.resolved)
        }
      } catch (err) {
        issues.push(`${base.where} (${base.label}): ${(err as Error).message}`)
        index += policies.length * seeds.length
        continue
      }
      for (const policy of policies) {
        for (const seed of seeds) {
          // Every shard validates the whole matrix (cheap), so all shards accept or reject a file alike.
          const cell = index++
          const policyPaths = Object.keys(point).filter((path) => path === 'policy' || path.startsWith('policy.'))
          const build = (withPolicySweep: boolean): Record<string, unknown> => {
            const input = clone(pointInput)
            input['policy'] = { id: policy.id, params: clone(policy.params) }
            if (withPolicySweep) {
              for (const path of policyPaths) {
                try {
                  setPath(input, path, point[path])
                } catch (err) {
                  issues.push(`${base.where} (${base.label}): ${(err as Error).message}`)
                }
              }
            }
            input['seed'] = seed
            return input
          }
          const where = `${base.label} x ${Object.entries(point).map(([k, v]) => `${k}=${describeValue(v)}`).concat([`policy=${policy.label}`, `seed=${seed}`]).join(', ')}`
          let scenario: Scenario
          // Swept policy parameters apply to the policies that take them: a policy whose params reject
          // them (kvm has no vetoCap) runs once, without those sweep dimensions, as every point's baseline.
          let dropped = false
          try {
            scenario = engine.resolveScenario(build(true))
          } catch (err) {
            const onlyUnknownPolicyParams = policyPaths.length > 0 &&
              Array.isArray((err as { issues?: unknown }).issues) &&
              ((err as { issues: { path: string; message: string }[] }).issues).every((i) => i.path.startsWith('policy.params') && /unrecognized key/i.test(i.message))
            if (!onlyUnknownPolicyParams) {
              issues.push(`${where}: ${(err as Error).message}`)
              continue
            }
            try {
              scenario = engine.resolveScenario(build(false))
              dropped = true
            } catch (err2) {
              issues.push(`${where}: ${(err2 as Error).message}`)
              continue
            }
          }
          const id = runKey({ scenario, engineVersion: engine.engineVersion })
          const dup = seen.get(id)
          if (dup !== undefined) {
            if (dropped) continue // the same baseline run, already planned at its first sweep value
            issues.push(`${where}: identical to matrix cell ${dup} (a sweep value equal to the default, or a repeated seed?)`)
            continue
          }
          seen.set(id, cell)
          total++
          if (opts.shard && cell % opts.shard.count !== opts.shard.index) continue
          const params: Record<string, unknown> = { scenario: base.label, ...point, policy: policy.label, seed }
          if (dropped) for (const path of policyPaths) delete params[path]
          runs.push({ index: cell, id, scenario, label: base.label, policyLabel: policy.label, seed, params })
        }
      }
    }
  }
  if (issues.length) throw new CampaignError(source, issues)
  return { id: campaignKey(spec), spec, runs, total }
}

/** Does the campaign read layouts from the store? */
export function usesLayouts(spec: Campaign): boolean {
  return spec.scenarios.some((s) => typeof s === 'object' && 'layout' in s)
}

/** Total cells of the matrix (all shards). */
export function matrixSize(spec: Campaign): number {
  const points = Object.values(spec.sweep).reduce((n, v) => n * (v as unknown[]).length, 1)
  return spec.scenarios.length * spec.policies.length * campaignSeeds(spec).length * points
}
