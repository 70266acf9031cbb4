/**
 * Tidy exports for pandas / R / matplotlib (the same code as `ecs-lab export`): one row per
 * run x metric (`shape: 'metrics'`) or per run x VM x sample (`shape: 'samples'`), with every
 * parameter (campaign sweep values, policy, seed, scenario fields) as columns.
 */
import { z } from 'zod'
import { invoke } from './define'
import { runFilterSchema, runId } from './runs'

export const exportArgs = z.object({
  selection: z.union([
    z.object({ runIds: z.array(runId).min(1).max(100_000) }).strict(),
    z.object({ campaignId: z.string().regex(/^[0-9a-f]{16}$/) }).strict(),
    z.object({ filter: runFilterSchema }).strict()
  ]),
  format: z.enum(['csv', 'json']).default('csv'),
  shape: z.enum(['metrics', 'samples']).default('metrics'),
  /** Only these metrics (shape 'metrics'). */
  metrics: z.array(z.string().min(1).max(200)).max(1000).optional(),
  /** Every scalar scenario field as a column, not only those that differ between the runs. */
  allParams: z.boolean().default(false)
}).strict()
export type ExportArgs = z.input<typeof exportArgs>

export interface ExportResult {
  /** Suggested file name. */
  filename: string
  mimeType: 'text/csv' | 'application/json'
  content: string
  rows: number
  columns: string[]
}

export const exportChannels = {
  'export:runs': invoke<ExportResult>()(z.tuple([exportArgs]))
} as const
