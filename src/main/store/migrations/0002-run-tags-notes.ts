/** Schema version 2: free-text notes on runs and a tag table (many tags per run, searchable). */
import type Database from 'better-sqlite3'
import type { Migration } from './types'

export const migration0002: Migration = {
  version: 2,
  name: 'run-tags-notes',
  up(db: Database.Database) {
    db.exec(`
      ALTER TABLE runs ADD COLUMN note TEXT NOT NULL DEFAULT '';
      CREATE TABLE run_tags (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (run_id, tag)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX run_tags_tag ON run_tags(tag);
    `)
  }
}
