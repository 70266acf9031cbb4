/**
 * The ordered list of schema steps (Signal Desktop's migrations/index.ts shape). The database's
 * `user_version` is the number of the last step applied. Each step runs in its own IMMEDIATE
 * transaction together with the `user_version` bump, so a crash leaves the database at a whole version,
 * and two processes opening an old database at once apply each step once.
 */
import type Database from 'better-sqlite3'
import { migration0001 } from './0001-init'
import { migration0002 } from './0002-run-tags-notes'
import { migration0003 } from './0003-run-ownership'
import type { Migration } from './types'

export type { Migration } from './types'

export const migrations: readonly Migration[] = [migration0001, migration0002, migration0003]

/** The schema version this code writes. */
export const LATEST_VERSION = migrations[migrations.length - 1]!.version

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

/** Applies every step above the current version, up to `target` (tests migrate to earlier versions). */
export function runMigrations(db: Database.Database, target = LATEST_VERSION): number[] {
  const applied: number[] = []
  for (const m of migrations) {
    if (m.version > target) break
    const step = db.transaction(() => {
      if (schemaVersion(db) >= m.version) return false
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
      return true
    })
    if (step.immediate()) applied.push(m.version)
  }
  return applied
}
