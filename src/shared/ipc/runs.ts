/**
 * Runs: one simulation each, keyed by a content hash of (scenario, policy, seed, engine version).
 * Start a layout/preset/scenario x policies x seeds batch, follow it with `runs:progress` and
 * `runs:finished`, cancel, list/filter/search, read a run's result and series, tag (one run, or add /
 * remove tags on many at once), annotate, delete,
 * re-run.
 */
import { z } from 'zod'
import type { HostShape } from '../host-label'
import { event, invoke } from './define'
import type { Scenario } from '../scenario'
import type { SimResult } from '../result'

export const RUN_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

export const runId = z.string().regex(/^[0-9a-f]{6,64}$/, 'a run id is 6 to 64 lowercase hex digits (a prefix of its content hash)')
export const tagSchema = z.string().trim().min(1).max(64).regex(/^[^,\s]+$/, 'tags have no spaces or commas')
const policyId = z.string().min(1).max(64)
const seed = z.number().int().min(0).max(0xffffffff)

export const policyRefSchema = z.union([
  policyId,
  z.object({ id: policyId, params: z.record(z.string(), z.json()).default({}) }).strict()
])

export interface RunSummary {
  id: string
  /** Preset, layout or campaign scenario label. */
  label: string
  policy: string
  /** Fully resolved (every default applied). */
  policyParams: Record<string, unknown>
  /** The policy and its non-default parameters, as every table and chart shows it: `ecs`, `ecs {vetoCap: 4}` (shared/policy-label). */
  policyLabel: string
  seed: number
  engineVersion: string
  status: RunStatus
  error: string | null
  createdAt: number
  startedAt: number | null
  finishedAt: number | null
  wallMs: number | null
  layoutId: string | null
  layoutVersion: number | null
  note: string
  tags: string[]
  /** Headline numbers (null until done): total ops/s over VMs and in-critical-section preemptions. */
  opsPerSec: number | null
  inCsPreemptions: number | null
  /** Host size (pCPUs, vCPUs per VM) from the run's scenario: shown next to the label (shared/host-label). */
  host: HostShape | null
}

/** SimResult without the bulky parts (series are read with runs:series, traces are not stored). */
export type RunResultSummary = Omit<SimResult, 'series' | 'trace'>

export interface RunDetail extends RunSummary {
  scenario: Scenario
  result: RunResultSummary | null
  /** Every numeric leaf of the result as a named metric (`counters.x`, `vms.web.opsPerSec`, ...). */
  metrics: Record<string, number>
  campaigns: { id: string; name: string; params: Record<string, unknown> }[]
}

export interface RunSeries {
  runId: string
  intervalNs: number
  /** End of each sampling interval, ns. */
  t: number[]
  perVm: { name: string; values: Record<string, number[]> }[]
}

export const runFilterSchema = z.object({
  status: z.array(z.enum(RUN_STATUSES)).max(5).optional(),
  policy: z.array(policyId).max(100).optional(),
  campaignId: z.string().min(1).max(64).optional(),
  layoutId: z.string().min(1).max(64).optional(),
  /** Runs carrying every one of these tags. */
  tags: z.array(tagSchema).max(50).optional(),
  /** Substring of the label, note, policy or a tag, or a prefix of the run id. */
  search: z.string().max(200).optional(),
  engineVersion: z.string().min(1).max(64).optional(),
  seed: seed.optional(),
  createdFrom: z.number().int().min(0).optional(),
  createdTo: z.number().int().min(0).optional(),
  sort: z.enum(['created-desc', 'created-asc', 'label', 'policy', 'status', 'ops-desc']).default('created-desc'),
  limit: z.number().int().min(1).max(10_000).default(200),
  offset: z.number().int().min(0).default(0)
}).strict()
export type RunFilter = z.input<typeof runFilterSchema>
export type ParsedRunFilter = z.output<typeof runFilterSchema>

export const runSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('layout'), layoutId: z.string().min(1).max(64), version: z.number().int().min(1).optional() }).strict(),
  z.object({ kind: z.literal('preset'), preset: z.string().min(1).max(64), overrides: z.record(z.string(), z.json()).optional() }).strict(),
  z.object({ kind: z.literal('scenario'), scenario: z.record(z.string(), z.json()), label: z.string().min(1).max(200).optional() }).strict()
])
export type RunSource = z.infer<typeof runSourceSchema>

export const startRunsArgs = z.object({
  source: runSourceSchema,
  policies: z.array(policyRefSchema).min(1).max(20),
  seeds: z.array(seed).min(1).max(1000).default([1]),
  tags: z.array(tagSchema).max(50).default([]),
  note: z.string().max(10_000).default(''),
  /** Run again even when a finished run with the same key is stored (its result is replaced). */
  force: z.boolean().default(false)
}).strict()
export type StartRunsArgs = z.input<typeof startRunsArgs>

export interface StartRunsResult {
  /** One id per policy x seed, in that order. */
  runIds: string[]
  /** Ids queued to run now. */
  started: string[]
  /** Ids already finished in the store with the same key (deterministic: not run again). */
  reused: string[]
  /**
   * Ids that were already stored before this batch (reused, or re-queued after a failure): their tags
   * and note stay their own batch's; the batch's tags are added to them only on request (runs:addTags).
   */
  existing: string[]
}

export interface RunProgressEvent {
  runId: string
  /** Pool slot running it. */
  worker: number
  simulatedNs: number
  totalNs: number
  events: number
  elapsedMs: number
  etaMs: number
}

export interface RunFinishedEvent {
  runId: string
  status: 'done' | 'failed' | 'cancelled'
  error: string | null
  wallMs: number | null
}

export const runsChannels = {
  'runs:start': invoke<StartRunsResult>()(z.tuple([startRunsArgs])),
  /** Cancels a queued or running run; it ends as 'cancelled' within a second. */
  'runs:cancel': invoke<{ cancelled: boolean }>()(z.tuple([runId])),
  'runs:list': invoke<{ total: number; rows: RunSummary[] }>()(z.tuple([runFilterSchema.optional()])),
  'runs:get': invoke<RunDetail>()(z.tuple([runId])),
  'runs:series': invoke<RunSeries>()(z.tuple([runId])),
  'runs:delete': invoke<{ deleted: number }>()(z.tuple([z.array(runId).min(1).max(10_000)])),
  /** Runs a stored run's scenario again with the current engine (same id if the engine is unchanged). */
  'runs:rerun': invoke<StartRunsResult>()(z.tuple([runId])),
  'runs:setTags': invoke<{ tags: string[] }>()(z.tuple([runId, z.array(tagSchema).max(50)])),
  /** Adds tags to many runs (bulk tagging; tags already there stay): never removes or replaces one. */
  'runs:addTags': invoke<{ updated: number }>()(z.tuple([z.array(runId).min(1).max(10_000), z.array(tagSchema).min(1).max(50)])),
  /** Removes these tags from many runs (bulk untagging; other tags stay). `updated`: runs that had one of them. */
  'runs:removeTags': invoke<{ updated: number }>()(z.tuple([z.array(runId).min(1).max(10_000), z.array(tagSchema).min(1).max(50)])),
  'runs:setNote': invoke<{ note: string }>()(z.tuple([runId, z.string().max(10_000)])),
  'runs:tags': invoke<{ tag: string; count: number }[]>()(z.tuple([]))
} as const

export const runsEvents = {
  'runs:progress': event<RunProgressEvent>(),
  'runs:finished': event<RunFinishedEvent>()
} as const
