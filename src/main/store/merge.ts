/**
 * `ecs-lab db merge A B ... --into OUT`: folds shard stores into one. Runs are keyed by content hash,
 * so a run present in several inputs is stored once; a finished copy wins over a queued, failed or
 * cancelled one. Inputs are never modified: each is snapshotted with SQLite's online backup into a
 * temporary file, brought to the current schema there, and attached to the output for one
 * INSERT ... SELECT transaction per input. A layout whose name another layout already has in the
 * output is kept under its name plus the input's file name (with its versions and run links).
 */
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { betterSqliteOptions } from '../native-binding'
import { openDatabase, StoreError } from './db'
import { LATEST_VERSION, schemaVersion } from './migrations'
import { Store } from './index'

export interface MergeReport {
  input: string
  runs: number
  added: number
  replaced: number
  duplicates: number
  campaigns: number
  layouts: number
}

/** Tables in foreign-key order (parents first). */
const TABLES = ['layouts', 'layout_versions', 'campaigns', 'runs', 'campaign_runs', 'results', 'metrics', 'series', 'run_tags'] as const

function columns(db: Database.Database, table: string): string[] {
  return (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((c) => c.name)
}

/** Opens an input read-only and checks it is an eCS Lab store this code can read. */
function checkInput(path: string): Database.Database {
  const db = (() => {
    try {
      // openDatabase's header check, without creating or migrating anything.
      return new Database(path, { ...betterSqliteOptions(), readonly: true, fileMustExist: true })
    } catch (err) {
      throw new StoreError(`cannot open ${path}: ${(err as Error).message}`, 'not-found')
    }
  })()
  try {
    const v = schemaVersion(db)
    if (v > LATEST_VERSION) throw new StoreError(`${path} has schema version ${v}, newer than this eCS Lab supports (${LATEST_VERSION})`, 'too-new')
    if (v === 0) throw new StoreError(`${path} is not an eCS Lab store (schema version 0)`, 'not-sqlite')
    return db
  } catch (err) {
    db.close()
    const code = (err as { code?: string }).code
    if (code === 'SQLITE_NOTADB') throw new StoreError(`${path} is not an SQLite database`, 'not-sqlite')
    throw err
  }
}

/**
 * A layout of the input whose name is taken in the output by a different layout (names are unique)
 * comes in renamed with its shard, `<name> (<input file name>)`, so it keeps its versions and its runs
 * keep their link to it; the generic copy below then skips it as already present.
 */
function keepSameNamedLayouts(db: Database.Database, input: string): number {
  const clashes = db.prepare(
    'SELECT s.* FROM src.layouts s WHERE NOT EXISTS (SELECT 1 FROM main.layouts m WHERE m.id = s.id) AND EXISTS (SELECT 1 FROM main.layouts m WHERE m.name = s.name)'
  ).all() as { id: string; name: string; description: string; latest_version: number; created_at: number; updated_at: number }[]
  const taken = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM main.layouts WHERE name = ?')
  const insert = db.prepare('INSERT INTO main.layouts (id, name, description, latest_version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
  const shard = basename(input)
  for (const l of clashes) {
    let name = `${l.name} (${shard})`
    for (let k = 2; taken.get(name)!.n > 0; k++) name = `${l.name} (${shard} #${k})`
    insert.run(l.id, name, l.description, l.latest_version, l.created_at, l.updated_at)
  }
  return clashes.length
}

export async function mergeStores(inputs: readonly string[], into: string): Promise<MergeReport[]> {
  const outAbs = resolve(into)
  for (const p of inputs) if (resolve(p) === outAbs) throw new StoreError(`--into ${into} is also an input; merge into a new or different file`, 'open-failed')
  // Validate every input before touching the output.
  const sources = inputs.map((p) => ({ path: p, db: checkInput(p) }))
  const tmp = mkdtempSync(join(tmpdir(), 'ecs-lab-merge-'))
  const reports: MergeReport[] = []
  let out: Store | undefined
  try {
    const snapshots: string[] = []
    for (const [i, s] of sources.entries()) {
      const snap = join(tmp, `in-${i}.sqlite`)
      await s.db.backup(snap)
      s.db.close()
      openDatabase(snap).close() // migrate the snapshot to the current schema
      snapshots.push(snap)
    }
    out = Store.open(into)
    const db = out.db
    for (const [i, snap] of snapshots.entries()) {
      db.prepare('ATTACH DATABASE ? AS src').run(snap)
      try {
        const report = db.transaction((): MergeReport => {
          const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n
          const runs = count('SELECT count(*) AS n FROM src.runs')
          const missing = count('SELECT count(*) AS n FROM src.runs s WHERE NOT EXISTS (SELECT 1 FROM main.runs m WHERE m.id = s.id)')
          // A finished copy replaces an unfinished one (its results come in below).
          const replaced = db.prepare(`DELETE FROM main.runs WHERE status <> 'done' AND id IN (SELECT id FROM src.runs WHERE status = 'done')`).run().changes
          const campaignsBefore = count('SELECT count(*) AS n FROM main.campaigns')
          const layoutsBefore = count('SELECT count(*) AS n FROM main.layouts')
          keepSameNamedLayouts(db, inputs[i]!)
          for (const table of TABLES) {
            const cols = columns(db, table)
            const select = cols.map((c) => (table === 'runs' && c === 'layout_id'
              ? 'CASE WHEN EXISTS (SELECT 1 FROM main.layouts l WHERE l.id = s.layout_id) THEN s.layout_id ELSE NULL END'
              : `s.${c}`))
            let where = ''
            if (table === 'layout_versions') where = 'WHERE EXISTS (SELECT 1 FROM main.layouts l WHERE l.id = s.layout_id)'
            if (table === 'campaign_runs' || table === 'run_tags') where = 'WHERE EXISTS (SELECT 1 FROM main.runs r WHERE r.id = s.run_id)'
            if (table === 'results' || table === 'metrics' || table === 'series') {
              // Results of finished runs; a run already finished in the output keeps its (identical) rows.
              where = "WHERE EXISTS (SELECT 1 FROM main.runs r JOIN src.runs sr ON sr.id = r.id WHERE r.id = s.run_id AND r.status = 'done' AND sr.status = 'done')"
            }
            db.exec(`INSERT OR IGNORE INTO main.${table} (${cols.join(', ')}) SELECT ${select.join(', ')} FROM src.${table} s ${where}`)
          }
          return {
            input: inputs[i]!,
            runs,
            added: missing,
            replaced,
            duplicates: runs - missing - replaced,
            campaigns: count('SELECT count(*) AS n FROM main.campaigns') - campaignsBefore,
            layouts: count('SELECT count(*) AS n FROM main.layouts') - layoutsBefore
          }
        }).immediate()
        reports.push(report)
      } finally {
        db.prepare('DETACH DATABASE src').run()
      }
    }
    const fk = db.prepare('PRAGMA foreign_key_check').all()
    if (fk.length) throw new StoreError(`merge produced ${fk.length} dangling references; please report this`, 'open-failed')
    return reports
  } finally {
    for (const s of sources) if (s.db.open) s.db.close()
    out?.close()
    rmSync(tmp, { recursive: true, force: true })
  }
}
