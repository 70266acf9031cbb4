/**
 * Store and campaign throughput (not a test: numbers depend on the machine).
 *
 *   npx tsx bench/store.ts                 # store writes: runs/s and samples/s
 *   npx tsx bench/store.ts --campaign      # + a 2-worker campaign through the CLI (bench/campaign-2workers.yaml)
 *
 * Store: completeRun (summary + ~90 metrics + series, one transaction each) for synthetic results of
 * two sizes, into a fresh WAL database in the temp folder.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Store } from '../src/main/store'
import type { SimResult } from '../src/shared/result'

function syntheticResult(seed: number, samples: number, vms: number): SimResult {
  const arr = (k: number) => Array.from({ length: samples }, (_, i) => (i * 31 + seed * k) % 5000)
  const names = Array.from({ length: vms }, (_, i) => `vm${i}`)
  const counters: Record<string, number> = {}
  for (let i = 0; i < 60; i++) counters[`c.counter${i}`] = i * seed
  return {
    engineVersion: 'bench', policy: 'kvm', policyParams: {}, seed, simulatedNs: samples * 1e7, warmupNs: 1e7, measuredNs: (samples - 1) * 1e7,
    events: 1e6, digest: 'x',
    vms: names.map((name) => ({ name, vcpus: 80, workload: 'spinlock-heavy', ops: 1e6, opsPerSec: 1e6, opsPerVcpuPerSec: 1e4, cpuTimeNs: 1e9, stealNs: 1e8 })),
    preemptions: { total: 100, inCriticalSection: { total: 10, byKind: { spinlock: 1, rwlock: 2, mutex: 3, rwsem: 4, rcu: 0, irq: 0 } }, lockHolder: 5, lockWaiter: 6 },
    counters,
    series: { intervalNs: 1e7, t: Array.from({ length: samples }, (_, i) => (i + 1) * 1e7), perVm: names.map((name, i) => ({ name, ops: arr(i + 1), preemptions: arr(7), inCsPreemptions: arr(11) })) },
    lockWaitHistogram: { unit: 'ns', buckets: Array.from({ length: 32 }, (_, i) => i) },
    pcpuBusyNs: Array.from({ length: 80 }, () => 1), pcpuIdleNs: Array.from({ length: 80 }, () => 1)
  } as SimResult
}

function benchStore(label: string, runs: number, samples: number, vms: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-bench-'))
  const store = Store.open(join(dir, 'bench.sqlite'))
  try {
    const rows = Array.from({ length: runs }, (_, i) => ({
      id: i.toString(16).padStart(64, '0'), scenario_json: '{"bench":true}', label: 'bench', policy_id: 'kvm', policy_params_json: '{}', seed: i, engine_version: 'bench', created_at: 0
    }))
    store.queueRuns(rows)
    const results = rows.map((_, i) => syntheticResult(i, samples, vms))
    let sampleCount = 0
    let metricCount = 0
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < runs; i++) {
      const w = store.completeRun(rows[i]!.id, results[i]!, 1)
      sampleCount += w.samples
      metricCount += w.metrics
    }
    const s = Number(process.hrtime.bigint() - t0) / 1e9
    console.log(
      `${label}: ${runs} runs x ${vms} VMs x ${samples} samples in ${s.toFixed(2)} s -> ` +
        `${Math.round(runs / s)} runs/s, ${Math.round(sampleCount / s).toLocaleString('en-US')} samples/s, ${Math.round(metricCount / s).toLocaleString('en-US')} metrics/s`
    )
  } finally {
    store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

benchStore('store, small results ', 2000, 100, 2)
benchStore('store, paper-size   ', 500, 1000, 4)

if (process.argv.includes('--campaign')) {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-bench-'))
  const db = join(dir, 'campaign.sqlite')
  const file = join(__dirname, 'campaign-2workers.yaml')
  const args = [join(__dirname, '../bin/ecs-lab.cjs'), 'campaign', 'run', file, '--db', db, '--workers', '2', '--no-progress']
  console.log(`$ node ${args.map((a) => a.replace(dir, '$TMP').replace(join(__dirname, '..') + '/', '')).join(' ')}`)
  const t0 = Date.now()
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' })
  const s = (Date.now() - t0) / 1000
  if (r.status !== 0) {
    console.error(r.stderr)
    process.exit(1)
  }
  const store = Store.open(db, { mustExist: true })
  const n = store.runs.counts().done
  const events = (store.db.prepare('SELECT sum(events) AS e, sum(simulated_ns) AS ns FROM results').get() as { e: number; ns: number })
  const wall = (store.db.prepare('SELECT sum(wall_ms) AS w FROM runs').get() as { w: number }).w
  const span = (store.db.prepare('SELECT max(finished_at) - min(started_at) AS s FROM runs').get() as { s: number }).s / 1000
  store.close()
  rmSync(dir, { recursive: true, force: true })
  console.log(
    `campaign, 2 workers: ${n} runs in ${s.toFixed(1)} s wall (incl. ~1-2 s CLI + worker start-up) -> ${(n / s).toFixed(2)} runs/s, ` +
      `${Math.round(events.e / s).toLocaleString('en-US')} simulated events/s, ${(events.ns / 1e6 / s).toFixed(0)} ms simulated per wall s; ` +
      `sum of per-run wall ${(wall / 1000).toFixed(1)} s (parallel speed-up ${(wall / 1000 / s).toFixed(2)}x)\n` +
      `  from the first run dispatched to the last stored (excludes CLI start-up, ${span.toFixed(1)} s): ${(n / span).toFixed(2)} runs/s, ` +
      `${Math.round(events.e / span).toLocaleString('en-US')} simulated events/s, speed-up ${(wall / 1000 / span).toFixed(2)}x over one worker`
  )
}
