import Database from 'better-sqlite3'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, StoreError } from '../../../src/main/store/db'
import { LATEST_VERSION, migrations, schemaVersion } from '../../../src/main/store/migrations'
import { Store } from '../../../src/main/store'
import { fileHash, tempDir } from './helpers'

/** Normalised schema: every table, index and column, so "migrated" and "fresh" can be compared. */
function schemaOf(db: Database.Database): unknown {
  const objects = db.prepare("SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as { type: string; name: string }[]
  return objects.map((o) => ({
    ...o,
    columns: o.type === 'table' ? db.prepare('SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)').all(o.name) : undefined,
    strict: o.type === 'table' ? (db.prepare('SELECT strict FROM pragma_table_list WHERE name = ?').get(o.name) as { strict: number }).strict : undefined
  }))
}

describe('store migrations', () => {
  let t: ReturnType<typeof tempDir>
  beforeEach(() => {
    t = tempDir()
  })
  afterEach(() => t.cleanup())

  it('are numbered 1..N without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(Array.from({ length: migrations.length }, (_, i) => i + 1))
  })

  it('bring an empty database to the latest version with WAL, foreign keys and STRICT tables', () => {
    const db = openDatabase(join(t.dir, 'a.sqlite'))
    expect(schemaVersion(db)).toBe(LATEST_VERSION)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(5000)
    const tables = db.prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'").all() as { name: string; strict: number }[]
    expect(tables.length).toBeGreaterThan(5)
    for (const tb of tables) expect(tb.strict, tb.name).toBe(1)
    db.close()
  })

  for (let from = 1; from < LATEST_VERSION + 1; from++) {
    it(`upgrade a version-${from} database with data to the same schema as a fresh one, keeping the data`, () => {
      const path = join(t.dir, `v${from}.sqlite`)
      const old = openDatabase(path, { targetVersion: from })
      expect(schemaVersion(old)).toBe(from)
      // Data every version has: a layout, a campaign and a run with a result.
      old.prepare("INSERT INTO layouts VALUES ('L1', 'layout', '', 1, 1, 1)").run()
      old.prepare("INSERT INTO layout_versions VALUES ('L1', 1, '{}', '', 1)").run()
      old.prepare("INSERT INTO campaigns VALUES ('c000000000000001', 'c', '', '{}', 1, '', 1, 1)").run()
      old.prepare(`INSERT INTO runs (id, scenario_json, label, policy_id, policy_params_json, seed, engine_version, layout_id, layout_version, status, created_at)
        VALUES ('ab12', '{}', 'x', 'kvm', '{}', 1, 'e', 'L1', 1, 'done', 1)`).run()
      old.prepare("INSERT INTO campaign_runs VALUES ('c000000000000001', 'ab12', 0, '{}')").run()
      old.prepare("INSERT INTO results VALUES ('ab12', '{}', 10, 20, 'd')").run()
      old.prepare("INSERT INTO metrics VALUES ('ab12', 'm', 1.5)").run()
      old.close()

      const migrated = openDatabase(path)
      const fresh = openDatabase(join(t.dir, 'fresh.sqlite'))
      expect(schemaVersion(migrated)).toBe(LATEST_VERSION)
      expect(schemaOf(migrated)).toEqual(schemaOf(fresh))
      expect(migrated.prepare('SELECT label, status FROM runs').all()).toEqual([{ label: 'x', status: 'done' }])
      expect(migrated.prepare('SELECT value FROM metrics').get()).toEqual({ value: 1.5 })
      expect(migrated.pragma('foreign_key_check')).toEqual([])
      migrated.close()
      fresh.close()
    })
  }

  it('apply each step once when opened twice (idempotent runner)', () => {
    const path = join(t.dir, 'twice.sqlite')
    openDatabase(path).close()
    const db = openDatabase(path)
    expect(schemaVersion(db)).toBe(LATEST_VERSION)
    db.close()
  })

  it('refuse a database from a newer eCS Lab and leave it untouched', () => {
    const path = join(t.dir, 'newer.sqlite')
    const db = new Database(path)
    db.exec('CREATE TABLE future (x INTEGER)')
    db.pragma(`user_version = ${LATEST_VERSION + 5}`)
    db.close()
    const before = fileHash(path)
    expect(() => openDatabase(path)).toThrow(StoreError)
    expect(() => openDatabase(path)).toThrow(new RegExp(`schema version ${LATEST_VERSION + 5}, newer than this eCS Lab supports \\(${LATEST_VERSION}\\)`))
    expect(fileHash(path)).toBe(before)
    const again = new Database(path)
    expect(again.pragma('journal_mode', { simple: true })).toBe('delete') // WAL was never switched on
    again.close()
  })

  it('refuse a file that is not SQLite and leave it untouched', () => {
    const path = join(t.dir, 'notes.sqlite')
    writeFileSync(path, 'name,value\n'.repeat(200))
    const before = fileHash(path)
    expect(() => Store.open(path)).toThrow(/is not an SQLite database/)
    expect(fileHash(path)).toBe(before)
  })

  it('do not create a database for read-only use', () => {
    expect(() => Store.open(join(t.dir, 'missing.sqlite'), { mustExist: true })).toThrow(/does not exist/)
  })

  it('leave a failed step rolled back at the previous version', () => {
    const path = join(t.dir, 'partial.sqlite')
    const db = openDatabase(path, { targetVersion: 1 })
    // Sabotage step 2: its table already exists, so CREATE TABLE fails inside the step's transaction.
    db.exec('CREATE TABLE run_tags (x INTEGER) STRICT')
    db.close()
    expect(() => openDatabase(path)).toThrow(/run_tags/)
    const check = new Database(path)
    expect(check.pragma('user_version', { simple: true })).toBe(1)
    expect((check.prepare('SELECT count(*) AS n FROM pragma_table_info(?) WHERE name = ?').get('runs', 'note') as { n: number }).n).toBe(0)
    check.close()
  })
})
