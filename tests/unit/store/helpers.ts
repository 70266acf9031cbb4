/** Shared fixtures for the store tests: temp folders, a synthetic SimResult, tiny campaigns. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SimResult } from '../../../src/shared/result'

export const ROOT = join(__dirname, '../../..')
export const CLI = join(ROOT, 'bin/ecs-lab.cjs')

export function tempDir(prefix = 'ecs-store-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

export function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

/** A plausible SimResult with `samples` points per series and 2 VMs. */
export function fakeResult(seed = 1, samples = 100): SimResult {
  const series = (k: number) => Array.from({ length: samples }, (_, i) => (i * 7 + seed * k) % 1000)
  return {
    engineVersion: 'test',
    policy: 'kvm',
    policyParams: {},
    seed,
    simulatedNs: samples * 1_000_000,
    warmupNs: 1_000_000,
    measuredNs: (samples - 1) * 1_000_000,
    events: 12345 + seed,
    digest: `d${seed}`,
    vms: ['vm0', 'vm1'].map((name, i) => ({
      name, vcpus: 4, workload: 'spinlock-heavy', ops: 1000 * (i + 1) + seed, opsPerSec: 1e6 * (i + 1) + seed,
      opsPerVcpuPerSec: 2.5e5, cpuTimeNs: 5e6, stealNs: 1e6
    })),
    preemptions: { total: 10 + seed, inCriticalSection: { total: 3, byKind: { spinlock: 1, rwlock: 0, mutex: 2, rwsem: 0, rcu: 0, irq: 0 } }, lockHolder: 2, lockWaiter: 1 },
    counters: { 'lock.acquisitions': 500, 'ple.exits': 7 },
    series: {
      intervalNs: 1_000_000,
      t: Array.from({ length: samples }, (_, i) => (i + 1) * 1_000_000),
      perVm: ['vm0', 'vm1'].map((name, i) => ({ name, ops: series(i + 1), preemptions: series(3), inCsPreemptions: series(5) }))
    },
    lockWaitHistogram: { unit: 'ns', buckets: [5, 10, 20, 5, 1] },
    pcpuBusyNs: [1, 2, 3, 4],
    pcpuIdleNs: [4, 3, 2, 1]
  } as SimResult
}

/** A tiny campaign (quick preset: 4 pCPUs, 2 VMs) as YAML. */
export function tinyCampaign(opts: { name?: string; durationNs?: number; seeds?: number; policies?: string[]; hz?: number[] } = {}): string {
  const d = opts.durationNs ?? 4_000_000
  return [
    `name: ${opts.name ?? 'tiny'}`,
    'scenarios:',
    '  - preset: quick',
    `    overrides: { durationNs: ${d}, warmupNs: ${Math.floor(d / 10)}, sampleIntervalNs: ${Math.floor(d / 10)} }`,
    `policies: [${(opts.policies ?? ['kvm', 'kvm-nople']).join(', ')}]`,
    `seeds: { from: 1, count: ${opts.seeds ?? 2} }`,
    ...(opts.hz ? ['sweep:', `  host.hz: [${opts.hz.join(', ')}]`] : [])
  ].join('\n') + '\n'
}

export function writeText(path: string, text: string): string {
  writeFileSync(path, text)
  return path
}
