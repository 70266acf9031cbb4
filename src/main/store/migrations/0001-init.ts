/**
 * Schema version 1: layouts (named, versioned scenarios), campaigns, runs, results, metrics and
 * compact time series. Runs are keyed by a content hash (see store/run-key.ts), so shard stores merge
 * without duplicates; every other id is text for the same reason.
 */
import type Database from 'better-sqlite3'
import type { Migration } from './types'

export const migration0001: Migration = {
  version: 1,
  name: 'init',
  up(db: Database.Database) {
    db.exec(`
      CREATE TABLE layouts (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        latest_version INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX layouts_name ON layouts(name);

      CREATE TABLE layout_versions (
        layout_id TEXT NOT NULL REFERENCES layouts(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        scenario_json TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        PRIMARY KEY (layout_id, version)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE campaigns (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        spec_json TEXT NOT NULL,
        planned_runs INTEGER NOT NULL,
        source TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        scenario_json TEXT NOT NULL,
        label TEXT NOT NULL DEFAULT '',
        policy_id TEXT NOT NULL,
        policy_params_json TEXT NOT NULL DEFAULT '{}',
        seed INTEGER NOT NULL,
        engine_version TEXT NOT NULL,
        layout_id TEXT REFERENCES layouts(id) ON DELETE SET NULL,
        layout_version INTEGER,
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
        error TEXT,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        wall_ms REAL
      ) STRICT;
      CREATE INDEX runs_status ON runs(status);
      CREATE INDEX runs_policy ON runs(policy_id);
      CREATE INDEX runs_created ON runs(created_at);

      CREATE TABLE campaign_runs (
        campaign_id TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        params_json TEXT NOT NULL,
        PRIMARY KEY (campaign_id, run_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX campaign_runs_run ON campaign_runs(run_id);

      CREATE TABLE results (
        run_id TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
        summary_json TEXT NOT NULL,
        simulated_ns INTEGER NOT NULL,
        events INTEGER NOT NULL,
        digest TEXT NOT NULL DEFAULT ''
      ) STRICT;

      CREATE TABLE metrics (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        value REAL NOT NULL,
        PRIMARY KEY (run_id, name)
      ) STRICT, WITHOUT ROWID;

      -- One row per (run, VM, series): the samples packed little-endian ('i32' or 'f64'). vm = -1 holds
      -- the run-wide time axis 't'.
      CREATE TABLE series (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        vm INTEGER NOT NULL,
        vm_name TEXT NOT NULL,
        name TEXT NOT NULL,
        interval_ns INTEGER NOT NULL,
        count INTEGER NOT NULL,
        encoding TEXT NOT NULL CHECK (encoding IN ('i32', 'f64')),
        data BLOB NOT NULL,
        PRIMARY KEY (run_id, vm, name)
      ) STRICT, WITHOUT ROWID;
    `)
  }
}
