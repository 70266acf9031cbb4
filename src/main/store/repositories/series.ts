/** The `series` table: time series packed per (run, VM, name) into little-endian blobs. */
import type Database from 'better-sqlite3'
import type { EncodedSeries } from '../result-codec'

export interface SeriesRow {
  run_id: string
  vm: number
  vm_name: string
  name: string
  interval_ns: number
  count: number
  encoding: string
  data: Buffer
}

export function createSeriesRepo(db: Database.Database) {
  const put = db.prepare<[string, number, string, string, number, number, string, Buffer]>(
    'INSERT OR REPLACE INTO series (run_id, vm, vm_name, name, interval_ns, count, encoding, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'
  )
  const forRun = db.prepare<[string], SeriesRow>('SELECT * FROM series WHERE run_id = ? ORDER BY vm, name')
  const names = db.prepare<[string], { name: string }>('SELECT DISTINCT name FROM series WHERE run_id = ? AND vm >= 0 ORDER BY name')
  const del = db.prepare<[string]>('DELETE FROM series WHERE run_id = ?')
  return {
    putAll(runId: string, rows: EncodedSeries[]): void {
      for (const r of rows) put.run(runId, r.vm, r.vmName, r.name, r.intervalNs, r.count, r.encoding, r.data)
    },
    forRun: (runId: string) => forRun.all(runId),
    /** Per-VM series names of a run (no blobs read). */
    names: (runId: string) => names.all(runId).map((r) => r.name),
    deleteForRun: (runId: string) => void del.run(runId)
  }
}
export type SeriesRepo = ReturnType<typeof createSeriesRepo>
