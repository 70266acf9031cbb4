/**
 * Content keys. A run is identified by what determines its result: the resolved scenario (which holds
 * the policy and its parameters), the seed and the engine version. Canonical JSON (keys sorted,
 * no whitespace) makes the key independent of property order, so the same run computed on any machine
 * or shard gets the same id, and `db merge` can drop duplicates by key.
 */
import { createHash } from 'node:crypto'
import { canonicalJson } from '../../shared/canonical-json'

export { canonicalJson }

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

export interface RunKeyInput {
  scenario: { policy: { id: string; params?: unknown }; seed: number }
  engineVersion: string
}

/** The run id: sha256 of canonical {scenario, policy, seed, engineVersion} (64 hex digits). */
export function runKey({ scenario, engineVersion }: RunKeyInput): string {
  return sha256Hex(canonicalJson({ v: 1, engineVersion, policy: scenario.policy, seed: scenario.seed, scenario }))
}

/** The campaign id: 16 hex digits of the canonical spec's hash (same file content => same campaign). */
export function campaignKey(spec: unknown): string {
  return sha256Hex(canonicalJson(spec)).slice(0, 16)
}
