/** The `campaigns` and `campaign_runs` tables: a campaign's spec and which runs are its matrix cells. */
import type Database from 'better-sqlite3'
import type { RunStatus } from '../../../shared/ipc/runs'

export interface CampaignRow {
  id: string
  name: string
  description: string
  spec_json: string
  planned_runs: number
  source: string
  created_at: number
  updated_at: number
}

export interface CampaignRunLink {
  run_id: string
  idx: number
  params_json: string
}

export function createCampaignsRepo(db: Database.Database) {
  const insert = db.prepare<CampaignRow>(`INSERT OR IGNORE INTO campaigns (id, name, description, spec_json, planned_runs, source, created_at, updated_at)
    VALUES (@id, @name, @description, @spec_json, @planned_runs, @source, @created_at, @updated_at)`)
  const touch = db.prepare<[number, string, string]>('UPDATE campaigns SET updated_at = ?, source = ? WHERE id = ?')
  const get = db.prepare<[string], CampaignRow>('SELECT * FROM campaigns WHERE id = ?')
  const byPrefix = db.prepare<[string], CampaignRow>("SELECT * FROM campaigns WHERE id LIKE ? || '%' LIMIT 2")
  const list = db.prepare<[], CampaignRow>('SELECT * FROM campaigns ORDER BY created_at DESC, id')
  const link = db.prepare<[string, string, number, string]>('INSERT OR IGNORE INTO campaign_runs (campaign_id, run_id, idx, params_json) VALUES (?, ?, ?, ?)')
  const links = db.prepare<[string], CampaignRunLink>('SELECT run_id, idx, params_json FROM campaign_runs WHERE campaign_id = ? ORDER BY idx')
  const counts = db.prepare<[string], { status: RunStatus; n: number }>(
    'SELECT r.status AS status, count(*) AS n FROM campaign_runs c JOIN runs r ON r.id = c.run_id WHERE c.campaign_id = ? GROUP BY r.status'
  )
  const ofRun = db.prepare<[string], { id: string; name: string; params_json: string }>(
    'SELECT c.id, c.name, l.params_json FROM campaign_runs l JOIN campaigns c ON c.id = l.campaign_id WHERE l.run_id = ? ORDER BY c.created_at'
  )
  const exclusiveRuns = db.prepare<[string, string], { run_id: string }>(
    'SELECT run_id FROM campaign_runs WHERE campaign_id = ? AND run_id NOT IN (SELECT run_id FROM campaign_runs WHERE campaign_id <> ?)'
  )
  const del = db.prepare<[string]>('DELETE FROM campaigns WHERE id = ?')
  return {
    insert: (row: CampaignRow) => insert.run(row).changes > 0,
    touch: (id: string, at: number, source: string) => void touch.run(at, source, id),
    get: (id: string) => get.get(id),
    resolve(idOrPrefix: string): CampaignRow | undefined {
      const exact = get.get(idOrPrefix)
      if (exact) return exact
      const rows = byPrefix.all(idOrPrefix)
      if (rows.length > 1) throw Object.assign(new Error(`campaign id prefix ${idOrPrefix} is ambiguous`), { code: 'invalid-argument' })
      return rows[0]
    },
    list: () => list.all(),
    link: (campaignId: string, runId: string, idx: number, paramsJson: string) => void link.run(campaignId, runId, idx, paramsJson),
    links: (campaignId: string) => links.all(campaignId),
    counts(campaignId: string): Record<RunStatus, number> {
      const out: Record<RunStatus, number> = { queued: 0, running: 0, done: 0, failed: 0, cancelled: 0 }
      for (const r of counts.all(campaignId)) out[r.status] = r.n
      return out
    },
    ofRun: (runId: string) => ofRun.all(runId),
    /** Runs linked to this campaign only (deleted with it when asked). */
    exclusiveRuns: (campaignId: string) => exclusiveRuns.all(campaignId, campaignId).map((r) => r.run_id),
    delete: (id: string) => del.run(id).changes > 0
  }
}
export type CampaignsRepo = ReturnType<typeof createCampaignsRepo>
