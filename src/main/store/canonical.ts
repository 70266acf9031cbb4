/**
 * Content keys. A run is identified by what determines its result: the resolved scenario (which holds
 * the policy and its parameters), the seed and the engine version. Canonical JSON (keys sorted,
 * no whitespace) makes the key independent of property order, so the same run computed on any machine
 * or shard gets the same id, and `db merge` can drop duplicates by key.
 */
import { createHash } from 'node:crypto'

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(value as Record<string, unknown>).sort()) {
      const v = (value as Record<string, unknown>)[k]
      if (v !== undefined) out[k] = sortKeys(v)
    }
    return out
  }
  return value
}

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
