/**
 * Campaign files: a matrix of simulations run offline (`ecs-lab campaign run FILE`) or from the app.
 *
 *   scenarios x sweep points x policies x seeds
 *
 * A campaign is plain data (YAML or JSON), validated here with zod and published as JSON Schema in
 * schemas/campaign.schema.json (scripts/gen-campaign-schema.ts), so editors can complete and check it.
 * Scenario fields themselves are validated by the engine's `resolveScenario` when the matrix is
 * expanded: every cell is checked before anything is stored.
 *
 * Example (YAML):
 *
 *   name: overcommit-hz
 *   scenarios: [overcommit-2x]          # preset ids, {preset, overrides}, {scenario}, {file} or {layout}
 *   policies: [kvm, ecs]                 # ids or {id, params}
 *   seeds: {from: 1, count: 5}           # or a list [1, 2, 3]
 *   sweep:                               # any scenario field by dotted path; arrays by index
 *     host.hz: [100, 250, 1000]
 *     vms.1.vcpus: [8, 16]
 */
import { z } from 'zod'

/** Dotted path into a scenario: `host.hz`, `vms.1.vcpus`, `policy.params.vetoCap`. */
export const DOTTED_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.([A-Za-z_][A-Za-z0-9_]*|\d+))*$/

/** Largest matrix a single campaign may expand to (every cell is validated before the first run). */
export const MAX_CAMPAIGN_RUNS = 100_000

const jsonObject = z.record(z.string(), z.json())

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, 'use letters, digits, ".", "_" or "-"')

export const CampaignScenarioSchema = z.union([
  id.meta({ description: 'A built-in scenario preset id (quick, undercommit-1x, overcommit-2x, ...).' }),
  z.object({
    preset: id.meta({ description: 'Built-in scenario preset id.' }),
    label: z.string().min(1).max(100).optional().meta({ description: 'Name of this scenario in tables and exports (default: the preset id).' }),
    overrides: jsonObject.optional().meta({ description: 'Scenario fields merged over the preset (objects by key, lists by index).' })
  }).strict(),
  z.object({
    scenario: jsonObject.meta({ description: 'A full scenario (see schemas/scenario.schema.json).' }),
    label: z.string().min(1).max(100).meta({ description: 'Name of this scenario in tables and exports.' })
  }).strict(),
  z.object({
    file: z.string().min(1).max(1000).meta({ description: 'Scenario file (JSON or YAML), relative to the campaign file.' }),
    label: z.string().min(1).max(100).optional().meta({ description: 'Name in tables and exports (default: the file name).' })
  }).strict(),
  z.object({
    layout: z.string().min(1).max(200).meta({ description: 'A layout saved in the app (by name), read from the same store.' }),
    version: z.number().int().min(1).optional().meta({ description: 'Layout version (default: the latest).' }),
    label: z.string().min(1).max(100).optional().meta({ description: 'Name in tables and exports (default: the layout name).' })
  }).strict()
])
export type CampaignScenario = z.infer<typeof CampaignScenarioSchema>

export const CampaignPolicySchema = z.union([
  id.meta({ description: 'Policy id from the engine registry (kvm, ecs, ...).' }),
  z.object({
    id: id.meta({ description: 'Policy id from the engine registry.' }),
    params: jsonObject.default({}).meta({ description: 'Policy parameters (validated by the engine).' }),
    label: z.string().min(1).max(100).optional().meta({ description: 'Name in tables and exports (default: the id).' })
  }).strict()
])
export type CampaignPolicy = z.infer<typeof CampaignPolicySchema>

const seed = z.number().int().min(0).max(0xffffffff)

export const CampaignSeedsSchema = z.union([
  z.array(seed).min(1).max(10_000).meta({ description: 'Explicit uint32 seeds.' }),
  z.object({
    from: seed.default(1).meta({ description: 'First seed.' }),
    count: z.number().int().min(1).max(10_000).meta({ description: 'Number of consecutive seeds.' })
  }).strict()
])

