/** Picks runs for compare / export / figures: by ids (or unique prefixes), by campaign, or by filter. */
import { ApiError } from '../../shared/ipc'
import { runFilterSchema, type RunFilter } from '../../shared/ipc/runs'
import type { Store } from '../store'
import { runPolicyLabel } from '../policies'
import type { RunRow } from '../store/repositories/runs'
import { findCampaign } from './campaigns'
import { findRun } from './runs'

export interface SelectedRun {
  row: RunRow
  /** Matrix coordinates: scenario label, sweep values, policy label, seed. */
  params: Record<string, unknown>
  campaignId: string | null
}

export type Selection = { runIds: string[] } | { campaignId: string } | { filter: RunFilter }

export function selectRuns(store: Store, sel: Selection): SelectedRun[] {
  if ('campaignId' in sel) {
    const c = findCampaign(store, sel.campaignId)
    return store.campaigns.links(c.id).map((l) => ({ row: store.runs.get(l.run_id)!, params: JSON.parse(l.params_json) as Record<string, unknown>, campaignId: c.id }))
  }
  const rows = 'runIds' in sel ? sel.runIds.map((id) => findRun(store, id)) : store.runs.list(runFilterSchema.parse({ limit: 10_000, ...sel.filter })).rows
  const seen = new Set<string>()
  const out: SelectedRun[] = []
  for (const row of rows) {
    if (seen.has(row.id)) continue
    seen.add(row.id)
    const link = store.campaigns.ofRun(row.id)[0]
    out.push({
      row,
      params: link ? (JSON.parse(link.params_json) as Record<string, unknown>) : { scenario: row.label, policy: runPolicyLabel(row.policy_id, JSON.parse(row.policy_params_json) as Record<string, unknown>), seed: row.seed },
      campaignId: link?.id ?? null
    })
  }
  if (out.length === 0) throw new ApiError('no runs match the selection', 'not-found')
  return out
}
