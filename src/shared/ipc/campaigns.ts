/**
 * Campaigns from the app: validate a campaign file's text, start it in the main-side pool (the same
 * runner the CLI uses), follow it, cancel it, list and inspect stored campaigns.
 */
import { z } from 'zod'
import { event, invoke } from './define'
import type { CampaignSummary } from '../campaign'
import type { RunSummary } from './runs'

export const campaignId = z.string().regex(/^[0-9a-f]{16}$/, 'a campaign id is 16 lowercase hex digits')

export const campaignTextArgs = z.object({
  /** The campaign file's content (YAML or JSON). */
  text: z.string().min(1).max(1_000_000),
  /** Shown in `campaign show` as where the campaign came from. */
  source: z.string().max(1000).default('app')
}).strict()

export type CampaignValidation =
  | { ok: true; id: string; name: string; runs: number; scenarios: string[]; policies: string[]; seeds: number; sweep: Record<string, number> }
  | { ok: false; errors: string[] }

export interface CampaignDetail extends CampaignSummary {
  spec: unknown
  source: string
  runs: (RunSummary & { index: number; params: Record<string, unknown> })[]
}

export interface CampaignProgressEvent {
  campaignId: string
  total: number
  done: number
  failed: number
  cancelled: number
  running: number
  etaMs: number | null
  finished: boolean
}

export const campaignsChannels = {
  'campaigns:list': invoke<CampaignSummary[]>()(z.tuple([])),
  'campaigns:get': invoke<CampaignDetail>()(z.tuple([campaignId])),
  /** Parses and expands a campaign without storing anything; every matrix cell is validated. */
  'campaigns:validate': invoke<CampaignValidation>()(z.tuple([campaignTextArgs])),
  /** Stores the campaign (or resumes the stored one with the same content) and runs its unfinished cells. */
  'campaigns:start': invoke<{ id: string; total: number; pending: number }>()(z.tuple([campaignTextArgs])),
  'campaigns:cancel': invoke<{ cancelled: number }>()(z.tuple([campaignId])),
  /** Deletes the campaign; with deleteRuns its runs too (runs shared with other campaigns are kept). */
  'campaigns:delete': invoke<{ deleted: boolean; deletedRuns: number }>()(z.tuple([campaignId, z.object({ deleteRuns: z.boolean().default(false) }).strict().optional()]))
} as const

export const campaignsEvents = {
  'campaigns:progress': event<CampaignProgressEvent>()
} as const
