/** The `results` table: one summary per finished run (the SimResult without series and trace). */
import type Database from 'better-sqlite3'

export interface ResultRow {
  run_id: string
  summary_json: string
  simulated_ns: number
  events: number
  digest: string
}

export function createResultsRepo(db: Database.Database) {
  const put = db.prepare<ResultRow>(`INSERT OR REPLACE INTO results (run_id, summary_json, simulated_ns, events, digest)
    VALUES (@run_id, @summary_json, @simulated_ns, @events, @digest)`)
  const get = db.prepare<[string], ResultRow>('SELECT * FROM results WHERE run_id = ?')
  const del = db.prepare<[string]>('DELETE FROM results WHERE run_id = ?')
  return {
    put: (row: ResultRow) => void put.run(row),
    get: (runId: string) => get.get(runId),
    delete: (runId: string) => void del.run(runId)
  }
}
export type ResultsRepo = ReturnType<typeof createResultsRepo>
