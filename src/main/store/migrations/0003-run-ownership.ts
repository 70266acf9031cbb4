/**
 * Schema version 3: run ownership. A 'running' row names the process that claimed it (pid, host and a
 * random token per store connection) and carries a heartbeat the owner refreshes while it works, so
 * another process on the same store re-queues the run only when that owner is gone (heartbeat stale,
 * or its pid dead on this host) instead of whenever it plans the same campaign.
 */
import type Database from 'better-sqlite3'
import type { Migration } from './types'

export const migration0003: Migration = {
  version: 3,
  name: 'run-ownership',
  up(db: Database.Database) {
    db.exec(`
      ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
      ALTER TABLE runs ADD COLUMN owner_host TEXT;
      ALTER TABLE runs ADD COLUMN owner_token TEXT;
      ALTER TABLE runs ADD COLUMN heartbeat_at INTEGER;
      CREATE INDEX runs_owner ON runs(owner_token) WHERE status = 'running';
    `)
  }
}
