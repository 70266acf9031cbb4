/** The `layouts` and `layout_versions` tables: named scenarios, every saved scenario a new version. */
import type Database from 'better-sqlite3'

export interface LayoutRow {
  id: string
  name: string
  description: string
  latest_version: number
  created_at: number
  updated_at: number
}

export interface LayoutVersionRow {
  layout_id: string
  version: number
  scenario_json: string
  note: string
  created_at: number
}

export function createLayoutsRepo(db: Database.Database) {
  const insert = db.prepare<LayoutRow>(`INSERT INTO layouts (id, name, description, latest_version, created_at, updated_at)
    VALUES (@id, @name, @description, @latest_version, @created_at, @updated_at)`)
  const insertVersion = db.prepare<LayoutVersionRow>(`INSERT INTO layout_versions (layout_id, version, scenario_json, note, created_at)
    VALUES (@layout_id, @version, @scenario_json, @note, @created_at)`)
  const update = db.prepare<[string, string, number, number, string]>('UPDATE layouts SET name = ?, description = ?, latest_version = ?, updated_at = ? WHERE id = ?')
  const get = db.prepare<[string], LayoutRow>('SELECT * FROM layouts WHERE id = ?')
  const byName = db.prepare<[string], LayoutRow>('SELECT * FROM layouts WHERE name = ?')
  const list = db.prepare<[], LayoutRow & { run_count: number }>(
    'SELECT l.*, (SELECT count(*) FROM runs r WHERE r.layout_id = l.id) AS run_count FROM layouts l ORDER BY l.name'
  )
  const runCount = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM runs WHERE layout_id = ?')
  const version = db.prepare<[string, number], LayoutVersionRow>('SELECT * FROM layout_versions WHERE layout_id = ? AND version = ?')
  const versions = db.prepare<[string], Omit<LayoutVersionRow, 'scenario_json'>>(
    'SELECT layout_id, version, note, created_at FROM layout_versions WHERE layout_id = ? ORDER BY version'
  )
  const del = db.prepare<[string]>('DELETE FROM layouts WHERE id = ?')
  return {
    insert: (row: LayoutRow) => void insert.run(row),
    insertVersion: (row: LayoutVersionRow) => void insertVersion.run(row),
    update: (id: string, name: string, description: string, latestVersion: number, at: number) => void update.run(name, description, latestVersion, at, id),
    get: (id: string) => get.get(id),
    byName: (name: string) => byName.get(name),
    list: () => list.all(),
    runCount: (id: string) => runCount.get(id)!.n,
    version: (id: string, v: number) => version.get(id, v),
    versions: (id: string) => versions.all(id),
    delete: (id: string) => del.run(id).changes > 0
  }
}
export type LayoutsRepo = ReturnType<typeof createLayoutsRepo>
