/** Runs the CLI in-process (fast) with captured output, and compares stores by content. */
import Database from 'better-sqlite3'
import { main } from '../../../src/cli/main'

export async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const out = process.stdout.write.bind(process.stdout)
  const err = process.stderr.write.bind(process.stderr)
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write
  const before = process.exitCode
  process.exitCode = undefined
  try {
    const code = await main(args)
    return { code, stdout, stderr }
  } finally {
    process.stdout.write = out
    process.stderr.write = err
    process.exitCode = before
  }
}

/** Everything a run's result consists of, without wall-clock fields: equal => identical results. */
export function storeContent(path: string): Record<string, unknown> {
  const db = new Database(path, { readonly: true })
  try {
    const out: Record<string, unknown> = {}
    out['runs'] = db.prepare('SELECT id, scenario_json, label, policy_id, policy_params_json, seed, engine_version, status, error FROM runs ORDER BY id').all()
    out['results'] = db.prepare('SELECT * FROM results ORDER BY run_id').all()
    out['metrics'] = db.prepare('SELECT * FROM metrics ORDER BY run_id, name').all()
    out['series'] = (db.prepare('SELECT * FROM series ORDER BY run_id, vm, name').all() as { data: Buffer }[]).map((r) => ({ ...r, data: r.data.toString('hex') }))
    out['campaign_runs'] = db.prepare('SELECT * FROM campaign_runs ORDER BY campaign_id, run_id').all()
    out['campaigns'] = db.prepare('SELECT id, name, spec_json, planned_runs FROM campaigns ORDER BY id').all()
    return out
  } finally {
    db.close()
  }
}
