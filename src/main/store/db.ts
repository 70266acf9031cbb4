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
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { betterSqliteOptions } from '../native-binding'
import { LATEST_VERSION, runMigrations, schemaVersion } from './migrations'

export type StoreErrorCode = 'not-sqlite' | 'too-new' | 'not-found' | 'open-failed' | 'damaged' | 'wal-missing'

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
  /** Open with SQLITE_OPEN_READONLY (read commands): nothing is written, not even the WAL switch. */
  readOnly?: boolean
  /** 'quick' (default): PRAGMA quick_check on open, a damaged store is refused; 'none': skip (db info --check runs the full check itself). */
  check?: 'quick' | 'none'
}

const SQLITE_HEADER = 'SQLite format 3\u0000'

function assertSqliteFile(path: string): void {
  if (!existsSync(path)) return
  if (statSync(path).isDirectory()) throw new StoreError(`${path} is a directory, not an eCS Lab database file`, 'open-failed')
  if (statSync(path).size === 0) return // an empty file is a new database
  const header = readHeader(path) // undefined when shorter than an SQLite header page (100 bytes)
  if (!header || header.subarray(0, 16).toString('latin1') !== SQLITE_HEADER) {
    throw new StoreError(`${path} is not an SQLite database (wrong file header); refusing to open it as the eCS Lab store`, 'not-sqlite')
  }
}

function readHeader(path: string): Buffer | undefined {
  if (!existsSync(path) || statSync(path).size < 100) return undefined
  const buf = Buffer.alloc(100)
  const fd = openSync(path, 'r')
  try {
    readSync(fd, buf, 0, 100, 0)
  } finally {
    closeSync(fd)
  }
  return buf
}

/** The file header says WAL (bytes 18-19 = 2) but there is no `-wal` beside it (or an empty one a reader created). */
function walMissing(path: string): boolean {
  const h = readHeader(path)
  const wal = `${path}-wal`
  return h !== undefined && h[18] === 2 && h[19] === 2 && (!existsSync(wal) || statSync(wal).size === 0)
}

const damagedHint = (path: string) =>
  `eCS Lab did not change it. Restore it from a backup or copy; \`sqlite3 ${path} .recover\` salvages what is readable. ` +
  `\`ecs-lab db info --check --db ${path}\` lists the damage.`

function damaged(path: string, what: string): StoreError {
  return new StoreError(`${path} is damaged (${what}). ${damagedHint(path)}`, 'damaged')
}

const isCorrupt = (err: unknown) => /^SQLITE_(CORRUPT|NOTADB)/.test(String((err as { code?: unknown }).code ?? ''))

export function openDatabase(path: string, opts: OpenDatabaseOptions = {}): Database.Database {
  const memory = path === ':memory:'
  if (!memory) {
    if ((opts.mustExist || opts.readOnly) && !existsSync(path)) throw new StoreError(`database ${path} does not exist`, 'not-found')
    assertSqliteFile(path)
  }
  if (opts.readOnly && !memory) return openReadOnly(path, opts)
  if (!memory) mkdirSync(dirname(path), { recursive: true })
  const existing = !memory && existsSync(path) && statSync(path).size > 0
  const noWal = existing && walMissing(path)
  let db: Database.Database
  try {
    db = new Database(path, { ...betterSqliteOptions(), fileMustExist: opts.mustExist ?? false, timeout: opts.busyTimeoutMs ?? 10_000 })
  } catch (err) {
    throw new StoreError(`cannot open database ${path}: ${(err as Error).message}`, 'open-failed')
  }
  try {
    const version = checkOpened(db, path, existing, noWal, opts)
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    if (version < (opts.targetVersion ?? LATEST_VERSION)) runMigrations(db, opts.targetVersion)
    return db
  } catch (err) {
    db.close()
    if (isCorrupt(err)) throw damaged(path, (err as Error).message)
    throw err
  }
}

/**
 * Checks done before anything is written: the file is readable SQLite, passes quick_check, is not
 * newer than this code, and is not a WAL-mode copy whose -wal (holding everything) was left behind.
 */
