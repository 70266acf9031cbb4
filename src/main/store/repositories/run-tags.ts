/** The `run_tags` table: free-form tags on runs. */
import type Database from 'better-sqlite3'

export function createRunTagsRepo(db: Database.Database) {
  const add = db.prepare<[string, string]>('INSERT OR IGNORE INTO run_tags (run_id, tag) VALUES (?, ?)')
  const clear = db.prepare<[string]>('DELETE FROM run_tags WHERE run_id = ?')
  const removeOne = db.prepare<[string, string]>('DELETE FROM run_tags WHERE run_id = ? AND tag = ?')
  const forRun = db.prepare<[string], { tag: string }>('SELECT tag FROM run_tags WHERE run_id = ? ORDER BY tag')
  const all = db.prepare<[], { tag: string; count: number }>('SELECT tag, count(*) AS count FROM run_tags GROUP BY tag ORDER BY tag')
  return {
    add(runId: string, tags: readonly string[]): void {
      for (const t of tags) add.run(runId, t)
    },
    /** Removes these tags from the run (others stay); returns how many it had. */
    remove(runId: string, tags: readonly string[]): number {
      let n = 0
      for (const t of tags) n += removeOne.run(runId, t).changes
      return n
    },
    /** Replaces the run's tags (call inside a transaction). */
    set(runId: string, tags: readonly string[]): void {
      clear.run(runId)
      for (const t of tags) add.run(runId, t)
    },
    forRun: (runId: string) => forRun.all(runId).map((r) => r.tag),
    all: () => all.all()
  }
}
export type RunTagsRepo = ReturnType<typeof createRunTagsRepo>
