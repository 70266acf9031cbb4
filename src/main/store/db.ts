/**
 * Opens the experiment store (better-sqlite3, synchronous). Order matters so that a bad file is never
 * modified: the header is checked before SQLite opens it, the schema version is read before any
 * pragma that writes (WAL), and a database newer than this code is closed untouched.
 *
 * Durability: WAL with synchronous=NORMAL survives a killed process (the campaign SIGKILL test relies
 * on it); a power loss may drop the last transactions, never corrupt the file (better-sqlite3
 * docs/performance.md).
 */
import Database from 'better-sqlite3'
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { betterSqliteOptions } from '../native-binding'
import { LATEST_VERSION, runMigrations, schemaVersion } from './migrations'

export type StoreErrorCode = 'not-sqlite' | 'too-new' | 'not-found' | 'open-failed'

export class StoreError extends Error {
  readonly code: StoreErrorCode
  constructor(message: string, code: StoreErrorCode) {
    super(message)
    this.name = 'StoreError'
    this.code = code
  }
}

const STORAGE_CODES = /^SQLITE_(FULL|IOERR|CORRUPT|NOTADB|READONLY|CANTOPEN|PROTOCOL|NOMEM)/

/**
 * An error of the storage itself (disk full, I/O error, damaged file, read-only or vanished file), as
 * opposed to one of a single run: nothing more can be stored, so a batch stops at the first one.
 */
export function isStorageError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && STORAGE_CODES.test(code)
}

/** What to tell the user about a storage error, by SQLite code. */
export function storageErrorHint(err: unknown): string {
  const code = String((err as { code?: unknown } | null)?.code ?? '')
  if (code.startsWith('SQLITE_FULL')) return 'the disk (or the store\'s size limit) is full: free some space'
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) return 'the store file is damaged: run `ecs-lab db info --check` and restore it from a copy'
  if (code.startsWith('SQLITE_READONLY')) return 'the store is read-only here: use a writable --db'
  return 'the store could not be written (I/O error): check the disk'
}

export interface OpenDatabaseOptions {
  /** Fail instead of creating a new database (read-only commands). */
  mustExist?: boolean
  /** Migrate only up to this version (tests of older schemas). Default: the latest. */
  targetVersion?: number
  /** busy_timeout in ms: how long a writer waits for another process's lock. */
  busyTimeoutMs?: number
}

const SQLITE_HEADER = 'SQLite format 3\u0000'

function assertSqliteFile(path: string): void {
  if (!existsSync(path)) return
  if (statSync(path).isDirectory()) throw new StoreError(`${path} is a directory, not an eCS Lab database file`, 'open-failed')
  const size = statSync(path).size
  if (size === 0) return // an empty file is a new database
  const buf = Buffer.alloc(16)
  const fd = openSync(path, 'r')
  try {
    readSync(fd, buf, 0, 16, 0)
  } finally {
    closeSync(fd)
  }
  if (size < 100 || buf.toString('latin1') !== SQLITE_HEADER) {
    throw new StoreError(`${path} is not an SQLite database (wrong file header); refusing to open it as the eCS Lab store`, 'not-sqlite')
  }
}

export function openDatabase(path: string, opts: OpenDatabaseOptions = {}): Database.Database {
  const memory = path === ':memory:'
  if (!memory) {
    if (opts.mustExist && !existsSync(path)) throw new StoreError(`database ${path} does not exist`, 'not-found')
    assertSqliteFile(path)
    mkdirSync(dirname(path), { recursive: true })
  }
  let db: Database.Database
  try {
    db = new Database(path, { ...betterSqliteOptions(), fileMustExist: opts.mustExist ?? false, timeout: opts.busyTimeoutMs ?? 10_000 })
  } catch (err) {
    throw new StoreError(`cannot open database ${path}: ${(err as Error).message}`, 'open-failed')
  }
  try {
    let version: number
    try {
      version = schemaVersion(db)
    } catch (err) {
      const code = (err as { code?: string }).code
      if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
        throw new StoreError(`${path} is not an SQLite database (${(err as Error).message})`, 'not-sqlite')
      }
      throw err
    }
    if (version > LATEST_VERSION) {
      throw new StoreError(
        `database ${path} has schema version ${version}, newer than this eCS Lab supports (${LATEST_VERSION}); ` +
          'it was written by a newer eCS Lab: upgrade eCS Lab or use another --db. The file was not changed.',
        'too-new'
      )
    }
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    runMigrations(db, opts.targetVersion)
    return db
  } catch (err) {
    db.close()
    throw err
  }
}
