/**
 * `tsx bench/golden.ts OUT.json [--seeds N]`: golden results for refactoring checks. Runs a matrix of
 * presets (quick at its default 20 ms, undercommit-1x and overcommit-2x at 200 ms) x policies
 * (kvm, ecs, pmtlock, kvm-nople) x workloads (spinlock-heavy, mutex-rwsem, rcu-ipi, mixed-kernel) and
 * writes every full result JSON keyed by run name. A non-RNG optimisation must leave this file
 * byte-identical (`cmp A.json B.json`); `--seeds N` repeats each run with seeds 1..N.
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
writeFileSync(out, JSON.stringify(res, null, 1))
