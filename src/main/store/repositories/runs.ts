/** The `runs` table: one row per simulation, keyed by its content hash. */
import type Database from 'better-sqlite3'
import type { ParsedRunFilter, RunStatus } from '../../../shared/ipc/runs'

export interface RunRow {
  id: string
  scenario_json: string
  label: string
  policy_id: string
  policy_params_json: string
  seed: number
  engine_version: string
  layout_id: string | null
  layout_version: number | null
  status: RunStatus
  error: string | null
  created_at: number
  started_at: number | null
  finished_at: number | null
  wall_ms: number | null
  note: string
  /** Owner of a claimed run (schema v3): pid, host name, per-connection token, last heartbeat (ms). */
  owner_pid: number | null
  owner_host: string | null
  owner_token: string | null
  heartbeat_at: number | null
}

export interface RunOwner {
  pid: number
  host: string
  token: string
}

export type NewRun = Pick<RunRow, 'id' | 'scenario_json' | 'label' | 'policy_id' | 'policy_params_json' | 'seed' | 'engine_version' | 'created_at'> &
  Partial<Pick<RunRow, 'layout_id' | 'layout_version' | 'note'>>

const SORTS: Record<ParsedRunFilter['sort'], string> = {
  'created-desc': 'r.created_at DESC, r.id',
  'created-asc': 'r.created_at ASC, r.id',
  label: 'r.label, r.policy_id, r.seed, r.id',
  policy: 'r.policy_id, r.label, r.seed, r.id',
  status: 'r.status, r.created_at DESC, r.id',
  'ops-desc': "(SELECT value FROM metrics m WHERE m.run_id = r.id AND m.name = 'total.opsPerSec') DESC NULLS LAST, r.id"
}

/** SQL function the Store registers on its connection: (policy_id, policy_params_json) -> the run's policy label. */
export const POLICY_LABEL_SQL_FUNCTION = 'ecs_policy_label'

