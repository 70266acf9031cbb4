/**
 * `tsx bench/golden.ts OUT.json [--seeds N]`: golden results for refactoring checks. Runs a matrix of
 * presets (quick at its default 20 ms, undercommit-1x and overcommit-2x at 200 ms) x policies
 * (kvm, ecs, pmtlock, kvm-nople) x workloads (spinlock-heavy, mutex-rwsem, rcu-ipi, mixed-kernel) and
 * writes every full result JSON keyed by run name. A non-RNG optimisation must leave this file
 * byte-identical (`cmp A.json B.json`); `--seeds N` repeats each run with seeds 1..N.
 *
 * Extra keys (`extra/...`, after the matrix) cover the paths the matrix does not: guest.pvSpinlocks=false,
 * ecs-alternate, ecs-host / ecs-guest, ecs with boost 'nice' and with a vetoCap, host noise threads,
 * pinning, unequal VM weights, a 2-pCPU host with long sections of every kind (`cs-heavy`: tick vetoes), halt polling off, overcommit-3x, the overcommit-2x-mixed preset and a
 * traced run (trace records in the result).
 */
import { writeFileSync } from 'node:fs'
import { resolveScenario, runScenario } from '../src/sim/index'

const args = process.argv.slice(2)
const out = args[0]
const si = args.indexOf('--seeds')
const nSeeds = si >= 0 ? Number(args[si + 1]) : 1
const presets: [string, number, number | undefined][] = [['quick', 2, undefined], ['undercommit-1x', 1, 200_000_000], ['overcommit-2x', 2, 200_000_000]]
const policies = ['kvm', 'ecs', 'pmtlock', 'kvm-nople']
const workloads = ['spinlock-heavy', 'mutex-rwsem', 'rcu-ipi', 'mixed-kernel']
const res: Record<string, unknown> = {}
for (const [preset, nVms, dur] of presets) {
  for (const policy of policies) {
    for (const workload of workloads) {
      for (let seed = 1; seed <= nSeeds; seed++) {
        const name = `${preset}/${policy}/${workload}/${seed}`
        const input: Record<string, unknown> = { preset, seed, policy: { id: policy, params: {} }, vms: Array.from({ length: nVms }, () => ({ workload })) }
        if (dur) input.durationNs = dur
        const r = runScenario(resolveScenario(input))
        res[name] = r
        process.stderr.write(`${name} events=${r.events} digest=${r.digest}\n`)
      }
    }
  }
}
const policy = (id: string, params: Record<string, unknown> = {}) => ({ id, params })
// A small, tick-contended host: long sections of every kind, so ticks find in-CS vCPUs with
// nr_running > 1 (vetoes, nice boosts, tick preemptions in CS), plus noise threads and unequal weights.
const csHeavy = {
  tasksPerVcpu: 2,
  computeNs: { type: 'exp', meanNs: 300_000 },
  sections: [
    { kind: 'spinlock', weight: 3, lock: 's', instances: 2, holdNs: { type: 'exp', meanNs: 200_000 } },
    { kind: 'rwlock-write', weight: 1, lock: 'rw', instances: 1, holdNs: { type: 'exp', meanNs: 100_000 } },
    { kind: 'rwlock-read', weight: 1, lock: 'rw', instances: 1, holdNs: { type: 'exp', meanNs: 100_000 } },
    { kind: 'mutex', weight: 2, lock: 'm', instances: 2, holdNs: { type: 'exp', meanNs: 1_000_000 }, nested: { prob: 0.5, lock: 'in', instances: 1, holdNs: { type: 'exp', meanNs: 50_000 } } },
    { kind: 'rwsem-write', weight: 1, lock: 'sem', instances: 1, holdNs: { type: 'exp', meanNs: 500_000 } },
    { kind: 'rwsem-read', weight: 1, lock: 'sem', instances: 1, holdNs: { type: 'exp', meanNs: 500_000 } },
    { kind: 'rcu-read', weight: 2, holdNs: { type: 'exp', meanNs: 400_000 } },
    { kind: 'synchronize-rcu', weight: 0.3 },
    { kind: 'tlb-shootdown', weight: 0.5, targets: 0, holdNs: { type: 'exp', meanNs: 3_000 } },
    { kind: 'sleep', weight: 0.5, holdNs: { type: 'exp', meanNs: 500_000 } }
  ],
  irq: { ratePerSec: 1000, handlerNs: { type: 'exp', meanNs: 20_000 }, softirqNs: { type: 'exp', meanNs: 10_000 } }
}
const csHost = (pol: { id: string; params: Record<string, unknown> }, pv: boolean) => ({
  name: 'cs-heavy', host: { pcpus: 2, sockets: 1, noise: { tasksPerPcpu: 1 } }, guest: { pvSpinlocks: pv },
  vms: [{ name: 'a', vcpus: 3, workload: csHeavy }, { name: 'b', vcpus: 2, workload: csHeavy, weight: 2048 }],
  durationNs: 200_000_000, warmupNs: 10_000_000, sampleIntervalNs: 10_000_000, policy: pol
})
const extras: [string, Record<string, unknown>, { fromNs: number; toNs: number; maxRecords?: number }?][] = [
  ['cs-heavy/kvm', csHost(policy('kvm'), true)],
  ['cs-heavy/kvm/no-pv-spinlocks', csHost(policy('kvm'), false)],
  ['cs-heavy/ecs', csHost(policy('ecs'), true)],
  ['cs-heavy/ecs/no-pv-spinlocks', csHost(policy('ecs'), false)],
  ['cs-heavy/ecs-alternate', csHost(policy('ecs-alternate'), true)],
  ['cs-heavy/ecs-boost-nice', csHost(policy('ecs', { boost: 'nice' }), true)],
  ['cs-heavy/ecs-boost-nice/no-pv-spinlocks', csHost(policy('ecs', { boost: 'nice' }), false)],
  ['cs-heavy/ecs-vetocap-1', csHost(policy('ecs', { vetoCap: 1 }), true)],
  ['cs-heavy/ecs-host', csHost(policy('ecs-host'), true)],
  ['cs-heavy/ecs-guest', csHost(policy('ecs-guest'), true)],
  ['cs-heavy/pmtlock', csHost(policy('pmtlock'), true)],
  ['cs-heavy/kvm-nople', csHost(policy('kvm-nople'), true)],
  ['quick/kvm/no-pv-spinlocks', { preset: 'quick', guest: { pvSpinlocks: false } }],
  ['quick/kvm-nople/no-pv-spinlocks/mixed-kernel', { preset: 'quick', policy: policy('kvm-nople'), guest: { pvSpinlocks: false }, vms: [{ workload: 'mixed-kernel' }, { workload: 'mixed-kernel' }] }],
  ['quick/ecs-alternate/mixed-kernel', { preset: 'quick', policy: policy('ecs-alternate'), vms: [{ workload: 'mixed-kernel' }, { workload: 'mixed-kernel' }] }],
  ['quick/ecs-host/mixed-kernel', { preset: 'quick', policy: policy('ecs-host'), vms: [{ workload: 'mixed-kernel' }, { workload: 'mixed-kernel' }] }],
  ['quick/ecs-guest/mixed-kernel', { preset: 'quick', policy: policy('ecs-guest'), vms: [{ workload: 'mixed-kernel' }, { workload: 'mixed-kernel' }] }],
  ['quick/ecs-boost-nice/mixed-kernel', { preset: 'quick', policy: policy('ecs', { boost: 'nice' }), vms: [{ workload: 'mixed-kernel' }, { workload: 'mixed-kernel' }] }],
  ['quick/ecs-vetocap-2/mixed-kernel', { preset: 'quick', policy: policy('ecs', { vetoCap: 2 }), vms: [{ workload: 'mixed-kernel' }, { workload: 'mixed-kernel' }] }],
  ['quick/ecs-boost-nice-vetocap-1/spinlock-heavy', { preset: 'quick', policy: policy('ecs', { boost: 'nice', vetoCap: 1 }) }],
  ['quick/kvm/noise-2', { preset: 'quick', host: { noise: { tasksPerPcpu: 2 } } }],
  ['quick/ecs/noise-1/mixed-kernel', { preset: 'quick', policy: policy('ecs'), host: { noise: { tasksPerPcpu: 1 } }, vms: [{ workload: 'mixed-kernel' }, { workload: 'mixed-kernel' }] }],
  ['quick/kvm/pinned', { preset: 'quick', vms: [{ pinning: [0, 1, 2, 3] }, { pinning: [3, 2, 1, 0] }] }],
  ['quick/ecs/pinned-partial/mixed-kernel', { preset: 'quick', policy: policy('ecs'), vms: [{ workload: 'mixed-kernel', pinning: [0, 0, 1, 1] }, { workload: 'mixed-kernel' }] }],
  ['quick/kvm/weights-2-1/mixed-kernel', { preset: 'quick', vms: [{ workload: 'mixed-kernel', weight: 2048 }, { workload: 'mixed-kernel', weight: 1024 }] }],
  ['quick/kvm/no-halt-poll', { preset: 'quick', host: { haltPoll: { maxNs: 0 } }, vms: [{ workload: 'rcu-ipi' }, { workload: 'mutex-rwsem' }] }],
  ['quick/ecs/traced/mixed-kernel', { preset: 'quick', policy: policy('ecs'), vms: [{ workload: 'mixed-kernel' }, { workload: 'mixed-kernel' }] }, { fromNs: 5_000_000, toNs: 7_000_000, maxRecords: 20_000 }],
  ['overcommit-2x/kvm/no-pv-spinlocks', { preset: 'overcommit-2x', durationNs: 100_000_000, guest: { pvSpinlocks: false } }],
  ['overcommit-2x/ecs-alternate/mixed-kernel', { preset: 'overcommit-2x', durationNs: 100_000_000, policy: policy('ecs-alternate'), vms: [{ workload: 'mixed-kernel' }, { workload: 'mixed-kernel' }] }],
  ['overcommit-2x/ecs-boost-nice-vetocap-3/mixed-kernel', { preset: 'overcommit-2x', durationNs: 100_000_000, policy: policy('ecs', { boost: 'nice', vetoCap: 3 }), vms: [{ workload: 'mixed-kernel' }, { workload: 'mixed-kernel' }] }],
  ['overcommit-2x/kvm/noise-1', { preset: 'overcommit-2x', durationNs: 100_000_000, host: { noise: { tasksPerPcpu: 1 } } }],
  ['overcommit-3x/kvm', { preset: 'overcommit-3x', durationNs: 100_000_000 }],
  ['overcommit-3x/ecs', { preset: 'overcommit-3x', durationNs: 100_000_000, policy: policy('ecs') }],
  ['overcommit-2x-mixed/kvm', { preset: 'overcommit-2x-mixed', durationNs: 200_000_000 }],
  ['overcommit-2x-mixed/ecs', { preset: 'overcommit-2x-mixed', durationNs: 200_000_000, policy: policy('ecs') }],
  ['overcommit-2x-mixed/pmtlock', { preset: 'overcommit-2x-mixed', durationNs: 100_000_000, policy: policy('pmtlock') }]
]
for (const [name0, input0, trace] of extras) {
  for (let seed = 1; seed <= nSeeds; seed++) {
    const name = `extra/${name0}/${seed}`
    const r = runScenario(resolveScenario({ ...input0, seed }), trace ? { trace } : {})
    res[name] = r
    process.stderr.write(`${name} events=${r.events} digest=${r.digest}\n`)
  }
}
writeFileSync(out, JSON.stringify(res, null, 1))