export const CampaignSchema = z.object({
  $schema: z.string().optional(),
  name: z.string().min(1).max(200).meta({ description: 'Campaign name (shown by `campaign list`).' }),
  description: z.string().max(4000).optional(),
  scenarios: z.array(CampaignScenarioSchema).min(1).max(1000),
  policies: z.array(CampaignPolicySchema).min(1).max(100),
  seeds: CampaignSeedsSchema.default([1]),
  sweep: z.record(
    z.string().regex(DOTTED_PATH, 'a sweep key is a dotted scenario path such as host.hz or vms.1.vcpus'),
    z.array(z.json()).min(1).max(1000)
  ).default({}).meta({ description: 'Parameter sweeps: dotted scenario path -> values. The matrix is the cartesian product of all of them.' })
}).strict().superRefine((c, ctx) => {
  const seeds = Array.isArray(c.seeds) ? c.seeds.length : c.seeds.count
  const sweepPoints = Object.values(c.sweep).reduce((n, v) => n * v.length, 1)
  const total = c.scenarios.length * c.policies.length * seeds * sweepPoints
  if (total > MAX_CAMPAIGN_RUNS) {
    ctx.addIssue({ code: 'custom', path: [], message: `the matrix expands to ${total} runs; the allowed maximum is ${MAX_CAMPAIGN_RUNS}` })
  }
  if (!Array.isArray(c.seeds) && c.seeds.from + c.seeds.count - 1 > 0xffffffff) {
    ctx.addIssue({ code: 'custom', path: ['seeds'], message: 'seeds run past 4294967295 (uint32)' })
  }
}).meta({ title: 'eCS Lab campaign', description: 'A matrix of simulations: scenarios x sweep points x policies x seeds.' })

export type Campaign = z.output<typeof CampaignSchema>
export type CampaignInput = z.input<typeof CampaignSchema>

/** The seeds of a campaign as a list. */
export function campaignSeeds(c: Campaign): number[] {
  if (Array.isArray(c.seeds)) return c.seeds
  return Array.from({ length: c.seeds.count }, (_, i) => (c.seeds as { from: number }).from + i)
}

/** `--shard i/N`: run the cells whose matrix index is congruent to i modulo N (0 <= i < N). */
export interface Shard {
  index: number
  count: number
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim())
  if (!m) throw new Error(`--shard: expected i/N such as 0/4, got ${JSON.stringify(text)}`)
  const index = Number(m[1])
  const count = Number(m[2])
  if (count < 1 || count > 100_000) throw new Error(`--shard: N must be between 1 and 100000, got ${count}`)
  if (index >= count) throw new Error(`--shard: i must be between 0 and N-1 (${count - 1}), got ${index}`)
  return { index, count }
}

/** Summary of a stored campaign, as listed by `campaign list` and campaigns:list. */
export interface CampaignSummary {
  id: string
  name: string
  description: string
  createdAt: number
  updatedAt: number
  /** Cells of the whole matrix (all shards). */
  plannedRuns: number
  /** Runs of this campaign in this store, by status. */
  counts: Record<'queued' | 'running' | 'done' | 'failed' | 'cancelled', number>
}

/** What `campaign run --quick` keeps of each cell: 5 ms simulated, the first 1 ms as warm-up. */
export const QUICK_CAMPAIGN = { durationNs: 5_000_000, warmupNs: 1_000_000, sampleIntervalNs: 1_000_000 } as const

/**
 * `campaign run --quick`: a smoke run of the same matrix (every scenario, sweep point and policy) on the
 * first seed only, each cell cut to QUICK_CAMPAIGN's duration (set through the sweep, so it overrides
 * every scenario and shows in the run parameters). Stored as its own campaign, `<name>-quick`.
 */
export function quickCampaign(c: Campaign): Campaign {
  const first = Array.isArray(c.seeds) ? c.seeds[0] : c.seeds.from
  return {
    ...c,
    name: `${c.name}-quick`.slice(0, 200),
    seeds: [first],
    sweep: {
      ...c.sweep,
      durationNs: [QUICK_CAMPAIGN.durationNs],
      warmupNs: [QUICK_CAMPAIGN.warmupNs],
      sampleIntervalNs: [QUICK_CAMPAIGN.sampleIntervalNs]
    }
  }
}
