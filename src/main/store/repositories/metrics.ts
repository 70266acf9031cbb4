/** The `metrics` table: every numeric leaf of a result as (run, name, value). */
import type Database from 'better-sqlite3'

export function createMetricsRepo(db: Database.Database) {
  const put = db.prepare<[string, string, number]>('INSERT OR REPLACE INTO metrics (run_id, name, value) VALUES (?, ?, ?)')
  const forRun = db.prepare<[string], { name: string; value: number }>('SELECT name, value FROM metrics WHERE run_id = ? ORDER BY name')
  const one = db.prepare<[string, string], { value: number }>('SELECT value FROM metrics WHERE run_id = ? AND name = ?')
  const del = db.prepare<[string]>('DELETE FROM metrics WHERE run_id = ?')
  const names = db.prepare<[], { name: string }>('SELECT DISTINCT name FROM metrics ORDER BY name')
  return {
    putAll(runId: string, metrics: Record<string, number>): number {
      let n = 0
      for (const [name, value] of Object.entries(metrics)) {
        put.run(runId, name, value)
        n++
      }
      return n
    },
    forRun(runId: string): Record<string, number> {
      const out: Record<string, number> = {}
      for (const r of forRun.all(runId)) out[r.name] = r.value
      return out
    },
    get: (runId: string, name: string): number | null => one.get(runId, name)?.value ?? null,
    names: () => names.all().map((r) => r.name),
    deleteForRun: (runId: string) => void del.run(runId)
  }
}
export type MetricsRepo = ReturnType<typeof createMetricsRepo>