function checkOpened(db: Database.Database, path: string, existing: boolean, noWal: boolean, opts: OpenDatabaseOptions): number {
  let version: number
  try {
    version = schemaVersion(db)
  } catch (err) {
    if (isCorrupt(err)) throw damaged(path, (err as Error).message)
    throw err
  }
  if (existing && (opts.check ?? 'quick') === 'quick') {
    let verdict: string
    try {
      verdict = (db.pragma('quick_check(5)') as Record<string, unknown>[]).map((r) => String(Object.values(r)[0])).join('; ')
    } catch (err) {
      if (isCorrupt(err)) throw damaged(path, (err as Error).message)
      throw err
    }
    if (verdict !== 'ok') throw damaged(path, `quick_check: ${verdict.replace(/\*\*\* in database main \*\*\*\s*/g, '').replace(/\n/g, '; ').slice(0, 400)}`)
  }
  if (version > LATEST_VERSION) {
    throw new StoreError(
      `database ${path} has schema version ${version}, newer than this eCS Lab supports (${LATEST_VERSION}); ` +
        'it was written by a newer eCS Lab: upgrade eCS Lab or use another --db. The file was not changed.',
      'too-new'
    )
  }
  if (noWal && version === 0) {
    const tables = (db.prepare("SELECT count(*) AS n FROM sqlite_master").get() as { n: number }).n
    if (tables === 0) {
      throw new StoreError(
        `${path} is in WAL mode but holds no tables, and its write-ahead log ${path}-wal is missing: it looks like a copy ` +
          `taken while eCS Lab was writing it (not closed cleanly), whose content is all in the -wal file. Copy ${path}-wal ` +
          '(and -shm) beside it, or copy the store again after closing the app and the CLI. The file was not changed.',
        'wal-missing'
      )
    }
  }
  return version
}

/**
 * Read-only commands: SQLITE_OPEN_READONLY, no pragma that writes, no migration. A WAL-mode store in a
 * directory this process cannot write (no -shm can be created) is read from a private temporary copy.
 * A store older than this code is upgraded by a writable open first when possible.
 */
function openReadOnly(path: string, opts: OpenDatabaseOptions): Database.Database {
  const open = (p: string) => new Database(p, { ...betterSqliteOptions(), readonly: true, fileMustExist: true, timeout: opts.busyTimeoutMs ?? 10_000 })
  const noWal = walMissing(path)
  let db: Database.Database
  try {
    db = open(path)
    db.pragma('user_version') // forces the WAL index (-shm) to be opened
  } catch (err) {
    if (String((err as { code?: unknown }).code ?? '').startsWith('SQLITE_CANTOPEN')) db = open(privateCopy(path))
    else if (isCorrupt(err)) throw damaged(path, (err as Error).message)
    else throw new StoreError(`cannot open database ${path}: ${(err as Error).message}`, 'open-failed')
  }
  let version: number
  try {
    version = checkOpened(db, path, true, noWal, opts)
  } catch (err) {
    db.close()
    if (isCorrupt(err)) throw damaged(path, (err as Error).message)
    throw err
  }
  if (version === 0) {
    db.close()
    throw new StoreError(`${path} is an empty SQLite database, not an eCS Lab store`, 'not-found')
  }
  if (version < LATEST_VERSION) {
    db.close()
    try {
      openDatabase(path, { ...opts, readOnly: false, mustExist: true }).close()
    } catch (err) {
      throw new StoreError(
        `${path} has schema version ${version}, older than this eCS Lab (${LATEST_VERSION}), and cannot be upgraded here ` +
          `(${(err as Error).message}); open it once with write access (e.g. \`ecs-lab db info\` in a writable copy)`,
        'open-failed'
      )
    }
    return openReadOnly(path, opts)
  }
  db.pragma('foreign_keys = ON')
  return db
}

/** Copies the store (and its -wal) to a private temporary folder, removed at exit. */
function privateCopy(path: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-lab-ro-'))
  const copy = join(dir, basename(path))
  copyFileSync(path, copy)
  if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`)
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  return copy
}