export function createRunsRepo(db: Database.Database) {
  const insert = db.prepare<NewRun & { layout_id: string | null; layout_version: number | null; note: string }>(`
    INSERT OR IGNORE INTO runs (id, scenario_json, label, policy_id, policy_params_json, seed, engine_version, layout_id, layout_version, status, created_at, note)
    VALUES (@id, @scenario_json, @label, @policy_id, @policy_params_json, @seed, @engine_version, @layout_id, @layout_version, 'queued', @created_at, @note)`)
  const get = db.prepare<[string], RunRow>('SELECT * FROM runs WHERE id = ?')
  const byPrefix = db.prepare<[string], RunRow>("SELECT * FROM runs WHERE id LIKE ? || '%' ORDER BY id LIMIT 2")
  // The one way into 'running': only from 'queued', in one statement, so two processes never both claim a run.
  const claim = db.prepare<[number, number, string, string, number, string]>(
    "UPDATE runs SET status = 'running', started_at = ?, error = NULL, finished_at = NULL, wall_ms = NULL, owner_pid = ?, owner_host = ?, owner_token = ?, heartbeat_at = ? WHERE id = ? AND status = 'queued'"
  )
  const heartbeat = db.prepare<[number, string]>("UPDATE runs SET heartbeat_at = ? WHERE owner_token = ? AND status = 'running'")
  const markQueued = db.prepare<[string]>("UPDATE runs SET status = 'queued', error = NULL, owner_pid = NULL, owner_host = NULL, owner_token = NULL, heartbeat_at = NULL WHERE id = ?")
  const restoreDone = db.prepare<[string]>("UPDATE runs SET status = 'done', error = NULL WHERE id = ?")
  const finish = db.prepare<[RunStatus, string | null, number, number | null, string]>('UPDATE runs SET status = ?, error = ?, finished_at = ?, wall_ms = ? WHERE id = ?')
  const setNote = db.prepare<[string, string]>('UPDATE runs SET note = ? WHERE id = ?')
  const del = db.prepare<[string]>('DELETE FROM runs WHERE id = ?')
  const counts = db.prepare<[], { status: RunStatus; n: number }>('SELECT status, count(*) AS n FROM runs GROUP BY status')
  const listCache = new Map<string, Database.Statement>()

  function filterSql(f: ParsedRunFilter): { where: string; params: unknown[] } {
    const clauses: string[] = []
    const params: unknown[] = []
    if (f.status?.length) {
      clauses.push(`r.status IN (${f.status.map(() => '?').join(',')})`)
      params.push(...f.status)
    }
    if (f.policy?.length) {
      clauses.push(`r.policy_id IN (${f.policy.map(() => '?').join(',')})`)
      params.push(...f.policy)
    }
    if (f.campaignId) {
      clauses.push('r.id IN (SELECT run_id FROM campaign_runs WHERE campaign_id = ?)')
      params.push(f.campaignId)
    }
    if (f.layoutId) {
      clauses.push('r.layout_id = ?')
      params.push(f.layoutId)
    }
    for (const tag of f.tags ?? []) {
      clauses.push('EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = r.id AND t.tag = ?)')
      params.push(tag)
    }
    if (f.search && f.search.trim() !== '') {
      const text = f.search.trim()
      const like = `%${escapeLike(text)}%`
      // Parameter values match too: the policy's parameters and the campaign's sweep coordinates,
      // by substring of their stored JSON, or exactly when typed as `key=value` (vetoCap=4, host.hz=1000).
      const kv = parseParamSearch(text)
      const member = kv ? 'EXISTS (SELECT 1 FROM json_each(%s) j WHERE j.key = ? AND j.value IS ?)' : '%s LIKE ? ESCAPE \'\\\''
      const onParams = (col: string) => member.replace('%s', col)
      clauses.push(
        "(r.label LIKE ? ESCAPE '\\' OR r.note LIKE ? ESCAPE '\\' OR r.policy_id LIKE ? ESCAPE '\\' OR r.id LIKE ?" +
          " OR EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = r.id AND t.tag LIKE ? ESCAPE '\\')" +
          ` OR ${onParams('r.policy_params_json')}` +
          ` OR EXISTS (SELECT 1 FROM campaign_runs c WHERE c.run_id = r.id AND ${onParams('c.params_json')})` +
          // the variant label as shown (`ecs {vetoCap: 4}`) and the names of the campaigns the run is in
          ` OR ${POLICY_LABEL_SQL_FUNCTION}(r.policy_id, r.policy_params_json) LIKE ? ESCAPE '\\'` +
          " OR EXISTS (SELECT 1 FROM campaign_runs c JOIN campaigns k ON k.id = c.campaign_id WHERE c.run_id = r.id AND k.name LIKE ? ESCAPE '\\'))"
      )
      const p = kv ? [kv.key, kv.value] : [like]
      params.push(like, like, like, `${text.toLowerCase()}%`, like, ...p, ...p, like, like)
    }
    if (f.engineVersion) {
      clauses.push('r.engine_version = ?')
      params.push(f.engineVersion)
    }
    if (f.seed !== undefined) {
      clauses.push('r.seed = ?')
      params.push(f.seed)
    }
    if (f.createdFrom !== undefined) {
      clauses.push('r.created_at >= ?')
      params.push(f.createdFrom)
    }
    if (f.createdTo !== undefined) {
      clauses.push('r.created_at <= ?')
      params.push(f.createdTo)
    }
    return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params }
  }

  /** Filtered statements are prepared once per distinct filter shape and reused. */
  function cached(sql: string): Database.Statement {
    let st = listCache.get(sql)
    if (!st) {
      st = db.prepare(sql)
      listCache.set(sql, st)
    }
    return st
  }

  return {
    insert(run: NewRun): boolean {
      return insert.run({ layout_id: null, layout_version: null, note: '', ...run }).changes > 0
    },
    get: (id: string) => get.get(id),
    /** A full id, or a unique prefix of one (at least 6 hex digits). */
    resolve(idOrPrefix: string): RunRow | undefined {
      const exact = get.get(idOrPrefix)
      if (exact) return exact
      const rows = byPrefix.all(idOrPrefix)
      if (rows.length > 1) throw Object.assign(new Error(`run id prefix ${idOrPrefix} is ambiguous`), { code: 'invalid-argument' })
      return rows[0]
    },
    /** queued -> running for `owner`; false if the run is not queued (another process has it, or it is done). */
    claim: (id: string, owner: RunOwner, at: number) => claim.run(at, owner.pid, owner.host, owner.token, at, id).changes > 0,
    /** Refreshes the heartbeat of every run `token` is running. */
    heartbeat: (token: string, at: number) => heartbeat.run(at, token).changes,
    markQueued: (id: string) => void markQueued.run(id),
    restoreDone: (id: string) => void restoreDone.run(id),
    finish: (id: string, status: RunStatus, error: string | null, at: number, wallMs: number | null) => void finish.run(status, error, at, wallMs, id),
    setNote: (id: string, note: string) => setNote.run(note, id).changes > 0,
    delete: (id: string) => del.run(id).changes > 0,
    counts(): Record<RunStatus, number> {
      const out: Record<RunStatus, number> = { queued: 0, running: 0, done: 0, failed: 0, cancelled: 0 }
      for (const r of counts.all()) out[r.status] = r.n
      return out
    },
    list(f: ParsedRunFilter): { total: number; rows: RunRow[] } {
      const { where, params } = filterSql(f)
      const total = (cached(`SELECT count(*) AS n FROM runs r ${where}`).get(...params) as { n: number }).n
      const rows = cached(`SELECT r.* FROM runs r ${where} ORDER BY ${SORTS[f.sort]} LIMIT ? OFFSET ?`).all(...params, f.limit, f.offset) as RunRow[]
      return { total, rows }
    }
  }
}
export type RunsRepo = ReturnType<typeof createRunsRepo>

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => '\\' + c)
}

/**
 * A search typed as `key=value` (or `key: value`): the key and the value as SQLite's json_each() reports
 * it (numbers as numbers, true/false as 1/0, null as null, anything else as text); undefined otherwise.
 */
export function parseParamSearch(search: string): { key: string; value: string | number | null } | undefined {
  const m = /^([A-Za-z_][\w.]*)\s*[=:]\s*(.+)$/.exec(search)
  if (!m) return undefined
  const raw = m[2].trim()
  let v: unknown = raw
  try {
    v = JSON.parse(raw)
  } catch {
    // plain text value
  }
  const value = typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'number' || v === null ? v : typeof v === 'string' ? v : raw
  return { key: m[1], value }
}
